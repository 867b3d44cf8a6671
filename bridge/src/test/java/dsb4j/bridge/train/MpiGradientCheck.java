package dsb4j.bridge.train;

import dsb4j.bridge.cache.MeanMatchingData;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet;
import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.Collectives;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.Parameter;
import java.util.ArrayList;
import java.util.List;

/**
 * Run by {@link MpiTrainingTest} as two ranks: each rank builds its own cache of the first backward half-step (DSB
 * and DSBM), takes its first batch, and all-reduces its gradients and loss with {@link GradientSync}. Each rank then
 * rebuilds the other rank's cache and batch from their seeds, computes that rank's gradient by itself, and checks
 * that the all-reduced gradient is exactly (g0 + g1) / 2 and the loss (l0 + l1) / 2, that the two batches differ,
 * and that the result is, within float rounding, the gradient of one process on the global batch of both.
 * Rank 0 prints a "rank R (method): ..." line for each rank; any failure aborts the job with the reason.
 */
public final class MpiGradientCheck {
    public static void main(String[] args) {
        Collective job = Collectives.world();
        if (job.size() != 2) throw new IllegalStateException("run with mpirun -np 2, not " + job.size());
        int me = job.rank(), other = 1 - me;
        Backend cpu = Backends.cpu(1);
        for (String method : new String[]{"dsb", "dsbm"}) {
            TrainConfig c = Presets.defaults("gaussian", "quick");
            c.method = Method.parse(method);
            c.ranks = 2;
            c.network = new NetworkSpec.Mlp(new int[]{32, 32});
            c.cacheTrajectories = c.simBatch = 64;
            c.batch = 32;
            Problem p = c.problem();
            HalfBridgeTrainer trainer = new HalfBridgeTrainer(c.halfStep(), p.reference(), cpu, DType.F32, job);
            HalfBridgeTrainer.StartSampler data = (n, rng) -> Points.toTensor(p.data().sample(n, rng), cpu, DType.F32);
            DriftNet net = new DriftNet(Networks.create(c, cpu, DType.F32, new Rng(c.seed).fork(1, 0, 0)), Direction.BACKWARD, c.parameterisation);
            List<Parameter> params = net.module().parameters();

            MeanMatchingData.Batch mine = trainer.cache(1, Direction.BACKWARD, p.reference(), data, 0, me).batch(0, c.batch, cpu, DType.F32);
            MeanMatchingData.Batch theirs = trainer.cache(1, Direction.BACKWARD, p.reference(), data, 0, other).batch(0, c.batch, cpu, DType.F32);
            Step own = step(net, mine), others = step(net, theirs);
            if (java.util.Arrays.equals(mine.states().toFloats(), theirs.states().toFloats()))
                job.abort(1, "rank " + me + " (" + method + "): both ranks drew the same batch; their seeds must differ");

            Tensor loss = loss(net, mine);
            Gradients g = loss.backward();
            double global = GradientSync.allReduceMean(job, g, params, loss, "the gradients of the check");
            float[] g0 = me == 0 ? own.grad : others.grad, g1 = me == 0 ? others.grad : own.grad;
            float[] reduced = flat(g, params);
            for (int i = 0; i < reduced.length; i++) {
                float want = (g0[i] + g1[i]) * 0.5f;
                if (reduced[i] != want)
                    job.abort(1, "rank " + me + " (" + method + "): all-reduced gradient " + i + " is " + reduced[i] + ", (g0 + g1) / 2 is " + want);
            }
            float wantLoss = ((float) (me == 0 ? own.loss : others.loss) + (float) (me == 0 ? others.loss : own.loss)) * 0.5f;
            if ((float) global != wantLoss) job.abort(1, "rank " + me + " (" + method + "): all-reduced loss " + global + ", (l0 + l1) / 2 is " + wantLoss);

            // the same gradient as one process's on the global batch of 2·B rows (rank 0's rows first)
            MeanMatchingData.Batch b0 = me == 0 ? mine : theirs, b1 = me == 0 ? theirs : mine;
            Step whole = step(net, new MeanMatchingData.Batch(Tensor.concat(0, b0.states(), b1.states()),
                    Tensor.concat(0, b0.targets(), b1.targets()), Tensor.concat(0, b0.steps(), b1.steps())));
            double worst = 0, scale = 0;
            for (int i = 0; i < reduced.length; i++) {
                worst = Math.max(worst, Math.abs(reduced[i] - whole.grad[i]));
                scale = Math.max(scale, Math.abs(whole.grad[i]));
            }
            if (worst > 1e-4 * scale || Math.abs(global - whole.loss) > 1e-5 * whole.loss)
                job.abort(1, "rank " + me + " (" + method + "): the averaged gradient is " + worst + " away from the global batch's (largest entry "
                        + scale + "), loss " + global + " vs " + whole.loss);
            String line = String.format("rank %d (%s): all-reduced gradient of %d values = (g0 + g1) / 2 exactly, loss %.6f = (l0 + l1) / 2; "
                    + "global-batch gradient within %.2g of its largest entry", me, method, reduced.length, global, worst / scale);
            for (int r = 0; r < 2; r++) {                           // rank 0 prints both lines: mpirun interleaves the ranks' output
                byte[] text = job.broadcastBytes(r == me ? line.getBytes() : null, r, "rank " + r + "'s result");
                if (me == 0) System.out.println(new String(text));
            }
        }
        job.barrier("the end of the check");
        Collectives.closeWorld();
    }

    private record Step(float[] grad, double loss) {}

    /** The loss and flattened gradient of {@code net} on {@code b}, computed by this process alone. */
    private static Step step(DriftNet net, MeanMatchingData.Batch b) {
        Tensor loss = loss(net, b);
        Gradients g = loss.backward();
        return new Step(flat(g, net.module().parameters()), loss.item());
    }

    private static Tensor loss(DriftNet net, MeanMatchingData.Batch b) {
        return net.meanIncrement(b.states(), b.steps()).sub(b.targets()).square().mean();    // HalfBridgeTrainer's loss
    }

    private static float[] flat(Gradients g, List<Parameter> params) {
        List<float[]> parts = new ArrayList<>();
        int n = 0;
        for (Parameter p : params) {
            float[] v = g.get(p.value()).toFloats();
            parts.add(v);
            n += v.length;
        }
        float[] out = new float[n];
        int at = 0;
        for (float[] v : parts) { System.arraycopy(v, 0, out, at, v.length); at += v.length; }
        return out;
    }
}
