package dsb4j.engine.ops;

import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.BiFunction;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static dsb4j.engine.GradCheck.*;

/**
 * Random programs of 2–6 ops over random shapes (fixed seeds, so every run checks the same 150 programs):
 * elementwise, broadcasting binaries with fresh inputs, reductions, views, copies, matmul, softmax and
 * normalisation, chained in orders the hand-written cases do not try. Each program goes through the full
 * {@link dsb4j.engine.GradCheck} (three upstream layouts, views vs packed forward). The program's text is the
 * test name, so a failure can be replayed by hand.
 */
class GraphFuzzGradTest {

    /** One step: from the running tensor and all leaves to the next tensor. */
    record Step(String text, BiFunction<Tensor, Tensor[], Tensor> f) {}

    /** A generated program: its input shapes and steps. */
    record Program(long seed, List<int[]> inputs, List<Step> steps) {
        Tensor run(Tensor[] leaves) {
            Tensor t = leaves[0];
            for (Step s : steps) t = s.f().apply(t, leaves);
            return t;
        }

        @Override public String toString() {
            StringBuilder b = new StringBuilder("#" + seed + " x" + Arrays.toString(inputs.get(0)));
            for (Step s : steps) b.append(" → ").append(s.text());
            return b.toString();
        }
    }

    static Stream<Program> programs() {
        return IntStream.range(0, 150).mapToObj(GraphFuzzGradTest::generate);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("programs")
    void randomProgram(Program p) {
        Tensor[] inputs = new Tensor[p.inputs().size()];
        for (int i = 0; i < inputs.length; i++) inputs[i] = normal(p.seed() * 131 + i, p.inputs().get(i));
        check(p.toString(), p::run, inputs);
    }

    // ---- the generator ---------------------------------------------------------------------------------

    static Program generate(int seed) {
        Rng rng = new Rng(1000 + seed);
        int rank = 1 + rng.nextInt(3);
        int[] dims = new int[rank];
        for (int i = 0; i < rank; i++) dims[i] = 1 + rng.nextInt(4);
        List<int[]> inputs = new ArrayList<>();
        inputs.add(dims);
        List<Step> steps = new ArrayList<>();
        // Simulate on a real tensor so every choice sees the true shape; 'dup' marks repeated values (ties for max).
        Tensor t = normal(seed, dims);
        boolean dup = false;
        int n = 2 + rng.nextInt(5);
        for (int k = 0; k < n; k++) {
            Step s = null;
            for (int tries = 0; s == null && tries < 20; tries++) s = pick(rng, t, dup, inputs);
            if (s == null) break;
            Tensor[] sample = new Tensor[inputs.size()];
            for (int i = 0; i < sample.length; i++) sample[i] = normal(i, inputs.get(i));
            sample[0] = t;
            Tensor next = s.f().apply(t, sample);
            String text = s.text();
            boolean binary = Stream.of("add", "sub", "mul", "div", "maximum", "minimum").anyMatch(text::startsWith);
            boolean minMax = text.startsWith("maximum") || text.startsWith("minimum");
            if (text.startsWith("broadcast") || text.startsWith("concat self") || text.startsWith("pad")
                    || binary && next.numel() > t.numel()
                    || minMax && dsb4j.engine.tensor.Shape.of(inputs.get(inputs.size() - 1)).numel() < next.numel()) dup = true;
            t = next;
            steps.add(s);
            if (t.numel() > 96) break;
        }
        return new Program(seed, inputs, steps);
    }

    /** One applicable step for a tensor of t's shape, or null when the drawn kind does not apply. */
    static Step pick(Rng rng, Tensor t, boolean dup, List<int[]> inputs) {
        int r = t.rank();
        int[] d = t.dims();
        switch (rng.nextInt(14)) {
            case 0, 1: {                                   // smooth or kinked unary
                String[] names = {"exp", "tanh", "sigmoid", "sin", "cos", "square", "silu", "gelu", "log", "sqrt",
                        "reciprocal", "pow3", "neg", "affine", "relu", "abs", "leakyRelu"};
                String u = names[rng.nextInt(names.length)];
                return new Step(u, (x, l) -> switch (u) {
                    case "exp" -> x.mul(0.3).exp();
                    case "tanh" -> x.tanh();
                    case "sigmoid" -> x.sigmoid();
                    case "sin" -> x.sin();
                    case "cos" -> x.cos();
                    case "square" -> x.square();
                    case "silu" -> Functional.silu(x);
                    case "gelu" -> Functional.gelu(x);
                    case "log" -> x.square().add(0.5).log();
                    case "sqrt" -> x.square().add(0.5).sqrt();
                    case "reciprocal" -> x.square().add(0.5).reciprocal();
                    case "pow3" -> x.pow(3).mul(0.2);
                    case "neg" -> x.neg();
                    case "affine" -> x.mul(1.7).sub(0.3).div(2.0).add(0.1);
                    case "relu" -> x.relu();
                    case "abs" -> x.abs();
                    default -> x.leakyRelu(0.2);
                });
            }
            case 2: {                                      // sum / mean / max over an axis set
                if (r == 0) return null;
                List<Integer> axes = new ArrayList<>();
                for (int a = 0; a < r; a++) if (rng.nextInt(2) == 0) axes.add(rng.nextInt(2) == 0 ? a : a - r);
                int[] ax = axes.stream().mapToInt(Integer::intValue).toArray();
                boolean keep = rng.nextInt(2) == 0;
                int which = rng.nextInt(dup ? 2 : 3);
                String name = new String[]{"sum", "mean", "max"}[which] + Arrays.toString(ax) + (keep ? " keep" : "");
                return new Step(name, (x, l) -> which == 0 ? x.sum(keep, ax) : which == 1 ? x.mean(keep, ax) : x.max(keep, ax));
            }
            case 3: {                                      // permute
                if (r < 2) return null;
                int[] p = IntStream.range(0, r).toArray();
                int[] perm = p.clone();
                rng.shuffle(perm);
                return new Step("permute" + Arrays.toString(perm), (x, l) -> x.permute(perm));
            }
            case 4: {                                      // slice with step
                if (r == 0) return null;
                int a = rng.nextInt(r);
                if (d[a] < 2) return null;
                int start = rng.nextInt(d[a] - 1), end = start + 1 + rng.nextInt(d[a] - start), step = 1 + rng.nextInt(2);
                return new Step("slice(" + a + ", " + start + ", " + end + ", " + step + ")", (x, l) -> x.slice(a, start, end, step));
            }
            case 5: {                                      // broadcast along a new axis
                if (r >= 3) return null;
                int a = rng.nextInt(r + 1), size = 2 + rng.nextInt(2);
                int[] target = new int[r + 1];
                for (int i = 0, j = 0; i <= r; i++) target[i] = i == a ? size : d[j++];
                return new Step("broadcast unsqueeze(" + a + ") to " + Arrays.toString(target), (x, l) -> x.unsqueeze(a).broadcastTo(target));
            }
            case 6: {                                      // reshape: flatten, or split into two factors
                int n = t.numel();
                if (n < 2) return null;
                List<int[]> options = new ArrayList<>();
                options.add(new int[]{n});
                for (int f = 2; f < n; f++) if (n % f == 0) options.add(new int[]{f, -1});
                int[] shape = options.get(rng.nextInt(options.size()));
                return new Step("reshape" + Arrays.toString(shape), (x, l) -> x.reshape(shape));
            }
            case 7, 8: {                                   // broadcasting binary with a fresh input
                int[] od = broadcastVariant(rng, d);
                int idx = inputs.size();
                inputs.add(od);
                int op = rng.nextInt(6);
                boolean swap = rng.nextInt(2) == 0;
                String name = new String[]{"add", "sub", "mul", "div", "maximum", "minimum"}[op]
                        + (swap ? " (fresh first) " : " ") + "input" + idx + Arrays.toString(od);
                return new Step(name, (x, l) -> {
                    Tensor y = l[idx];
                    if (op == 3) return swap ? y.div(x.square().add(0.5)) : x.div(y.square().add(0.5));   // divisor ≥ 0.5
                    Tensor a = swap ? y : x, b = swap ? x : y;
                    return switch (op) {
                        case 0 -> a.add(b);
                        case 1 -> a.sub(b);
                        case 2 -> a.mul(b);
                        case 4 -> a.maximum(b);
                        default -> a.minimum(b);
                    };
                });
            }
            case 9: {                                      // matmul with a fresh (possibly transposed) input
                if (r < 1 || r > 3) return null;
                int kdim = d[r - 1], ncols = 1 + rng.nextInt(4);
                boolean transposed = rng.nextInt(2) == 0;
                int idx = inputs.size();
                inputs.add(transposed ? new int[]{ncols, kdim} : new int[]{kdim, ncols});
                String name = "matmul input" + idx + (transposed ? "ᵀ" : "") + Arrays.toString(inputs.get(idx));
                if (r == 1) return new Step(name, (x, l) -> x.unsqueeze(0).matmul(transposed ? l[idx].t() : l[idx]));
                return new Step(name, (x, l) -> x.matmul(transposed ? l[idx].t() : l[idx]));
            }
            case 10: {                                     // concat with a fresh input, or with itself
                if (r == 0) return null;
                int a = rng.nextInt(r);
                if (rng.nextInt(3) == 0) return new Step("concat self axis " + a, (x, l) -> Tensor.concat(a, x, x.mul(0.5)));
                int[] od = d.clone();
                od[a] = 1 + rng.nextInt(2);
                int idx = inputs.size();
                inputs.add(od);
                boolean first = rng.nextInt(2) == 0;
                return new Step("concat axis " + a + " input" + idx + Arrays.toString(od) + (first ? " first" : ""),
                        (x, l) -> first ? Tensor.concat(a, l[idx], x) : Tensor.concat(a, x, l[idx]));
            }
            case 11: {                                     // pad
                if (r == 0) return null;
                int[] before = new int[r], after = new int[r];
                for (int i = 0; i < r; i++) { before[i] = rng.nextInt(2); after[i] = rng.nextInt(2); }
                return new Step("pad" + Arrays.toString(before) + Arrays.toString(after), (x, l) -> x.pad(before, after));
            }
            case 12: {                                     // softmax / logSoftmax / layerNorm
                if (r == 0) return null;
                int a = rng.nextInt(r) - (rng.nextInt(2) == 0 ? r : 0);
                int which = rng.nextInt(3);
                if (which == 2 && d[r - 1] < 2) return null;
                String name = which == 0 ? "softmax(" + a + ")" : which == 1 ? "logSoftmax(" + a + ")" : "layerNorm";
                return new Step(name, (x, l) -> which == 0 ? Functional.softmax(x, a)
                        : which == 1 ? Functional.logSoftmax(x, a) : Functional.layerNorm(x, 1e-5));
            }
            default: {                                     // transpose then contiguous
                if (r < 2) return null;
                int a = rng.nextInt(r), b = rng.nextInt(r);
                return new Step("transpose(" + a + ", " + b + ").contiguous", (x, l) -> x.transpose(a, b).contiguous());
            }
        }
    }

    /** A shape that broadcasts with d: some trailing part of it, some dims set to 1, sometimes a new leading axis. */
    static int[] broadcastVariant(Rng rng, int[] d) {
        int keep = rng.nextInt(d.length + 1);
        int[] out = Arrays.copyOfRange(d, d.length - keep, d.length);
        for (int i = 0; i < out.length; i++) if (rng.nextInt(3) == 0) out[i] = 1;
        if (d.length < 3 && rng.nextInt(4) == 0) {
            int[] lead = new int[out.length + 1 + (d.length - keep)];
            lead[0] = 2;
            for (int i = 1; i < lead.length - out.length; i++) lead[i] = 1;
            System.arraycopy(out, 0, lead, lead.length - out.length, out.length);
            return lead;
        }
        return out;
    }
}
