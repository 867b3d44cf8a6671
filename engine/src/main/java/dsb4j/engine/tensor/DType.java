package dsb4j.engine.tensor;

/** Element types. F32 is what networks train in; F64 exists above all for gradient checks. */
public enum DType {
    F32(4, "F32"),
    F64(8, "F64");

    private final int bytes;
    private final String safetensorsName;

    DType(int bytes, String safetensorsName) {
        this.bytes = bytes;
        this.safetensorsName = safetensorsName;
    }

    public int bytes() { return bytes; }

    /** The dtype's name in a safetensors header. */
    public String safetensorsName() { return safetensorsName; }

    public static DType fromSafetensorsName(String name) {
        for (DType t : values()) if (t.safetensorsName.equals(name)) return t;
        throw new IllegalArgumentException("unsupported dtype '" + name + "' (supported: F32, F64)");
    }
}
