package dsb4j.bench;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Module;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.TimeConditioned;
import dsb4j.nn.models.UNet;
import dsb4j.nn.models.UNetConfig;
import dsb4j.nn.optim.Adam;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.*;

/**
 * One training step of a drift network — forward, MSE loss, backward, Adam — the unit of DSB training.
 * The PyTorch side is bench/torch/train_step.py (same nets, batch, loss and optimiser). Run:
 * <pre>
 *   java -jar bench/target/benchmarks.jar TrainStepBench -rf json
 *   java -jar bench/target/benchmarks.jar TrainStepBench.unet -p config=reference28
 * </pre>
 * The fixed minibatch is drawn once; the returned loss is read back to the host (a device backend syncs there).
 * The forks run with the launcher's collector (ParallelGC): under the JVM's default G1 the U-Net's multi-megabyte
 * activations are humongous allocations and a step took 2–3× as long.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-XX:+UseParallelGC"})
public class TrainStepBench {

    /** A network, its optimiser and one minibatch (x, t, target). */
    abstract static class Step {
        Module net;
        Adam adam;
        Tensor x, t, target;

        void build(Backend b, Module net, int batch, int... state) {
            Rng rng = new Rng(1);
            this.net = net;
            adam = new Adam(net.parameters(), 1e-4);
            int[] dims = new int[state.length + 1];
            dims[0] = batch;
            System.arraycopy(state, 0, dims, 1, state.length);
            x = Tensor.randn(b, DType.F32, rng, dims);
            target = Tensor.randn(b, DType.F32, rng, dims);
            float[] steps = new float[batch];
            for (int i = 0; i < batch; i++) steps[i] = rng.nextInt(20);
            t = Tensor.of(b, steps, batch);
        }

        double step() { return queue().item(); }

        /** The step without reading the loss back (a device backend has only queued it). */
        Tensor queue() {
            Tensor loss = ((TimeConditioned) net).forward(x, t).sub(target).square().mean();
            Gradients g = loss.backward();
            adam.step(g);
            return loss;
        }
    }

    @State(Scope.Benchmark)
    public static class Mlp2dStep extends Step {
        @Param({"1", "2"}) int threads;
        @Param({"512"}) int batch;

        @Setup public void setup() {
            Backend b = Backends.cpu(threads);
            build(b, new Mlp2d(b, DType.F32, new Rng(0), 2), batch, 2);
        }
    }

    @State(Scope.Benchmark)
    public static class UNetStep extends Step {
        @Param({"1", "2"}) int threads;
        @Param({"32"}) int batch;
        /** small28 (the default), tiny28, reference28: see {@link UNetConfig#named}. */
        @Param({"small28"}) String config;

        @Setup public void setup() {
            Backend b = Backends.cpu(threads);
            build(b, new UNet(b, DType.F32, new Rng(0), UNetConfig.named(config)), batch, 1, 28, 28);
        }
    }

    /** The reference 2-D network at the reference batch size (512). */
    @Benchmark public double mlp2d(Mlp2dStep s) { return s.step(); }

    /** The default 28×28 U-Net at batch 32 (a step takes a large fraction of a second: longer iterations). */
    @Benchmark @Warmup(iterations = 3, time = 5) @Measurement(iterations = 5, time = 5)
    public double unet(UNetStep s) { return s.step(); }
}
