package dsb4j.engine.backend.cuda;

import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.function.BiFunction;

/**
 * Host-device copies, the only place data crosses: uploads of Java arrays through a native staging segment,
 * downloads of a view in row-major order (a strided view is first gathered into a packed device buffer by
 * the copy kernel, so only the view's elements travel). Both wait for the stream: the host memory involved
 * belongs to the call.
 */
final class Transfers {
    private final Driver driver;
    private final CudaContext ctx;
    /** Gathers a strided view into a fresh packed storage of the same dtype (the caller closes it). */
    private final BiFunction<CudaStorage, Layout, CudaStorage> pack;

    Transfers(Driver driver, CudaContext ctx, BiFunction<CudaStorage, Layout, CudaStorage> pack) {
        this.driver = driver;
        this.ctx = ctx;
        this.pack = pack;
    }

    void upload(CudaStorage s, float[] data) {
        if (data.length == 0) return;
        try (Arena a = Arena.ofConfined()) {
            upload(s, a.allocateFrom(ValueLayout.JAVA_FLOAT, data));
        }
    }

    void upload(CudaStorage s, double[] data) {
        if (data.length == 0) return;
        try (Arena a = Arena.ofConfined()) {
            upload(s, a.allocateFrom(ValueLayout.JAVA_DOUBLE, data));
        }
    }

    private void upload(CudaStorage s, MemorySegment host) {
        driver.copyHtoD(s.address(), host, host.byteSize(), ctx.stream);
        ctx.synchronize();
    }

    double[] toDoubles(CudaStorage c, Layout l) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = download(a, c, l);
            if (c.dtype() == DType.F64) return host.toArray(ValueLayout.JAVA_DOUBLE);
            float[] f = host.toArray(ValueLayout.JAVA_FLOAT);
            double[] out = new double[f.length];
            for (int i = 0; i < f.length; i++) out[i] = f[i];
            return out;
        }
    }

    float[] toFloats(CudaStorage c, Layout l) {
        try (Arena a = Arena.ofConfined()) {
            MemorySegment host = download(a, c, l);
            if (c.dtype() == DType.F32) return host.toArray(ValueLayout.JAVA_FLOAT);
            double[] d = host.toArray(ValueLayout.JAVA_DOUBLE);
            float[] out = new float[d.length];
            for (int i = 0; i < d.length; i++) out[i] = (float) d[i];
            return out;
        }
    }

    /** The view's elements in row-major order and the storage's dtype, in host memory owned by {@code arena}. */
    private MemorySegment download(Arena arena, CudaStorage c, Layout l) {
        int n = l.numel();
        long bytes = (long) n * c.dtype().bytes();
        MemorySegment host = arena.allocate(Math.max(bytes, 1), 8).asSlice(0, bytes);
        if (n == 0) return host;
        if (l.isContiguous()) {
            driver.copyDtoH(host, c.address(l.offset()), bytes, ctx.stream);
            ctx.synchronize();
            return host;
        }
        CudaStorage packed = pack.apply(c, l);
        try {
            driver.copyDtoH(host, packed.address(), bytes, ctx.stream);
            ctx.synchronize();
        } finally {
            packed.close();
        }
        return host;
    }
}
