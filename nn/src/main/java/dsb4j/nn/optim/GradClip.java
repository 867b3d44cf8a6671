package dsb4j.nn.optim;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.autograd.NoGrad;
import dsb4j.engine.backend.Storage;
import dsb4j.nn.Parameter;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

/**
 * Global-norm gradient clipping, as torch.nn.utils.clip_grad_norm_: with N = √(Σ‖g_p‖²) over the
 * parameters' gradients, every gradient is multiplied by maxNorm / (N + 1e-6) when that is below 1.
 * The gradients are scaled in place: they belong to one backward pass, which produced them for this use
 * (the engine's {@link Gradients} has no public way to build a new set). A non-finite norm leaves the
 * gradients as they are and is returned, so the caller can stop.
 */
public final class GradClip {
    private GradClip() {}

    /** √(Σ‖g_p‖²) over the parameters that have a gradient; one value read back from the device. */
    public static double globalNorm(Gradients g, List<Parameter> params) {
        try (var ignored = NoGrad.enter()) {
            Tensor total = null;
            for (Parameter p : params) {
                Tensor grad = g.get(p.value());
                if (grad == null) continue;
                Tensor sq = grad.square().sum();
                total = total == null ? sq : total.add(sq);
            }
            return total == null ? 0.0 : Math.sqrt(total.item());
        }
    }

    /** Clips and returns {@code g} itself (so it reads {@code grads = clipGlobalNorm(grads, ...)}). */
    public static Gradients clipGlobalNorm(Gradients g, List<Parameter> params, double maxNorm) {
        clip(g, params, maxNorm);
        return g;
    }

    /** Clips {@code g} in place and returns the norm before clipping. */
    public static double clip(Gradients g, List<Parameter> params, double maxNorm) {
        if (!(maxNorm > 0)) throw new IllegalArgumentException("GradClip: maxNorm must be positive, got " + maxNorm);
        double norm = globalNorm(g, params);
        double coef = maxNorm / (norm + 1e-6);
        if (!Double.isFinite(norm) || coef >= 1) return norm;
        // Two parameters may receive the very same gradient tensor (y = a + b): scale each region once.
        Map<Storage, List<Integer>> done = new IdentityHashMap<>();
        for (Parameter p : params) {
            Tensor grad = g.get(p.value());
            if (grad == null) continue;
            List<Integer> offsets = done.computeIfAbsent(grad.storage(), s -> new ArrayList<>());
            if (offsets.contains(grad.layout().offset())) continue;
            offsets.add(grad.layout().offset());
            grad.scaleInPlace(coef);
        }
        return norm;
    }
}
