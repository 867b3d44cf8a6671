package dsb4j.engine.backend.cpu;

import static dsb4j.engine.backend.cpu.Parity.*;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.Layout;
import dsb4j.engine.tensor.Shape;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The direct 3×3 convolutions (forward, input gradient, weight gradient), with the kernels for 32 vector registers
 * and those for 16 whatever this machine has, and every convolution route of the CPU backend, against the
 * scalar backend's im2col + GEMM on random data: odd channel counts (not multiples of the 4-channel tile, and o = 1), widths around the lane
 * count, planes whose grid does not fill the last register tile, strided and permuted inputs, one and two threads.
 * Float sums in another order: 1e-5 of Σ|a||b| per element (the same products on absolute values). The two thread
 * counts must agree bit for bit, and so must the two kernels in the forward and input gradient.
 */
class DirectConvParityTest {

    @BeforeAll static void lanes() { checkLanes("DirectConvParityTest"); }

    /** n, c, o, h, w. */
    static final int[][] CASES = {
            {1, 1, 1, 1, 1}, {2, 3, 5, 5, 7}, {3, 2, 7, L + 1, 2 * L + 3}, {1, 5, 4, 3, L - 1}, {2, 7, 1, 6, 6},
            {1, 1, 9, 28, 28}, {2, 4, 3, 7, 7}, {4, 16, 24, 14, 14}, {3, 9, 6, 28, 28}};

    @Test void appliesOnlyToThreeByThreeSamePaddingAndLargePlanesForTheWeightGradient() {
        assertTrue(DirectConv.applies(new ConvGeometry(2, 3, 8, 8, 3, 3, 1, 1)));
        assertFalse(DirectConv.applies(new ConvGeometry(2, 3, 8, 8, 3, 3, 2, 1)));   // the U-Net's down-sampling
        assertFalse(DirectConv.applies(new ConvGeometry(2, 3, 8, 8, 1, 1, 1, 0)));
        assertFalse(DirectConv.applies(new ConvGeometry(2, 3, 8, 8, 5, 5, 1, 2)));
        for (DirectConv.Kernels k : DirectConv.Kernels.values())
            assertTrue(DirectConv.weightGradApplies(k, new ConvGeometry(2, 3, 28, 28, 3, 3, 1, 1)));
        assertFalse(DirectConv.weightGradApplies(DirectConv.Kernels.FOR_32_REGISTERS, new ConvGeometry(2, 3, 14, 14, 3, 3, 1, 1)));
        assertTrue(DirectConv.weightGradApplies(DirectConv.Kernels.FOR_16_REGISTERS, new ConvGeometry(2, 3, 14, 14, 3, 3, 1, 1)));
        assertFalse(DirectConv.weightGradApplies(DirectConv.Kernels.FOR_16_REGISTERS, new ConvGeometry(2, 3, 7, 7, 3, 3, 1, 1)));
        assertEquals(SgemmBlock.REGISTERS >= 32 ? DirectConv.Kernels.FOR_32_REGISTERS : DirectConv.Kernels.FOR_16_REGISTERS, DirectConv.Kernels.HERE,
                "the kernels follow the vector registers");
    }

    @Test void forwardMatchesScalar() {
        Rng rng = new Rng(61);
        for (int[] k : CASES) {
            ConvGeometry g = geometry(k);
            int o = k[2], ySize = g.n() * o * g.h() * g.w();
            float[] w = data(rng, o * g.colRows());
            for (View v : views(g)) {
                float[] x = data(rng, v.storageSize());
                float[] expected = sentinels(ySize + 5), scale = sentinels(ySize + 5);
                SCALAR.conv2d(g, o, f32(SCALAR, x), v.layout(), f32(SCALAR, w), wrap(expected));
                SCALAR.conv2d(g, o, f32(SCALAR, abs(x)), v.layout(), f32(SCALAR, abs(w)), wrap(scale));
                float[] first = null;
                for (DirectConv.Kernels kernels : DirectConv.Kernels.values())
                    for (CpuBackend cpu : CPUS) {
                        float[] y = sentinels(ySize + 5);
                        DirectConv.forward(kernels, g, o, x, v.layout(), w, y, new float[DirectConv.forwardScratch(g)], cpu.pool());
                        String what = "conv2d " + g + " o " + o + " x " + v + " " + kernels + " threads " + cpu.threads();
                        assertStorage(what, expected, y, within(scale));
                        if (first == null) first = y;
                        else assertArrayEquals(first, y, what + ": not the bits of the 32-register kernels on one thread");
                    }
            }
        }
    }

