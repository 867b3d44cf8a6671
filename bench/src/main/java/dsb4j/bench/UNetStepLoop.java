package dsb4j.bench;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.models.UNet;
import dsb4j.nn.models.UNetConfig;
import dsb4j.nn.optim.Adam;
import dsb4j.nn.optim.GradClip;
import java.util.Arrays;

/**
 * A plain loop of U-Net training steps (forward, loss, backward, clip, Adam: {@code UNetBench.trainStep}'s step),
 * for A/B comparisons of two builds where a JMH run per build costs too long: it uses only engine and nn API
 * that has not changed, so the same source compiles against an older commit's jars. Prints the median (what
 * {@code bench/torch/train_step.py} prints), the mean and the best of the second half of the steps (the first half
 * warms the JIT up).
 * <pre>
 *   java --add-modules jdk.incubator.vector -XX:+UseParallelGC -cp bench/target/benchmarks.jar \
 *       dsb4j.bench.UNetStepLoop tiny28 32 2 40      # config, batch, threads, steps
 * </pre>
 */
public final class UNetStepLoop {
    private UNetStepLoop() {}

    public static void main(String[] args) {
        String config = args.length > 0 ? args[0] : "tiny28";
        int batch = args.length > 1 ? Integer.parseInt(args[1]) : 32;
        int threads = args.length > 2 ? Integer.parseInt(args[2]) : 2;
        int steps = args.length > 3 ? Integer.parseInt(args[3]) : 40;
        Backend b = Backends.cpu(threads);
        Rng rng = new Rng(1);
        UNet net = new UNet(b, DType.F32, new Rng(0), UNetConfig.named(config));
        Adam adam = new Adam(net.parameters(), 1e-3);
        Tensor x = Tensor.randn(b, DType.F32, rng, batch, 1, 28, 28);
        Tensor target = Tensor.randn(b, DType.F32, rng, batch, 1, 28, 28).mul(0.3);
        float[] t = new float[batch];
        for (int i = 0; i < batch; i++) t[i] = rng.nextInt(30);
        Tensor time = Tensor.of(b, t, batch);
        double[] kept = new double[steps - steps / 2];
        int counted = 0;
        for (int s = 0; s < steps; s++) {
            long t0 = System.nanoTime();
            Tensor loss = net.forward(x, time).sub(x).sub(target).square().mean();
            Gradients g = GradClip.clipGlobalNorm(loss.backward(), net.parameters(), 1.0);
            adam.step(g);
            loss.item();
            double ms = (System.nanoTime() - t0) / 1e6;
            if (s >= steps / 2) kept[counted++] = ms;
        }
        Arrays.sort(kept);
        double median = counted % 2 == 1 ? kept[counted / 2] : (kept[counted / 2 - 1] + kept[counted / 2]) / 2;
        System.out.printf("%s batch %d threads %d: median %.1f ms, mean %.1f ms, best %.1f ms (last %d of %d steps)%n",
                config, batch, threads, median, Arrays.stream(kept).average().orElse(Double.NaN), kept[0], counted, steps);
    }
}
