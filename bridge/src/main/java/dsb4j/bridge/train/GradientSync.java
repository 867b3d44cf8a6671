package dsb4j.bridge.train;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.dist.Collective;
import dsb4j.engine.tensor.Layout;
import dsb4j.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Data parallelism's one exchange per optimiser step: every rank's gradients and loss, averaged over the ranks in a
 * single all-reduce (the sum, times 1/K). Each rank's loss is the mean over its own batch of B rows, so the average
 * over K ranks is the mean over the global batch of K·B rows, and its gradient is the average of the ranks'
 * gradients: the update every rank then makes is the one a single process would make on the global batch (up to
 * the order of float additions), and since every rank receives the same sums, the ranks' weights stay identical.
 * The loss travels with the gradients so that every rank's divergence guard sees the same global loss and takes the
 * same decision.
 * <p>
 * The gradients are written back in place, like gradient clipping does; a tensor that two parameters share is sent
 * once. On a GPU backend they go through host memory (NCCL would keep them on the device; see docs/distributed.md).
 */
public final class GradientSync {
    private GradientSync() {}

    /**
     * Replaces each gradient of {@code params} by its average over the ranks and returns the average of {@code loss}
     * (a scalar tensor). With one rank it only reads the loss.
     */
    public static double allReduceMean(Collective collective, Gradients grads, List<Parameter> params, Tensor loss, String what) {
        if (collective.size() == 1) return loss.item();
        List<Tensor> tensors = distinct(grads, params);
        long total = 1;
        for (Tensor t : tensors) total += t.numel();
        if (total > Integer.MAX_VALUE - 8) throw new IllegalStateException("the gradients of " + total + " values exceed one all-reduce");
        float[] flat = new float[(int) total];
        int at = 0;
        for (Tensor t : tensors) {
            float[] g = t.toFloats();
            System.arraycopy(g, 0, flat, at, g.length);
            at += g.length;
        }
        flat[at] = (float) loss.item();
        collective.allReduceSum(flat, what);
        float scale = 1f / collective.size();
        for (int i = 0; i < flat.length; i++) flat[i] *= scale;
        at = 0;
        for (Tensor t : tensors) {
            int n = t.numel();
            float[] part = new float[n];
            System.arraycopy(flat, at, part, 0, n);
            Backend b = t.backend();
            Storage averaged = b.fromFloats(part);
            b.copy(averaged, Layout.contiguous(t.shape()), t.storage(), t.layout());
            b.release(averaged);
            at += n;
        }
        return flat[at];
    }

    /** The gradient tensors of {@code params} in parameter order, each region of a storage once. */
    private static List<Tensor> distinct(Gradients grads, List<Parameter> params) {
        Map<Storage, List<Layout>> seen = new IdentityHashMap<>();
        List<Tensor> out = new ArrayList<>();
        for (Parameter p : params) {
            Tensor g = grads.get(p.value());
            if (g == null) continue;
            List<Layout> layouts = seen.computeIfAbsent(g.storage(), s -> new ArrayList<>());
            if (layouts.contains(g.layout())) continue;
            layouts.add(g.layout());
            out.add(g);
        }
        return out;
    }
}