    @Test void inputGradientMatchesScalar() {
        Rng rng = new Rng(62);
        for (int[] k : CASES) {
            ConvGeometry g = geometry(k);
            int o = k[2], xSize = g.n() * g.c() * g.h() * g.w();
            float[] w = data(rng, o * g.colRows()), dy = data(rng, g.n() * o * g.h() * g.w());
            float[] expected = sentinels(xSize + 5), scale = sentinels(xSize + 5);
            SCALAR.conv2dInputGrad(g, o, f32(SCALAR, dy), f32(SCALAR, w), wrap(expected));
            SCALAR.conv2dInputGrad(g, o, f32(SCALAR, abs(dy)), f32(SCALAR, abs(w)), wrap(scale));
            float[] first = null;
            for (DirectConv.Kernels kernels : DirectConv.Kernels.values())
                for (CpuBackend cpu : CPUS) {
                    float[] dx = sentinels(xSize + 5);
                    DirectConv.inputGrad(kernels, g, o, dy, w, dx, new float[DirectConv.inputGradScratch(g, o)], cpu.pool());
                    String what = "conv2d dx " + g + " o " + o + " " + kernels + " threads " + cpu.threads();
                    assertStorage(what, expected, dx, within(scale));
                    if (first == null) first = dx;
                    else assertArrayEquals(first, dx, what + ": not the bits of the 32-register kernels on one thread");
                }
        }
    }

    @Test void weightGradientMatchesScalar() {
        Rng rng = new Rng(63);
        for (int[] k : CASES) {
            ConvGeometry g = geometry(k);
            int o = k[2], wSize = o * g.colRows();
            float[] dy = data(rng, g.n() * o * g.h() * g.w());
            for (View v : views(g)) {
                float[] x = data(rng, v.storageSize());
                float[] expected = sentinels(wSize + 5), scale = sentinels(wSize + 5);
                SCALAR.conv2dWeightGrad(g, o, f32(SCALAR, x), v.layout(), f32(SCALAR, dy), wrap(expected));
                SCALAR.conv2dWeightGrad(g, o, f32(SCALAR, abs(x)), v.layout(), f32(SCALAR, abs(dy)), wrap(scale));
                for (DirectConv.Kernels kernels : DirectConv.Kernels.values()) {
                    float[] first = null;
                    for (CpuBackend cpu : CPUS) {
                        float[] dw = sentinels(wSize + 5);
                        float[] scratch = sentinels(DirectConv.weightGradScratch(kernels, g, o));   // garbage must not leak in
                        DirectConv.weightGrad(kernels, g, o, x, v.layout(), dy, dw, scratch, cpu.pool());
                        String what = "conv2d dw " + g + " o " + o + " x " + v + " " + kernels + " threads " + cpu.threads();
                        assertStorage(what, expected, dw, within(scale));
                        if (first == null) first = dw;
                        else assertArrayEquals(first, dw, what + ": thread counts disagree");
                    }
                }
            }
        }
    }

    /** The backend routes 3×3 same convolutions to the direct kernels: its output has their bits, not the GEMM's. */
    @Test void cpuBackendUsesTheDirectKernels() {
        Rng rng = new Rng(64);
        ConvGeometry g = new ConvGeometry(2, 8, 12, 12, 3, 3, 1, 1);
        int o = 6, ySize = g.n() * o * g.h() * g.w();
        float[] x = data(rng, g.n() * g.c() * g.h() * g.w()), w = data(rng, o * g.colRows());
        Layout xl = Layout.contiguous(Shape.of(g.n(), g.c(), g.h(), g.w()));
        for (CpuBackend cpu : CPUS) {
            float[] direct = new float[ySize], routed = new float[ySize];
            DirectConv.forward(g, o, x, xl, w, direct, new float[DirectConv.forwardScratch(g)], cpu.pool());
            cpu.conv2d(g, o, f32(cpu, x), xl, f32(cpu, w), new HeapStorage.F32(cpu, routed));
            assertArrayEquals(direct, routed);
        }
    }

