package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.backend.HeapStorage;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.cpu.CpuBackend;
import dsb4j.engine.io.SafeTensors;
import dsb4j.engine.tensor.DType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The buffer scopes of training (optimiser steps, cache builds, chains) and the release of replaced weights
 * free only what is dead: a whole IPF run on a CPU backend that registers its buffers as a device does and
 * overwrites each released one with NaN ends with the same files, bit for bit, as on a plain CPU backend. A
 * buffer read after its release (on a GPU: reused by the next allocation) would show as NaN in the losses,
 * samples or weights.
 */
class BufferScopeTrainingTest {

    /** A one-thread CPU backend whose buffers belong to the open scope and turn to NaN when released. */
    static final class PoisonOnRelease extends CpuBackend {
        int released;

        PoisonOnRelease() { super(1); }

        @Override public Storage allocate(DType dtype, int n) { return owned(super.allocate(dtype, n)); }
        @Override public Storage fromFloats(float[] data) { return owned(super.fromFloats(data)); }
        @Override public Storage fromDoubles(double[] data) { return owned(super.fromDoubles(data)); }

        private static Storage owned(Storage s) {
            BufferScope.register(s);
            return s;
        }

        @Override public void release(Storage s) {
            released++;
            if (s instanceof HeapStorage.F32 f) Arrays.fill(f.data, Float.NaN);
            else Arrays.fill(((HeapStorage.F64) s).data, Double.NaN);
        }
    }

    @ParameterizedTest @ValueSource(booleans = {false, true})
    void aRunWithPoisonedReleasesEqualsAPlainRun(boolean warmStart, @TempDir Path tmp) throws Exception {
        TrainConfig c = IpfLoopTest.tinyMoons();
        c.emaRate = 0.9;                    // the EMA copy and clipped gradients must outlive their steps too
        c.gradClip = 1.0;
        c.warmStart = warmStart;            // networks kept across half-steps: their replaced weights are released
        c.simBatch = 16;                    // two chunks per cache build
        PoisonOnRelease poisoning = new PoisonOnRelease();
        run(c, tmp.resolve("plain"), new CpuBackend(1));
        run(c, tmp.resolve("poisoned"), poisoning);
        assertTrue(poisoning.released > 1000, "the scopes released " + poisoning.released + " buffers");

        for (String f : List.of("samples-ipf1.npy", "samples-ipf2.npy"))
            assertArrayEquals(Files.readAllBytes(tmp.resolve("plain").resolve(f)), Files.readAllBytes(tmp.resolve("poisoned").resolve(f)), f);
        var a = SafeTensors.read(tmp.resolve("plain/checkpoint/state.safetensors"), new CpuBackend(1)).tensors();
        var b = SafeTensors.read(tmp.resolve("poisoned/checkpoint/state.safetensors"), new CpuBackend(1)).tensors();
        assertEquals(a.keySet(), b.keySet());
        for (String k : a.keySet()) assertArrayEquals(a.get(k).toFloats(), b.get(k).toFloats(), k);
    }

    private static void run(TrainConfig c, Path dir, Backend backend) throws Exception {
        new IpfLoop(c, c.problem(), backend, new RunDirectory(dir), null, null).run();
    }
}
