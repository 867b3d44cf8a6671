package dsb4j.nn;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.MalformedTensorFileException;
import dsb4j.engine.random.Rng;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.ShapeException;
import dsb4j.nn.layers.Dropout;
import dsb4j.nn.layers.Linear;
import dsb4j.nn.layers.Sequential;
import dsb4j.nn.models.Mlp2d;
import dsb4j.nn.models.MlpDrift;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ModuleStateTest {
    private static final Backend CPU = Backends.cpu(1);
    @TempDir Path dir;

    @Test void namesAreDottedPathsInRegistrationOrder() {
        Init init = new Init(CPU, DType.F32, new Rng(1));
        Module m = new Module() {
            final Linear first = child("first", new Linear(init, 2, 3));
            final Parameter scale = param("scale", init.ones(1));
            final Sequential rest = child("rest", new Sequential(new Linear(init, 3, 3), new Linear(init, 3, 1)));
        };
        assertEquals(List.of("first.weight", "first.bias", "scale", "rest.0.weight", "rest.0.bias", "rest.1.weight", "rest.1.bias"),
                m.parameters().stream().map(Parameter::name).toList());
        assertEquals(6 + 3 + 1 + 12 + 4, m.parameterCount());
        // a sub-module's state dict is relative to it (as in PyTorch); parameter names are paths from the top
        Sequential inner = new Sequential(new Linear(init, 1, 1));
        Sequential outer = new Sequential(inner);
        assertEquals(List.of("0.weight", "0.bias"), List.copyOf(inner.stateDict().names()));
        assertEquals(List.of("0.0.weight", "0.0.bias"), List.copyOf(outer.stateDict().names()));
        assertEquals("0.0.weight", inner.parameters().get(0).name());
        inner.load(inner.stateDict());
        Linear shared = new Linear(init, 1, 1);
        new Sequential(shared);
        var e = assertThrows(IllegalArgumentException.class, () -> new Sequential(shared));
        assertTrue(e.getMessage().contains("already has a parent"), e.getMessage());
    }

    @Test void trainModeReachesEveryDescendant() {
        Dropout d = new Dropout(0.5, new Rng(1));
        Sequential s = new Sequential(new Sequential(d));
        s.train(false);
        assertFalse(d.training());
        s.train(true);
        assertTrue(d.training());
    }

    @Test void stateDictRoundTripsThroughAFile() throws IOException {
        Mlp2d a = new Mlp2d(CPU, DType.F32, new Rng(1), 2), b = new Mlp2d(CPU, DType.F32, new Rng(2), 2);
        Path f = dir.resolve("net.safetensors");
        a.stateDict().save(f, Map.of("config", "{\"network\":\"mlp2d\"}"));
        StateDict loaded = StateDict.load(f, CPU);
        assertEquals(a.stateDict().names().stream().toList(), loaded.names().stream().toList());
        b.load(loaded);
        Tensor x = Tensor.randn(CPU, DType.F32, new Rng(3), 4, 2), t = Tensor.of(CPU, new float[]{0, 1, 2, 3}, 4);
        assertArrayEquals(a.forward(x, t).toFloats(), b.forward(x, t).toFloats());
        assertEquals("{\"network\":\"mlp2d\"}", dsb4j.engine.io.SafeTensors.readMetadata(f).get("config"));
    }

    @Test void mismatchedStateDictsFailClearlyAndChangeNothing() throws IOException {
        MlpDrift small = new MlpDrift(CPU, DType.F32, new Rng(1), 3, new int[]{8});
        MlpDrift wide = new MlpDrift(CPU, DType.F32, new Rng(2), 3, new int[]{16});
        Path f = dir.resolve("small.safetensors");
        small.stateDict().save(f);
        float[] before = wide.parameters().get(0).value().toFloats();
        var e = assertThrows(ShapeException.class, () -> wide.load(StateDict.load(f, CPU)));
        assertTrue(e.getMessage().contains("net.layers.0.weight: shape [8, 4] in the state dict, [16, 4] in the module"), e.getMessage());
        assertArrayEquals(before, wide.parameters().get(0).value().toFloats(), "a failed load changes nothing");

        StateDict missing = small.stateDict();
        StateDict partial = new StateDict();
        missing.entries().forEach((k, v) -> { if (!k.endsWith("1.bias")) partial.put(k, v); });
        partial.put("extra", Tensor.zeros(CPU, DType.F32, 1));
        e = assertThrows(ShapeException.class, () -> small.load(partial));
        assertTrue(e.getMessage().contains("missing [net.layers.1.bias]") && e.getMessage().contains("unexpected [extra]"), e.getMessage());

        StateDict f64 = new StateDict();
        small.stateDict().entries().forEach((k, v) -> f64.put(k, v.to(DType.F64)));
        e = assertThrows(ShapeException.class, () -> small.load(f64));
        assertTrue(e.getMessage().contains("dtype F64 in the state dict, F32 in the module"), e.getMessage());
    }

    @Test void corruptedOrTruncatedFilesGiveClearErrors() throws IOException {
        Mlp2d a = new Mlp2d(CPU, DType.F32, new Rng(1), 2);
        Path f = dir.resolve("a.safetensors");
        a.stateDict().save(f);
        byte[] bytes = Files.readAllBytes(f);

        Path cut = dir.resolve("cut.safetensors");
        Files.write(cut, Arrays.copyOf(bytes, bytes.length - 100));
        var e = assertThrows(MalformedTensorFileException.class, () -> StateDict.load(cut, CPU));
        assertTrue(e.getMessage().contains("cut.safetensors") && e.getMessage().contains("truncated"), e.getMessage());

        Path garbled = dir.resolve("garbled.safetensors");
        byte[] g = bytes.clone();
        g[8] = '#';                                   // the header's opening brace
        Files.write(garbled, g);
        e = assertThrows(MalformedTensorFileException.class, () -> StateDict.load(garbled, CPU));
        assertTrue(e.getMessage().contains("bad header"), e.getMessage());
    }

    @Test void savingReplacesAnExistingFileWhole() throws IOException {
        Path f = dir.resolve("w.safetensors");
        new MlpDrift(CPU, DType.F32, new Rng(1), 3, new int[]{8}).stateDict().save(f);
        MlpDrift next = new MlpDrift(CPU, DType.F32, new Rng(2), 3, new int[]{8});
        next.stateDict().save(f);
        assertArrayEquals(next.parameters().get(0).value().toFloats(), StateDict.load(f, CPU).get("net.layers.0.weight").toFloats());
        StateDict bad = new StateDict().put("__metadata__", Tensor.zeros(CPU, DType.F32, 1));
        assertThrows(IllegalArgumentException.class, () -> bad.save(f));
        assertArrayEquals(next.parameters().get(0).value().toFloats(), StateDict.load(f, CPU).get("net.layers.0.weight").toFloats());
        try (var files = Files.list(dir)) {
            assertEquals(1, files.count(), "no temporary files left");
        }
    }
}
