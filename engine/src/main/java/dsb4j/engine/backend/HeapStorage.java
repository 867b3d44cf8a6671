package dsb4j.engine.backend;

import dsb4j.engine.tensor.DType;

/** Java heap arrays: the storage of the host backends (scalar and cpu). */
public abstract sealed class HeapStorage implements Storage permits HeapStorage.F32, HeapStorage.F64 {
    private final Backend backend;

    HeapStorage(Backend backend) { this.backend = backend; }

    @Override public Backend backend() { return backend; }

    /** Element i widened to double. */
    public abstract double get(int i);

    /** Sets element i (rounded to the storage's type). */
    public abstract void set(int i, double v);

    public static HeapStorage allocate(Backend backend, DType dtype, int n) {
        return dtype == DType.F32 ? new F32(backend, new float[n]) : new F64(backend, new double[n]);
    }

    public static final class F32 extends HeapStorage {
        public final float[] data;
        public F32(Backend backend, float[] data) { super(backend); this.data = data; }
        @Override public DType dtype() { return DType.F32; }
        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = (float) v; }
    }

    public static final class F64 extends HeapStorage {
        public final double[] data;
        public F64(Backend backend, double[] data) { super(backend); this.data = data; }
        @Override public DType dtype() { return DType.F64; }
        @Override public int size() { return data.length; }
        @Override public double get(int i) { return data[i]; }
        @Override public void set(int i, double v) { data[i] = v; }
    }
}
