package dsb4j.engine;

import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import java.util.function.BiFunction;
import java.util.function.Function;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import static org.junit.jupiter.api.Assertions.*;

/**
 * Whole graphs, forward and reverse, in F32 on every backend of {@link dsb4j.engine.backend.BackendTargets} but the
 * scalar one (the CPU on one and two threads, the CUDA emulator, a GPU where present) against the scalar backend in
 * F64: the op front-end driving the fast kernels with the layouts autodiff produces (broadcast and permuted
 * gradients, offsets, transposed GEMM operands). Agreement to float precision: per tensor,
 * |backend − scalar| ≤ 2e-4·max|scalar| + 2e-3·|scalar|.
 */
class CrossBackendGradTest {

    /** A graph: builds its inputs (as leaves, possibly views) on a backend, and its scalar loss from them. */
    record Graph(String name, BiFunction<Backend, DType, Tensor[]> inputs, Function<Tensor[], Tensor> loss) {
        @Override public String toString() { return name; }
    }

    static Tensor randn(Backend b, DType d, long seed, int... dims) {
        double[] v = Tensor.randn(Backends.scalar(), DType.F64, new Rng(seed), dims).toDoubles();
        if (d == DType.F64) return Tensor.of(b, v, dims);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(b, f, dims);
    }

    static Stream<Graph> graphs() {
        return Stream.of(
                new Graph("mlp with mse",
                        (b, d) -> new Tensor[]{randn(b, d, 1, 32, 5), randn(b, d, 2, 5, 64).mul(0.4), randn(b, d, 3, 64),
                                randn(b, d, 4, 3, 64).mul(0.15), randn(b, d, 5, 3), randn(b, d, 6, 32, 3)},
                        t -> Functional.mse(Functional.silu(t[0].matmul(t[1]).add(t[2])).matmul(t[3].t()).add(t[4]), t[5])),
                new Graph("conv net",
                        (b, d) -> new Tensor[]{randn(b, d, 1, 2, 3, 8, 8), randn(b, d, 2, 8, 3, 3, 3).mul(0.3), randn(b, d, 3, 8),
                                randn(b, d, 4, 4, 8, 3, 3).mul(0.2)},
                        t -> {
                            Tensor h = Functional.silu(Functional.groupNorm(Conv.conv2d(t[0], t[1], t[2], 1, 1), 4, 1e-5));
                            h = Conv.upsampleNearest(Conv.avgPool2d(h, 2), 2);
                            Tensor y = Conv.conv2d(h, t[3], null, 2, 1);                       // [2, 4, 4, 4]
                            return Functional.logSoftmax(y, 1).mul(y.tanh()).mean();
                        }),
                new Graph("batched attention-like product on views",
                        (b, d) -> new Tensor[]{randn(b, d, 1, 6, 3, 8).permute(1, 0, 2), randn(b, d, 2, 3, 8, 6).transpose(1, 2),
                                randn(b, d, 3, 8, 5)},
                        t -> {
                            Tensor s = Functional.softmax(t[0].matmul(t[1].transpose(1, 2)).mul(0.35), -1);   // [3, 6, 6]
                            Tensor o = s.matmul(t[1]).matmul(t[2]);                                         // [3, 6, 5]
                            return Functional.layerNorm(o, 1e-5).square().mul(o.max(true, 1)).sum();
                        }),
                new Graph("movement and reductions",
                        (b, d) -> new Tensor[]{randn(b, d, 1, 4, 6), randn(b, d, 2, 6, 1), randn(b, d, 3, 10, 6).slice(0, 1, 9, 2)},
                        t -> {
                            Tensor c = Tensor.concat(0, t[0], t[1].t().broadcastTo(3, 6), t[2]);            // [11, 6]
                            Tensor p = c.pad(new int[]{1, 0}, new int[]{0, 2}).slice(1, 0, 8, 3);           // [12, 3]
                            Tensor q = Tensor.stack(1, p.abs().add(0.1).sqrt(), p.sigmoid()).reshape(12, 6).t();     // [6, 12]
                            return q.sum(false, 1).mul(q.mean(false, 1)).sum().add(q.max(false).mul(2.0))
                                    .add(c.maximum(c.t().t().mul(0.5)).minimum(c.cos()).sum());
                        }));
    }

    /** Every graph on every backend but the scalar one (the reference), in F32. */
    static Stream<Arguments> targetsAndGraphs() {
        return dsb4j.engine.backend.BackendTargets.names().filter(t -> !t.equals("scalar"))
                .flatMap(t -> graphs().map(g -> Arguments.of(t, g)));
    }

    @ParameterizedTest(name = "{0}: {1}")
    @MethodSource("targetsAndGraphs")
    void f32MatchesScalarF64(String target, Graph graph) {
        Backend backend = dsb4j.engine.backend.BackendTargets.backend(target);
        Tensor[] ref = leaves(graph.inputs().apply(Backends.scalar(), DType.F64));
        Tensor[] got = leaves(graph.inputs().apply(backend, DType.F32));
        Tensor lr = graph.loss().apply(ref), lg = graph.loss().apply(got);
        assertEquals(DType.F32, lg.dtype());
        assertEquals(lr.item(), lg.item(), 2e-4 * Math.max(1, Math.abs(lr.item())), graph + ": loss");
        Gradients gr = lr.backward(), gg = lg.backward();
        for (int i = 0; i < ref.length; i++) {
            Tensor a = gr.get(ref[i]), b = gg.get(got[i]);
            assertNotNull(b, graph + ": input " + i + " has no gradient on " + target);
            assertEquals(DType.F32, b.dtype());
            assertEquals(a.shape(), b.shape());
            double[] want = a.toDoubles(), have = b.toDoubles();
            double scale = 0;
            for (double v : want) scale = Math.max(scale, Math.abs(v));
            for (int j = 0; j < want.length; j++)
                if (!(Math.abs(have[j] - want[j]) <= 2e-4 * scale + 2e-3 * Math.abs(want[j])))
                    fail(graph + ": gradient of input " + i + " " + a.shape() + " element " + j + ": " + target + " " + have[j]
                            + " vs scalar " + want[j] + " (max |grad| " + scale + ")");
        }
    }

    static Tensor[] leaves(Tensor[] xs) {
        Tensor[] out = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) out[i] = xs[i].requiringGrad();
        return out;
    }
}
