package dsb4j.engine;

import dsb4j.engine.backend.Backends;
import dsb4j.engine.ops.Conv;
import dsb4j.engine.ops.Functional;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

import static dsb4j.engine.GradCheck.B;
import static org.junit.jupiter.api.Assertions.*;

/** Bad shapes and arguments raise {@link ShapeException} with a message naming the op and the shapes involved. */
class ShapeErrorTest {

    static Tensor t(int... dims) { return Tensor.zeros(B, DType.F64, dims); }

    static Tensor f32(int... dims) { return Tensor.zeros(B, DType.F32, dims); }

    /** Asserts a ShapeException whose message starts with {@code op + ":"} and contains every fragment. */
    static void assertShapeError(String op, Executable call, String... fragments) {
        ShapeException e = assertThrows(ShapeException.class, call, op);
        String m = e.getMessage();
        assertTrue(m.startsWith(op + ":"), "message should name the op '" + op + "': " + m);
        for (String f : fragments) assertTrue(m.contains(f), "message should contain '" + f + "': " + m);
    }

    @Test
    void elementwiseBroadcasting() {
        assertShapeError("add", () -> t(3, 4).add(t(5)), "[3, 4]", "[5]");
        assertShapeError("sub", () -> t(2, 3).sub(t(3, 2)), "[2, 3]", "[3, 2]");
        assertShapeError("mul", () -> t(3, 1, 4).mul(t(2, 3)), "[3, 1, 4]", "[2, 3]");
        assertShapeError("div", () -> t(4).div(t(2, 3)), "[4]", "[2, 3]");
        assertShapeError("maximum", () -> t(2).maximum(t(3)), "[2]", "[3]");
        assertShapeError("minimum", () -> t(2).minimum(t(3)), "[2]", "[3]");
        assertShapeError("broadcast_to", () -> t(3, 2).broadcastTo(3, 4), "[3, 2]", "[3, 4]");
        assertShapeError("broadcast_to", () -> t(2, 3).broadcastTo(3), "[2, 3]", "[3]");
    }

    @Test
    void mixingDtypesAndBackends() {
        assertShapeError("add", () -> t(2, 3).add(f32(2, 3)), "F64", "F32", "[2, 3]");
        assertShapeError("mul", () -> f32(3).mul(t(3)), "F32", "F64");
        assertShapeError("matmul", () -> t(2, 3).matmul(f32(3, 2)), "F64", "F32", "[2, 3]", "[3, 2]");
        assertShapeError("concat", () -> Tensor.concat(0, t(2, 3), f32(2, 3)), "F64", "F32");
        assertShapeError("mse", () -> Functional.mse(t(2, 3), f32(2, 3)), "F64", "F32", "[2, 3]");
        assertShapeError("conv2d", () -> Conv.conv2d(f32(1, 2, 4, 4), t(3, 2, 3, 3), null, 1, 0), "F32", "F64", "[1, 2, 4, 4]", "[3, 2, 3, 3]");
        assertShapeError("conv2d", () -> Conv.conv2d(t(1, 2, 4, 4), t(3, 2, 3, 3), f32(3), 1, 0), "F64", "F32", "[3]");
        Tensor onCpu = Tensor.zeros(Backends.cpu(1), DType.F64, 2, 3);
        assertShapeError("add", () -> t(2, 3).add(onCpu), "scalar", "cpu");
    }

    @Test
    void matmul() {
        assertShapeError("matmul", () -> t(3, 4).matmul(t(5, 6)), "inner", "[3, 4]", "[5, 6]");
        assertShapeError("matmul", () -> t(2, 3, 4).matmul(t(3, 4, 5)), "batch", "[2, 3, 4]", "[3, 4, 5]");
        assertShapeError("matmul", () -> t(4).matmul(t(4, 2)), "[4]", "[4, 2]");
        assertShapeError("matmul", () -> t(1, 2, 3, 4).matmul(t(4, 2)), "[1, 2, 3, 4]");
    }

    @Test
    void reshape() {
        assertShapeError("reshape", () -> t(2, 3).reshape(4, 2), "[2, 3]", "[4, 2]");
        assertShapeError("reshape", () -> t(2, 3).reshape(4, -1), "[2, 3]", "[4, -1]");
        assertShapeError("reshape", () -> t(2, 3).reshape(-1, -1), "[-1, -1]");
        assertShapeError("reshape", () -> t(2, 3).reshape(-2, -3), "[2, 3]", "[-2, -3]");
        assertShapeError("reshape", () -> t(4, 3).t().reshape(5), "[3, 4]", "[5]");
        assertShapeError("unsqueeze", () -> t(2, 3).unsqueeze(4), "[2, 3]");
    }

