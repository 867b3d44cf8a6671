package dsb4j.nn.models;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.autograd.Gradients;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.nn.GradCheck;
import dsb4j.nn.Module;
import dsb4j.nn.Parameter;
import dsb4j.nn.StateDict;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Outputs and gradients of Mlp2d and the U-Net against their PyTorch twins (bench/torch/models.py), run by
 * bench/torch/check_forward.py on a weight file we write; the script's own output file is read back.
 * Skipped, with the reason, where Debian's /usr/bin/python3 has no torch module.
 */
class TorchParityTest {
    private static final Backend B = Backends.scalar();
    private static Path script;
    @TempDir Path dir;

    @BeforeAll static void findTorch() throws Exception {
        Path p = Path.of("").toAbsolutePath();
        while (p != null && !Files.exists(p.resolve("bench/torch/check_forward.py"))) p = p.getParent();
        Assumptions.assumeTrue(p != null, "bench/torch/check_forward.py not found above " + Path.of("").toAbsolutePath());
        script = p.resolve("bench/torch/check_forward.py");
        boolean torch;
        try {
            Process pr = new ProcessBuilder("/usr/bin/python3", "-c", "import torch").redirectErrorStream(true).start();
            torch = pr.waitFor(60, TimeUnit.SECONDS) && pr.exitValue() == 0;
        } catch (IOException e) {
            torch = false;
        }
        Assumptions.assumeTrue(torch, "no PyTorch for /usr/bin/python3 (apt-get install python3-torch to run this check)");
    }

    @Test void mlp2dMatchesPyTorch() throws Exception {
        Rng rng = new Rng(41);
        Mlp2d m = new Mlp2d(B, DType.F64, rng, 2);
        GradCheck.jitter(m, rng, 0.05);
        Tensor x = Tensor.randn(B, DType.F64, rng, 6, 2).mul(5.0);
        Tensor t = Tensor.of(B, new double[]{0, 1, 2, 5, 11, 19}, 6);
        Case c = prepare("mlp2d", m, x, t, rng, Map.of("model", "mlp2d", "dim", "2"), m::forward);
        run(c);
    }

    @Test void unetMatchesPyTorch() throws Exception {
        Rng rng = new Rng(42);
        java.util.List<Case> cases = new java.util.ArrayList<>();
        for (boolean scaleShift : new boolean[]{true, false}) {
            UNetConfig c = new UNetConfig(1, 8, new int[]{1, 2}, 1, new int[]{2}, 2, 4, 0.0, scaleShift, 0.5);
            UNet u = new UNet(B, DType.F64, rng, c);
            GradCheck.jitter(u, rng, 0.1);
            Tensor x = Tensor.randn(B, DType.F64, rng, 2, 1, 8, 8);
            Tensor t = Tensor.of(B, new double[]{3, 17}, 2);
            String json = "{\"in\":1,\"channels\":8,\"mult\":[1,2],\"blocks\":1,\"attention\":[2],\"heads\":2,\"groups\":4,"
                    + "\"scaleShift\":" + (scaleShift ? "true" : "false") + ",\"timeScale\":0.5}";
            cases.add(prepare("unet-" + scaleShift, u, x, t, rng, Map.of("model", "unet", "config", json), u::forward));
        }
        run(cases.toArray(Case[]::new));
    }

    /** One file for the script: weights, inputs, our output and gradients; and where its output goes. */
    private record Case(Path in, Path out, Tensor y) {}

    private Case prepare(String name, Module m, Tensor x, Tensor t, Rng rng, Map<String, String> meta,
                         java.util.function.BiFunction<Tensor, Tensor, Tensor> f) throws IOException {
        Tensor y = f.apply(x, t);
        Tensor w = Tensor.randn(B, DType.F64, rng, y.dims());
        Gradients g = f.apply(x, t).mul(w).sum().backward();
        StateDict sd = m.stateDict().withPrefix("model.");
        sd.put("x", x).put("t", t).put("w", w).put("y", y.detach());
        for (Parameter p : m.parameters()) sd.put("grad." + p.name(), g.get(p.value()));
        Case c = new Case(dir.resolve(name + "-in.safetensors"), dir.resolve(name + "-out.safetensors"), y);
        sd.save(c.in(), meta);
        return c;
    }

    /** One interpreter for all cases (importing torch takes seconds); then our reader on the script's files. */
    private void run(Case... cases) throws Exception {
        java.util.List<String> cmd = new java.util.ArrayList<>(java.util.List.of("/usr/bin/python3", "-B", script.toString()));
        for (Case c : cases) { cmd.add(c.in().toString()); cmd.add(c.out().toString()); }
        Process pr = new ProcessBuilder(cmd).directory(script.getParent().toFile()).redirectErrorStream(true).start();
        String log = new String(pr.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(pr.waitFor(120, TimeUnit.SECONDS), "check_forward.py timed out");
        System.out.println("torch parity: " + log.strip());
        assertEquals(0, pr.exitValue(), log);
        for (Case c : cases) {
            double[] theirs = StateDict.load(c.out(), B).require("y").toDoubles(), ours = c.y().toDoubles();
            double max = 0;
            for (int i = 0; i < ours.length; i++) max = Math.max(max, Math.abs(ours[i] - theirs[i]));
            assertTrue(max < 1e-9, "largest difference " + max + " in " + Arrays.toString(Arrays.copyOf(theirs, 4)));
        }
    }
}
