package dsb4j.nn.layers;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.tensor.ShapeException;

/**
 * Fixed sinusoidal features of a time input t [B] (an integer step index as a float, or a continuous time):
 * [B, dim]. With half = dim/2 and s = scale·t, the two conventions of the reference code:
 * <ul>
 *   <li>{@link Style#SIN_COS} (the reference 2-D network): [sin(s·f_i), cos(s·f_i)], f_i = 10000^(−i/(half−1));</li>
 *   <li>{@link Style#COS_SIN} (guided-diffusion U-Net): [cos(s·f_i), sin(s·f_i)], f_i = 10000^(−i/half).</li>
 * </ul>
 * An odd dim gets one zero column at the end. The scale stretches short time ranges (raw DSB times lie in
 * [0, 0.2]: only the top frequencies would vary).
 */
public final class SinusoidalEmbedding extends Layer {
    public enum Style { SIN_COS, COS_SIN }

    private final int dim;
    private final Style style;
    private final double scale;
    private Tensor freqs;        // [1, half], made on first use for the input's backend and dtype

    public SinusoidalEmbedding(int dim, Style style, double scale) {
        if (dim < 2 || (style == Style.SIN_COS && dim < 4))
            throw new IllegalArgumentException("SinusoidalEmbedding: dim " + dim + " too small for " + style);
        this.dim = dim;
        this.style = style;
        this.scale = scale;
    }

    public int dim() { return dim; }

    /** [1, n] in t's backend and dtype, made directly in that dtype (a device backend may lack the other). */
    private static Tensor constant(Tensor t, double[] v) {
        if (t.dtype() == dsb4j.engine.tensor.DType.F64) return Tensor.of(t.backend(), v, 1, v.length);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(t.backend(), f, 1, v.length);
    }

    @Override public Tensor forward(Tensor t) {
        if (t.rank() != 1) throw new ShapeException("SinusoidalEmbedding(" + dim + ")", "time input " + t.shape() + " (want [B])");
        int half = dim / 2;
        Tensor f = freqs;
        if (f == null || f.backend() != t.backend() || f.dtype() != t.dtype()) {
            double[] v = new double[half];
            double denom = style == Style.SIN_COS ? half - 1 : half;
            for (int i = 0; i < half; i++) v[i] = Math.exp(-Math.log(10000) * i / denom) * scale;
            f = freqs = BufferScope.unscoped(() -> constant(t, v));   // outlives any step
        }
        Tensor args = t.reshape(t.dim(0), 1).mul(f);                       // [B, half]
        Tensor out = style == Style.SIN_COS ? Tensor.concat(1, args.sin(), args.cos()) : Tensor.concat(1, args.cos(), args.sin());
        if (dim % 2 == 1) out = Tensor.concat(1, out, Tensor.zeros(t.backend(), t.dtype(), t.dim(0), 1));
        return out;
    }
}
