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
import java.util.List;
import org.junit.jupiter.api.Test;

class UNetTest {
    private static final Backend CPU = Backends.cpu(2);

    @Test void outputShapeEqualsInputShapeAt28And32() {
        UNet u = new UNet(CPU, DType.F32, new Rng(1), UNetConfig.small28());
        Rng rng = new Rng(2);
        GradCheck.jitter(u, rng, 0.05);               // a fresh U-Net outputs exactly zero (zero output conv)
        for (int size : new int[]{28, 32}) {
            Tensor x = Tensor.randn(CPU, DType.F32, rng, 2, 1, size, size);
            Tensor y = u.forward(x, Tensor.of(CPU, new float[]{0, 29}, 2));
            assertArrayEquals(x.dims(), y.dims(), "size " + size);
            for (float v : y.toFloats()) assertTrue(Float.isFinite(v));
        }
        UNet three = new UNet(CPU, DType.F32, new Rng(1), new UNetConfig(3, 8, new int[]{1, 2, 2, 2}, 1, new int[]{4}, 2, 4, 0, false, 1));
        Tensor x = Tensor.zeros(CPU, DType.F32, 1, 3, 32, 32);
        assertArrayEquals(x.dims(), three.forward(x, Tensor.zeros(CPU, DType.F32, 1)).dims());
    }

    @Test void aFreshUNetIsZeroAndNamedLikeGuidedDiffusion() {
        UNet u = new UNet(CPU, DType.F32, new Rng(1), UNetConfig.small28());
        Tensor y = u.forward(Tensor.randn(CPU, DType.F32, new Rng(3), 1, 1, 28, 28), Tensor.of(CPU, new float[]{4}, 1));
        for (float v : y.toFloats()) assertEquals(0f, v);
        List<String> names = u.parameters().stream().map(Parameter::name).toList();
        for (String n : List.of("time_embed.0.weight", "time_embed.2.bias", "input_blocks.0.0.weight",
                "input_blocks.1.0.in_layers.0.weight", "input_blocks.1.0.in_layers.2.weight", "input_blocks.1.0.emb_layers.1.weight",
                "input_blocks.1.0.out_layers.3.weight", "input_blocks.2.0.op.weight", "input_blocks.3.0.skip_connection.weight",
                "middle_block.1.qkv.weight", "middle_block.1.proj_out.bias", "output_blocks.0.0.skip_connection.weight",
                "output_blocks.1.1.conv.weight", "out.0.weight", "out.2.weight"))
            assertTrue(names.contains(n), n + " missing from " + names);
        assertArrayEquals(new int[]{192, 64, 1}, u.stateDict().get("middle_block.1.qkv.weight").dims());
    }

    @Test void parameterCountsMatchThePyTorchModel() {
        // Counted by bench/torch/models.py (the guided-diffusion U-Net in PyTorch, same configurations).
        assertEquals(1_140_929, new UNet(CPU, DType.F32, new Rng(1), UNetConfig.small28()).parameterCount());
        assertEquals(6_615_361, new UNet(CPU, DType.F32, new Rng(1), UNetConfig.reference28()).parameterCount());
        assertEquals(9_262_019, new UNet(CPU, DType.F32, new Rng(1), UNetConfig.reference32(3)).parameterCount());
    }

    /**
     * No op's result depends on the thread count: a training step's loss and gradients of the image presets' U-Nets,
     * on one thread and on two, bit for bit (what lets a half-step build its next cache on a second thread, and a
     * run resume with another --threads, without changing a bit).
     */
    @Test void oneThreadAndTwoGiveTheSameStepBitForBit() {
        for (UNetConfig c : List.of(UNetConfig.tiny28(), UNetConfig.small28())) {
            float[][] got = new float[2][];
            int at = 0;
            for (Backend b : List.of(Backends.cpu(1), Backends.cpu(2))) {
                UNet u = new UNet(b, DType.F32, new Rng(7), c);
                GradCheck.jitter(u, new Rng(8), 0.05);
                Tensor x = Tensor.randn(b, DType.F32, new Rng(9), 3, 1, 28, 28), t = Tensor.of(b, new float[]{0, 11, 29}, 3);
                Tensor loss = u.forward(x, t).sub(x).square().mean();
                var grads = loss.backward();
                java.util.List<Float> all = new java.util.ArrayList<>(List.of(loss.toFloats()[0]));
                for (Parameter p : u.parameters()) for (float v : grads.get(p.value()).toFloats()) all.add(v);
                got[at] = new float[all.size()];
                for (int i = 0; i < got[at].length; i++) got[at][i] = all.get(i);
                at++;
            }
            assertArrayEquals(got[0], got[1], c.toString());
        }
    }

    @Test void anEmaShadowIsAUNetWithTheSameOutputs() {
        UNetConfig c = new UNetConfig(1, 8, new int[]{1, 2}, 1, new int[0], 2, 4, 0.0, true, 1.0);
        UNet u = new UNet(CPU, DType.F32, new Rng(4), c);
        GradCheck.jitter(u, new Rng(5), 0.1);
        dsb4j.nn.optim.Ema ema = new dsb4j.nn.optim.Ema(u);
        assertTrue(ema.shadow() instanceof UNet);
        Tensor x = Tensor.randn(CPU, DType.F32, new Rng(6), 2, 1, 8, 8), t = Tensor.of(CPU, new float[]{1, 2}, 2);
        assertArrayEquals(u.forward(x, t).toFloats(), ((UNet) ema.shadow()).forward(x, t).toFloats());
    }

    @Test void gradientsMatchCentralDifferences() {
        Backend b = Backends.scalar();
        Rng rng = new Rng(21);
        for (boolean scaleShift : new boolean[]{true, false}) {
            UNetConfig c = new UNetConfig(1, 4, new int[]{1, 2}, 1, new int[]{2}, 2, 2, 0.0, scaleShift, 0.5);
            UNet u = new UNet(b, DType.F64, rng, c);
            GradCheck.jitter(u, rng, 0.3);
            Tensor t = Tensor.of(b, new double[]{1, 6}, 2);
            Tensor x = Tensor.randn(b, DType.F64, rng, 2, 1, 4, 4);
            int n = GradCheck.check("UNet scaleShift=" + scaleShift, u, xx -> u.forward(xx, t), x, rng);
            assertEquals(u.parameters().size() + 1, n);
        }
    }

    @Test void oddSizesAndWrongChannelsAreClearErrors() {
        UNet u = new UNet(CPU, DType.F32, new Rng(1), UNetConfig.small28());
        var e = assertThrows(ShapeException.class, () -> u.forward(Tensor.zeros(CPU, DType.F32, 1, 1, 30, 30), Tensor.zeros(CPU, DType.F32, 1)));
        assertTrue(e.getMessage().contains("divisible by 4"), e.getMessage());
        e = assertThrows(ShapeException.class, () -> u.forward(Tensor.zeros(CPU, DType.F32, 1, 3, 28, 28), Tensor.zeros(CPU, DType.F32, 1)));
        assertTrue(e.getMessage().contains("[1, 3, 28, 28]"), e.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> new UNetConfig(1, 30, new int[]{1, 2}, 1, new int[0], 1, 8, 0, true, 1));
        assertTrue(bad.getMessage().contains("30 channels"), bad.getMessage());
    }
}