    @Test
    void concatAndStack() {
        assertShapeError("concat", () -> Tensor.concat(1, t(2, 3), t(3, 3)), "[2, 3]", "[3, 3]");
        assertShapeError("concat", () -> Tensor.concat(0, t(2, 3), t(2, 3, 1)), "[2, 3]", "[2, 3, 1]");
        assertShapeError("concat", () -> Tensor.concat(0));
        assertShapeError("concat", () -> Tensor.concat(2, t(2, 3), t(2, 3)), "[2, 3]");
        assertShapeError("concat", () -> Tensor.stack(0, t(2, 3), t(3, 2)), "[1, 2, 3]", "[1, 3, 2]");
    }

    @Test
    void permuteAndTranspose() {
        assertShapeError("permute", () -> t(2, 3, 4).permute(0, 0, 1), "[0, 0, 1]", "[2, 3, 4]");
        assertShapeError("permute", () -> t(2, 3, 4).permute(0, 1), "[0, 1]", "[2, 3, 4]");
        assertShapeError("permute", () -> t(2, 3, 4).permute(0, 1, 3), "3", "[2, 3, 4]");
        assertShapeError("transpose", () -> t(2, 3).transpose(0, 2), "2", "[2, 3]");
    }

    @Test
    void slice() {
        assertShapeError("slice", () -> t(2, 5).slice(1, 0, 6), "[0, 6)", "[2, 5]");
        assertShapeError("slice", () -> t(2, 5).slice(1, 3, 2), "[3, 2)", "[2, 5]");
        assertShapeError("slice", () -> t(2, 5).slice(1, -1, 2), "[2, 5]");
        assertShapeError("slice", () -> t(2, 5).slice(0, 0, 2, 0), "step 0", "[2, 5]");
        assertShapeError("slice", () -> t(2, 5).slice(2, 0, 1), "axis 2", "[2, 5]");
    }

    @Test
    void reductions() {
        assertShapeError("sum", () -> t(2, 3).sum(false, 2), "axis 2", "[2, 3]");
        assertShapeError("mean", () -> t(2, 3).mean(true, -3), "axis -3", "[2, 3]");
        assertShapeError("max", () -> t(2, 3).max(false, 5), "axis 5", "[2, 3]");
        assertShapeError("sum", () -> t(2, 3).sum(false, 1, 1), "repeated", "[2, 3]");
        assertShapeError("max", () -> t(0, 3).max(false), "[0, 3]");
        assertShapeError("sum_to", () -> t(2, 3).sumTo(dsb4j.engine.tensor.Shape.of(4, 3)), "[2, 3]", "[4, 3]");
    }

    @Test
    void convolutionAndPooling() {
        assertShapeError("conv2d", () -> Conv.conv2d(t(1, 3, 5, 5), t(4, 2, 3, 3), null, 1, 0), "[1, 3, 5, 5]", "[4, 2, 3, 3]");
        assertShapeError("conv2d", () -> Conv.conv2d(t(3, 5, 5), t(4, 3, 3, 3), null, 1, 0), "[3, 5, 5]");
        assertShapeError("conv2d", () -> Conv.conv2d(t(1, 3, 5, 5), t(4, 3, 3, 3), t(3), 1, 0), "[3]");
        assertShapeError("conv2d", () -> Conv.conv2d(t(1, 3, 2, 2), t(4, 3, 3, 3), null, 1, 0), "[1, 3, 2, 2]");
        assertShapeError("conv2d", () -> Conv.conv2d(t(1, 3, 5, 5), t(4, 3, 3, 3), null, 0, 0), "stride 0");
        assertShapeError("im2col", () -> Conv.im2col(t(1, 1, 4, 4), 2, 2, 1, -1), "padding -1");
        assertShapeError("avg_pool2d", () -> Conv.avgPool2d(t(4, 4), 2), "[4, 4]");
        assertShapeError("upsample_nearest", () -> Conv.upsampleNearest(t(1, 1, 2, 2), 0), "[1, 1, 2, 2]");
    }

    @Test
    void composites() {
        assertShapeError("mse", () -> Functional.mse(t(2, 3), t(3, 2)), "[2, 3]", "[3, 2]");
        assertShapeError("group_norm", () -> Functional.groupNorm(t(2, 6, 3), 4, 1e-5), "[2, 6, 3]");
        assertShapeError("pad", () -> t(2, 3).pad(new int[]{1}, new int[]{1}), "[2, 3]");
        assertShapeError("pad", () -> t(2, 3).pad(new int[]{1, -1}, new int[]{0, 0}), "[2, 3]");
    }

    @Test
    void constructionAndAccess() {
        assertShapeError("of", () -> Tensor.of(B, new double[5], 2, 3), "5", "[2, 3]");
        assertShapeError("item", () -> t(2, 3).item(), "[2, 3]");
        assertShapeError("shape", () -> t(2, -3), "-3");
        assertThrows(IllegalArgumentException.class, () -> Tensor.randn(B, DType.F64, new Rng(1), -1));
    }
}
