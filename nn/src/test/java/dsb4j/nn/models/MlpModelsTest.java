package dsb4j.nn.models;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.GradCheck;
import dsb4j.nn.Parameter;
import dsb4j.nn.layers.Activation;
import java.util.List;
import org.junit.jupiter.api.Test;

class MlpModelsTest {
    private static final Backend CPU = Backends.cpu(1);

    @Test void mlp2dHasTheReferenceSizeAndNames() {
        Mlp2d m = new Mlp2d(CPU, DType.F32, new Rng(1), 2);
        assertEquals(26_498, m.parameterCount());
        List<String> names = m.parameters().stream().map(Parameter::name).toList();
        assertEquals(List.of("net.layers.0.weight", "net.layers.0.bias", "net.layers.1.weight", "net.layers.1.bias",
                "net.layers.2.weight", "net.layers.2.bias", "t_encoder.layers.0.weight", "t_encoder.layers.0.bias",
                "t_encoder.layers.1.weight", "t_encoder.layers.1.bias", "x_encoder.layers.0.weight", "x_encoder.layers.0.bias",
                "x_encoder.layers.1.weight", "x_encoder.layers.1.bias"), names);
        assertArrayEquals(new int[]{128, 64}, m.parameters().get(0).shape().dims());
        Tensor y = m.forward(Tensor.randn(CPU, DType.F32, new Rng(2), 5, 2), Tensor.full(CPU, DType.F32, 3, 5));
        assertArrayEquals(new int[]{5, 2}, y.dims());
        // d = 3: the first x layer gains 16 weights, the last layer 128 weights and a bias
        assertEquals(26_498 + 16 + 129, new Mlp2d(CPU, DType.F32, new Rng(1), 3).parameterCount());
    }

    @Test void mlp2dForwardAtOneTimeIsForwardBitForBit() {
        // the simulator's path computes the time sinusoid once and broadcasts it; every row must come out as forward's,
        // on one thread and two, in float and double, at batch sizes around the SGEMM blocks and their tails
        for (Backend backend : List.of(CPU, Backends.cpu(2), Backends.scalar()))
            for (DType dtype : List.of(DType.F32, DType.F64))
                for (int d : new int[]{2, 3})
                    for (int b : new int[]{1, 5, 6, 7, 64, 1021, 10_000}) {
                        Mlp2d m = new Mlp2d(backend, dtype, new Rng(b + d), d);
                        Tensor x = Tensor.randn(backend, dtype, new Rng(b), b, d).mul(7);
                        for (double t : new double[]{0, 13, 0.05}) {
                            double[] want = m.forward(x, Tensor.full(backend, dtype, t, b)).toDoubles();
                            assertArrayEquals(want, m.forwardAt(x, t).toDoubles(), 0.0, backend + " " + dtype + " d=" + d + " B=" + b + " t=" + t);
                        }
                    }
    }

    @Test void mlp2dInitialisationIsPyTorchsDefault() {
        Mlp2d m = new Mlp2d(CPU, DType.F32, new Rng(7), 2);
        for (Parameter p : m.parameters()) {
            int fanIn = p.name().endsWith("weight") ? p.shape().dim(1) : m.parameters().get(m.parameters().indexOf(p) - 1).shape().dim(1);
            double bound = 1 / Math.sqrt(fanIn), max = 0;
            for (double v : p.value().toDoubles()) max = Math.max(max, Math.abs(v));
            assertTrue(max <= bound, p.name() + " exceeds U(-1/sqrt(fan_in), 1/sqrt(fan_in))");
            if (p.numel() >= 100) assertTrue(max > 0.9 * bound, p.name() + " does not fill its range");
        }
        // the same generator seed gives the same network
        assertArrayEquals(m.parameters().get(0).value().toFloats(),
                new Mlp2d(CPU, DType.F32, new Rng(7), 2).parameters().get(0).value().toFloats());
    }

    @Test void mlp2dGradientsMatchCentralDifferences() {
        Rng rng = new Rng(11);
        Mlp2d m = new Mlp2d(Backends.scalar(), DType.F64, rng, 2);
        GradCheck.jitter(m, rng, 0.1);
        Tensor t = Tensor.of(Backends.scalar(), new double[]{0, 3, 7, 19}, 4);
        Tensor x = Tensor.randn(Backends.scalar(), DType.F64, rng, 4, 2).mul(3.0);
        assertEquals(15, GradCheck.check("Mlp2d", m, xx -> m.forward(xx, t), x, rng));
    }

    @Test void mlpDriftGradientsMatchInBothTimeModes() {
        Rng rng = new Rng(12);
        Backend b = Backends.scalar();
        for (MlpDrift.TimeInput mode : MlpDrift.TimeInput.values()) {
            var c = new MlpDrift.Config(5, new int[]{16, 12}, Activation.SILU, mode, 8, 0.1);
            MlpDrift m = new MlpDrift(b, DType.F64, rng, c);
            Tensor t = Tensor.of(b, new double[]{0, 5, 9}, 3);
            Tensor x = Tensor.randn(b, DType.F64, rng, 3, 5);
            GradCheck.check("MlpDrift " + mode, m, xx -> m.forward(xx, t), x, rng);
            int in = 5 + (mode == MlpDrift.TimeInput.CONCAT ? 1 : 8);
            assertEquals((long) in * 16 + 16 + 16 * 12 + 12 + 12 * 5 + 5, m.parameterCount());
        }
    }

    @Test void mlpDriftDefaultsAreDsbmsGaussianNet() {
        MlpDrift m = new MlpDrift(CPU, DType.F32, new Rng(3), 50, new int[]{256, 256});
        assertEquals(51L * 256 + 256 + 256 * 256 + 256 + 256 * 50 + 50, m.parameterCount());
        assertEquals(Activation.SILU, m.config().activation());
        assertArrayEquals(new int[]{7, 50}, m.forward(Tensor.zeros(CPU, DType.F32, 7, 50), Tensor.zeros(CPU, DType.F32, 7)).dims());
    }

    @Test void badInputsNameTheNetworkAndShapes() {
        Mlp2d m = new Mlp2d(CPU, DType.F32, new Rng(1), 2);
        var e = assertThrows(ShapeException.class, () -> m.forward(Tensor.zeros(CPU, DType.F32, 4, 3), Tensor.zeros(CPU, DType.F32, 4)));
        assertTrue(e.getMessage().contains("Mlp2d") && e.getMessage().contains("[4, 3]"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> m.forward(Tensor.zeros(CPU, DType.F32, 4, 2), Tensor.zeros(CPU, DType.F32, 5)));
        assertTrue(e.getMessage().contains("[5]"), e.getMessage());
    }

    @Test void replicateBuildsTheSameArchitecture() {
        Mlp2d m = new Mlp2d(CPU, DType.F32, new Rng(1), 2);
        Mlp2d r = m.replicate();
        r.copyFrom(m);
        Tensor x = Tensor.randn(CPU, DType.F32, new Rng(5), 3, 2), t = Tensor.full(CPU, DType.F32, 2, 3);
        assertArrayEquals(m.forward(x, t).toFloats(), r.forward(x, t).toFloats());
        assertNotSame(m.parameters().get(0).value().storage(), r.parameters().get(0).value().storage(), "copies own their storage");
    }
}
