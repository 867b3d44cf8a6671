package dsb4j.nn;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.io.SafeTensors;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Named tensors in a fixed order: a module's parameters, an optimiser's moments, or both under prefixes.
 * Saved as a safetensors file (atomic write), whose header can carry a string map of metadata.
 */
public final class StateDict {
    private final LinkedHashMap<String, Tensor> map = new LinkedHashMap<>();

    public StateDict() {}

    public StateDict(Map<String, Tensor> entries) { entries.forEach(this::put); }

    public StateDict put(String name, Tensor t) {
        if (name == null || name.isEmpty()) throw new IllegalArgumentException("state dict: empty name");
        if (t == null) throw new IllegalArgumentException("state dict: null tensor for '" + name + "'");
        map.put(name, t);
        return this;
    }

    /** The tensor under {@code name}, or null. */
    public Tensor get(String name) { return map.get(name); }

    /** The tensor under {@code name}; a clear error naming what is there when it is absent. */
    public Tensor require(String name) {
        Tensor t = map.get(name);
        if (t == null) throw new IllegalArgumentException("state dict has no '" + name + "' (it has " + map.keySet() + ")");
        return t;
    }

    public boolean contains(String name) { return map.containsKey(name); }
    public int size() { return map.size(); }
    public boolean isEmpty() { return map.isEmpty(); }
    public Set<String> names() { return Collections.unmodifiableSet(map.keySet()); }

    /** A read-only view in order. */
    public Map<String, Tensor> entries() { return Collections.unmodifiableMap(map); }

    /** The entries whose names start with {@code prefix}, with the prefix removed. */
    public StateDict withoutPrefix(String prefix) {
        StateDict out = new StateDict();
        map.forEach((k, v) -> { if (k.startsWith(prefix)) out.put(k.substring(prefix.length()), v); });
        return out;
    }

    /** All entries with {@code prefix} put in front of each name. */
    public StateDict withPrefix(String prefix) {
        StateDict out = new StateDict();
        map.forEach((k, v) -> out.put(prefix + k, v));
        return out;
    }

    /** Adds every entry of {@code other}; a name present in both is an error. */
    public StateDict putAll(StateDict other) {
        for (var e : other.map.entrySet()) {
            if (map.containsKey(e.getKey())) throw new IllegalArgumentException("state dict: '" + e.getKey() + "' present twice");
            map.put(e.getKey(), e.getValue());
        }
        return this;
    }

    public void save(Path file) throws IOException { save(file, Map.of()); }

    /** Writes a safetensors file atomically (temporary file in the same folder, then rename). */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        SafeTensors.write(file, map, metadata);
    }

    /** Reads a safetensors file onto {@code backend}; malformed files fail with a message naming the defect. */
    public static StateDict load(Path file, Backend backend) throws IOException {
        return new StateDict(SafeTensors.read(file, backend).tensors());
    }

    @Override public String toString() {
        StringBuilder b = new StringBuilder("StateDict{");
        map.forEach((k, v) -> b.append(b.length() > 10 ? ", " : "").append(k).append(v.shape()));
        return b.append('}').toString();
    }
}
