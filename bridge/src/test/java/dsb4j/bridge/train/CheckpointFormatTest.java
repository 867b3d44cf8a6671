package dsb4j.bridge.train;

import static org.junit.jupiter.api.Assertions.*;

import dsb4j.bridge.drift.Direction;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.Backends;
import dsb4j.engine.io.Json;
import dsb4j.engine.io.SafeTensors;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Checkpoints say which format they are: this version reads format 1 (before the user's data) and 2, and refuses others. */
class CheckpointFormatTest {
    static final Backend cpu = Backends.cpu(2);

    @Test void formatOneIsReadAndUnknownFormatsAreRefusedByName(@TempDir Path tmp) throws Exception {
        TrainConfig c = IpfLoopTest.tiny("moons");
        c.ipfIters = 1;
        c.iters = 5;
        new IpfLoop(c, c.problem(), cpu, new RunDirectory(tmp), null, null).run();
        Path file = tmp.resolve("checkpoint").resolve(Checkpointer.FILE);
        var contents = SafeTensors.read(file, cpu);
        assertEquals(Checkpointer.FORMAT, contents.metadata().get("format"));

        // a version 1 checkpoint: the same tensors, the old configuration layout ("hidden" for every network, "unet" names)
        Map<String, Object> old = new LinkedHashMap<>(Json.parseObject(contents.metadata().get("config")));
        old.put("hidden", List.of(256, 256));
        Map<String, String> meta = new LinkedHashMap<>(contents.metadata());
        meta.put("format", "dsb4j-checkpoint-1");
        meta.put("config", Json.write(old));
        SafeTensors.write(file, contents.tensors(), meta);
        TrainConfig read = Checkpointer.readConfig(file.getParent());
        assertEquals(c.preset, read.preset);
        assertEquals(new NetworkSpec.ReferenceMlp2d(), read.network);
        TrainState s = Checkpointer.load(file.getParent(), read, cpu);
        assertNotNull(s.net(Direction.BACKWARD));

        meta.put("format", "dsb4j-checkpoint-9");
        SafeTensors.write(file, contents.tensors(), meta);
        var e = assertThrows(IllegalArgumentException.class, () -> Checkpointer.readConfig(file.getParent()));
        assertTrue(e.getMessage().contains("dsb4j-checkpoint-9") && e.getMessage().contains("dsb4j-checkpoint-1 and dsb4j-checkpoint-2"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Checkpointer.load(file.getParent(), read, cpu));

        meta.put("format", Checkpointer.FORMAT);
        meta.remove("config");
        SafeTensors.write(file, contents.tensors(), meta);
        e = assertThrows(IllegalArgumentException.class, () -> Checkpointer.readConfig(file.getParent()));
        assertTrue(e.getMessage().contains("no configuration"), e.getMessage());
    }
}