    /**
     * CpuBackend's three convolution routes against the scalar backend: 3×3 "same" (direct kernels), 1×1 over packed
     * images (one GEMM per image in place, the weight gradient summed over fixed groups of images; a strided x falls
     * back) and anything else (im2col + GEMM), through the SPI; one and two threads agree bit for bit.
     */
    @Test void everyRouteMatchesScalar() {
        Rng rng = new Rng(65);
        ConvGeometry[] geometries = {
                new ConvGeometry(2, 5, 7, 9, 1, 1, 1, 0), new ConvGeometry(3, 4, L + 1, 5, 1, 1, 1, 0),
                new ConvGeometry(11, 6, 9, 10, 1, 1, 1, 0),       // 1×1 weight gradient from three partial sums
                new ConvGeometry(40, 16, 14, 14, 1, 1, 1, 0),     // ... and enough work for two threads to split
                new ConvGeometry(2, 3, 8, 8, 3, 3, 2, 1), new ConvGeometry(2, 6, 9, 7, 3, 3, 1, 1),
                new ConvGeometry(1, 3, 20, 30, 3, 3, 1, 1)};      // large enough for the direct weight gradient
        for (ConvGeometry g : geometries) {
            for (int o : new int[]{1, 6}) {
                int ySize = g.n() * o * g.oh() * g.ow(), xSize = g.n() * g.c() * g.h() * g.w(), wSize = o * g.colRows();
                float[] w = data(rng, wSize), dy = data(rng, ySize);
                for (View v : views(g)) {
                    float[] x = data(rng, v.storageSize());
                    float[][] expected = run(SCALAR, g, o, x, v.layout(), w, dy);
                    float[][] scale = run(SCALAR, g, o, abs(x), v.layout(), abs(w), abs(dy));
                    float[][] first = null;
                    for (CpuBackend cpu : CPUS) {
                        float[][] got = run(cpu, g, o, x, v.layout(), w, dy);
                        String what = g + " o " + o + " x " + v + " threads " + cpu.threads();
                        assertStorage("conv2d " + what, expected[0], got[0], within(scale[0]));
                        assertStorage("conv2d dx " + what, expected[1], got[1], within(scale[1]));
                        assertStorage("conv2d dw " + what, expected[2], got[2], within(scale[2]));
                        if (first == null) first = got;
                        else for (int i = 0; i < 3; i++) assertArrayEquals(first[i], got[i], what + ": thread counts disagree");
                    }
                }
            }
        }
    }

    /** y, dx, dw through the backend, each in a sentinel-filled storage with 5 spare elements. */
    static float[][] run(Backend b, ConvGeometry g, int o, float[] x, Layout xl, float[] w, float[] dy) {
        float[] y = sentinels(g.n() * o * g.oh() * g.ow() + 5), dx = sentinels(g.n() * g.c() * g.h() * g.w() + 5);
        float[] dw = sentinels(w.length + 5);
        b.conv2d(g, o, f32(b, x), xl, f32(b, w), new HeapStorage.F32(b, y));
        b.conv2dInputGrad(g, o, f32(b, dy), f32(b, w), new HeapStorage.F32(b, dx));
        b.conv2dWeightGrad(g, o, f32(b, x), xl, f32(b, dy), new HeapStorage.F32(b, dw));
        return new float[][]{y, dx, dw};
    }

    static ConvGeometry geometry(int[] k) { return new ConvGeometry(k[0], k[1], k[3], k[4], 3, 3, 1, 1); }

    /** x packed, at an offset, every other column of a wider image, and NHWC storage seen as NCHW. */
    static List<View> views(ConvGeometry g) {
        Shape s = Shape.of(g.n(), g.c(), g.h(), g.w());
        List<View> v = new ArrayList<>(outputs(s).subList(0, 3));
        v.add(view("nhwc", Layout.contiguous(Shape.of(g.n(), g.h(), g.w(), g.c())).permute(0, 3, 1, 2)));
        return v;
    }

    static HeapStorage.F32 wrap(float[] a) { return new HeapStorage.F32(SCALAR, a); }

    static float[] abs(float[] a) {
        float[] r = a.clone();
        for (int i = 0; i < r.length; i++) r[i] = Math.abs(r[i]);
        return r;
    }

    static Tolerance within(float[] scale) { return (i, e) -> 1e-5 * scale[i] + Float.MIN_NORMAL; }

}
