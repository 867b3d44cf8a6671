package dsb4j.engine.backend.cuda;

import static dsb4j.engine.backend.cuda.KernelSources.File.*;

import dsb4j.engine.backend.AdamStep;
import dsb4j.engine.backend.Backend;
import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.BufferScope;
import dsb4j.engine.backend.ConvGeometry;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.backend.UnaryOp;
import dsb4j.engine.tensor.DType;
import dsb4j.engine.tensor.Layout;
import java.lang.foreign.MemorySegment;

/**
 * The GPU backend: every SPI method as a kernel (or a cuBLAS call, or a driver copy) queued on one stream of
 * one device. Buffers stay on the device; data crosses only in fromFloats/fromDoubles/toFloats/toDoubles,
 * which wait for the stream. Kernel errors are asynchronous and surface at the next waiting call (or at once
 * with {@code -Ddsb4j.cuda.sync=true}). Not a GC citizen: {@link #close()} frees all device memory.
 */
public final class CudaBackend implements Backend, AutoCloseable {
    /**
     * @param device     CUDA device ordinal ({@code dsb4j.cuda.device}, default 0)
     * @param tf32       let SGEMM use TF32 tensor cores ({@code dsb4j.cuda.tf32}, default false: true FP32)
     * @param syncEachOp wait after every launch so an error names its op ({@code dsb4j.cuda.sync}, for debugging)
     */
    public record Options(int device, boolean tf32, boolean syncEachOp) {
        public static Options fromSystemProperties() {
            return new Options(Integer.getInteger("dsb4j.cuda.device", 0), Boolean.getBoolean("dsb4j.cuda.tf32"),
                    Boolean.getBoolean("dsb4j.cuda.sync"));
        }
    }

    static final int BLOCK = 256;

    private final CudaLibraries libs;
    private final Options options;
    private final Driver driver;
    private final Nvrtc nvrtc;
    private final CudaContext ctx;
    private final DeviceAllocator allocator;
    private final KernelCache kernels;
    private final CudaGemm gemm;
    private final Transfers transfers;
    /** Scratch buffers per calling thread: [slot · 2 + (F64 ? 1 : 0)], grown on demand and kept. */
    private final ThreadLocal<CudaStorage[]> scratch = ThreadLocal.withInitial(() -> new CudaStorage[2 * SCRATCH_SLOTS]);
    private static final int SCRATCH_SLOTS = 4;
    private long queued;
    private volatile boolean closed;

    /** Opens the device named by {@code options} with the libraries found on this machine. */
    public static CudaBackend open(Options options) {
        CudaProvider.Probe p = CudaProvider.probe();
        if (p.reason() != null) throw new IllegalStateException("device cuda unavailable: " + p.reason());
        return new CudaBackend(p.libraries(), options);
    }

    /** Opens a device through the given libraries (tests use a host-side stand-in). */
    static CudaBackend open(CudaLibraries libs, Options options) { return new CudaBackend(libs, options); }

    private CudaBackend(CudaLibraries libs, Options options) {
        this.libs = libs;
        this.options = options;
        this.driver = new Driver(libs.driver());
        this.nvrtc = new Nvrtc(libs.nvrtc());
        this.ctx = CudaContext.open(driver, options.device());
        try {
            this.allocator = new DeviceAllocator(driver, gcEvery(ctx.totalMemory));
            this.kernels = new KernelCache(driver, nvrtc, libs.nvrtc(), ctx);
            this.gemm = new CudaGemm(this, libs.cublas(), ctx.stream, options.tf32());
            this.transfers = new Transfers(driver, ctx, this::pack);
        } catch (RuntimeException e) {
            ctx.close();
            throw e;
        }
    }

    @Override public String name() { return "cuda"; }

    /** One line: device, architecture, memory, driver, compiler, GEMM path and where the libraries came from. */
    public String describe() {
        return ctx.name + " (" + ctx.arch() + ", " + ctx.multiprocessors + " SMs, "
                + String.format(java.util.Locale.ROOT, "%.1f GiB", ctx.totalMemory / (double) (1L << 30)) + "), driver " + version(driver.driverVersion())
                + ", NVRTC " + nvrtc.version() + " (" + kernels.describe() + "), " + gemm.describe()
                + (options.tf32() ? " with TF32" : "") + "; " + libs.description();
    }

    private static String version(int v) { return v / 1000 + "." + v % 1000 / 10; }

    /** GC pressure (see {@link DeviceAllocator}): a sixteenth of the device, between 256 MiB and 8 GiB. */
    static long gcEvery(long totalMemory) { return Math.clamp(totalMemory / 16, 256L << 20, 8L << 30); }

    // ---- buffers and transfers -----------------------------------------------------------------------

    @Override public CudaStorage allocate(DType dtype, int n) {
        CudaStorage s = allocateUninitialized(dtype, n);
        if (n > 0) {
            driver.memsetD32(s.address(), 0, (long) n * dtype.bytes() / 4, ctx.stream);   // 0.0 is all zero bits
            afterLaunch("allocate");
        }
        return s;
    }

    /**
     * A per-thread buffer, kept and grown: the work queued on it is ordered on the one stream, so the next
     * call's use of the same slot starts only after the last one's kernels are done.
     */
    @Override public Storage scratch(DType dtype, int n, int slot) {
        if (slot < 0 || slot >= SCRATCH_SLOTS) throw new IllegalArgumentException("scratch slot " + slot + " (0.." + (SCRATCH_SLOTS - 1) + ")");
        enter();
        CudaStorage[] mine = scratch.get();
        int i = slot * 2 + (dtype == DType.F64 ? 1 : 0);
        if (mine[i] == null || mine[i].size() < n || mine[i].isClosed()) {
            if (mine[i] != null) mine[i].close();
            mine[i] = new CudaStorage(this, dtype, n, allocator);
        }
        return mine[i];
    }

    /** Every buffer a caller gets (all but scratch) is made here and belongs to the thread's buffer scope. */
    @Override public CudaStorage allocateUninitialized(DType dtype, int n) {
        enter();
        CudaStorage s = new CudaStorage(this, dtype, n, allocator);
        BufferScope.register(s);
        return s;
    }

    @Override public Storage fromFloats(float[] data) {
        CudaStorage s = allocateUninitialized(DType.F32, data.length);
        transfers.upload(s, data);
        return s;
    }

    @Override public Storage fromDoubles(double[] data) {
        CudaStorage s = allocateUninitialized(DType.F64, data.length);
        transfers.upload(s, data);
        return s;
    }

    @Override public double[] toDoubles(Storage s, Layout l) {
        enter();
        CudaStorage c = dev(s);
        checkView("toDoubles", c, l);
        return transfers.toDoubles(c, l);
    }

    @Override public float[] toFloats(Storage s, Layout l) {
        enter();
        CudaStorage c = dev(s);
        checkView("toFloats", c, l);
        return transfers.toFloats(c, l);
    }

    /** A packed copy of a view on the device (for downloads of strided views). */
    private CudaStorage pack(CudaStorage c, Layout l) {
        CudaStorage packed = new CudaStorage(this, c.dtype(), l.numel(), allocator);
        copy(c, l, packed, Layout.contiguous(l.shape()));
        return packed;
    }

    // ---- movement ------------------------------------------------------------------------------------

    @Override public void copy(Storage src, Layout sl, Storage dst, Layout dl) {
        enter();
        CudaStorage s = dev(src), d = dev(dst);
        checkView("copy", s, sl);
        checkView("copy", d, dl);
        int n = dl.numel();
        if (n == 0) return;
        if (s.dtype() == d.dtype() && sl.isContiguous() && dl.isContiguous()) {
            if (s != d || sl.offset() != dl.offset())
                driver.copyDtoD(d.address(dl.offset()), s.address(sl.offset()), (long) n * d.dtype().bytes(), ctx.stream);
            afterLaunch("copy");
            return;
        }
        Strided st = Strided.of(dl.shape().dims(), new int[][]{sl.strides(), dl.strides()}, new int[]{sl.offset(), dl.offset()});
        try (KernelArgs a = new KernelArgs(6)) {
            a.i32(n).ints(st.dimsStruct()).ints(st.stridesStruct(0)).ptr(s.address()).ints(st.stridesStruct(1)).ptr(d.address());
            launch(ELEMENTWISE, "copy_" + suffix(s.dtype()) + "_" + suffix(d.dtype()), n, BLOCK, a);
        }
    }

    @Override public void fill(Storage dst, Layout dl, double value) {
        enter();
        CudaStorage d = dev(dst);
        checkView("fill", d, dl);
        int n = dl.numel();
        if (n == 0) return;
        boolean f32 = d.dtype() == DType.F32;
        if (dl.isContiguous() && (f32 || Double.doubleToRawLongBits(value) == 0)) {
            int bits = f32 ? Float.floatToRawIntBits((float) value) : 0;
            driver.memsetD32(d.address(dl.offset()), bits, (long) n * d.dtype().bytes() / 4, ctx.stream);
            afterLaunch("fill");
            return;
        }
        Strided st = Strided.of(dl.shape().dims(), new int[][]{dl.strides()}, new int[]{dl.offset()});
        try (KernelArgs a = new KernelArgs(5)) {
            a.i32(n).ints(st.dimsStruct()).ints(st.stridesStruct(0)).ptr(d.address()).f64(value);
            launch(ELEMENTWISE, "fill_" + suffix(d.dtype()), n, BLOCK, a);
        }
    }

    // ---- elementwise and reductions ------------------------------------------------------------------

    @Override public void unary(UnaryOp op, double param, Storage x, Layout xl, Storage out, Layout ol) {
        enter();
        CudaStorage xs = dev(x), os = dev(out);
        sameDtype("unary " + op, xs, os);
        checkView("unary " + op, xs, xl);
        checkView("unary " + op, os, ol);
        int n = ol.numel();
        if (n == 0) return;
        Strided st = Strided.of(ol.shape().dims(), new int[][]{xl.strides(), ol.strides()}, new int[]{xl.offset(), ol.offset()});
        try (KernelArgs a = new KernelArgs(8)) {
            a.i32(op.ordinal()).f64(param).i32(n).ints(st.dimsStruct())
                    .ints(st.stridesStruct(0)).ptr(xs.address()).ints(st.stridesStruct(1)).ptr(os.address());
            launch(ELEMENTWISE, "unary_" + suffix(os.dtype()), n, BLOCK, a);
        }
    }

    @Override public void binary(BinaryOp op, Storage a, Layout al, Storage b, Layout bl, Storage out, Layout ol) {
        enter();
        CudaStorage as = dev(a), bs = dev(b), os = dev(out);
        sameDtype("binary " + op, as, os);
        sameDtype("binary " + op, bs, os);
        checkView("binary " + op, as, al);
        checkView("binary " + op, bs, bl);
        checkView("binary " + op, os, ol);
        int n = ol.numel();
        if (n == 0) return;
        Strided st = Strided.of(ol.shape().dims(), new int[][]{al.strides(), bl.strides(), ol.strides()},
                new int[]{al.offset(), bl.offset(), ol.offset()});
        try (KernelArgs k = new KernelArgs(9)) {
            k.i32(op.ordinal()).i32(n).ints(st.dimsStruct()).ints(st.stridesStruct(0)).ptr(as.address())
                    .ints(st.stridesStruct(1)).ptr(bs.address()).ints(st.stridesStruct(2)).ptr(os.address());
            launch(ELEMENTWISE, "binary_" + suffix(os.dtype()), n, BLOCK, k);
        }
    }

    @Override public void reduce(ReduceOp op, Storage x, Layout xl, boolean[] reduced, Storage out) {
        enter();
        CudaStorage xs = dev(x), os = dev(out);
        sameDtype("reduce " + op, xs, os);
        checkView("reduce " + op, xs, xl);
        ReducePlan p = ReducePlan.of(xl, reduced, ctx.multiprocessors, BLOCK);
        int nOut = p.outputs(), nIn = p.inputsPerOutput();
        if (nOut == 0) return;
        if (nOut > os.size())
            throw new IllegalArgumentException("reduce " + op + ": " + nOut + " outputs for a storage of " + os.size());
        try (KernelArgs a = new KernelArgs(10)) {
            a.i32(op.ordinal()).f64(op.identity()).i32(nOut).ints(p.outer().dimsStruct()).ints(p.outer().stridesStruct(0))
                    .ints(p.inner().dimsStruct()).ints(p.inner().stridesStruct(0)).i32(nIn).ptr(xs.address()).ptr(os.address());
            String k = (p.perBlock() ? "reduce_block_" : "reduce_thread_") + suffix(os.dtype());
            launch(REDUCE, k, p.perBlock() ? (long) nOut * p.block() : nOut, p.block(), a);
        }
    }

    // ---- GEMM and convolution helpers ----------------------------------------------------------------

    @Override public void gemm(GemmShape g, double alpha, Storage a, int aOff, Storage b, int bOff, double beta, Storage c, int cOff) {
        enter();
        gemm.gemm(g, alpha, dev(a), aOff, dev(b), bOff, beta, dev(c), cOff);
    }

    /** The plain GEMM kernel (see {@link CudaGemm}); operands already checked. */
    void plainGemm(GemmShape g, double alpha, CudaStorage a, int aOff, CudaStorage b, int bOff, double beta, CudaStorage c, int cOff) {
        try (KernelArgs k = new KernelArgs(6)) {
            k.ints(g.transA() ? 1 : 0, g.transB() ? 1 : 0, g.batch(), g.m(), g.n(), g.k(), g.lda(), g.ldb(), g.ldc(),
                            g.strideA(), g.strideB(), g.strideC())
                    .f64(alpha).ptr(a.address(aOff)).ptr(b.address(bOff)).f64(beta).ptr(c.address(cOff));
            launch(GEMM, "gemm_" + suffix(c.dtype()), (long) g.batch() * g.m() * g.n(), BLOCK, k);
        }
    }

    @Override public void im2col(ConvGeometry g, Storage x, Layout xl, Storage cols) {
        enter();
        CudaStorage xs = dev(x), cs = dev(cols);
        sameDtype("im2col", xs, cs);
        checkView("im2col", xs, xl);
        if (xl.rank() != 4) throw new IllegalArgumentException("im2col: x must have rank 4, got " + xl.shape());
        long total = (long) g.n() * g.colRows() * g.colCols();
        if (total == 0) return;
        if (total > cs.size()) throw new IllegalArgumentException("im2col: " + total + " column entries for a storage of " + cs.size());
        try (KernelArgs a = new KernelArgs(4)) {
            a.ints(conv(g)).ints(Strided.stridesStruct(xl.offset(), xl.strides())).ptr(xs.address()).ptr(cs.address());
            launch(CONV, "im2col_" + suffix(cs.dtype()), total, BLOCK, a);
        }
    }

    @Override public void col2im(ConvGeometry g, Storage cols, Storage dx) {
        enter();
        CudaStorage cs = dev(cols), ds = dev(dx);
        sameDtype("col2im", cs, ds);
        long total = (long) g.n() * g.c() * g.h() * g.w();
        if (total == 0) return;
        if (total > ds.size() || (long) g.n() * g.colRows() * g.colCols() > cs.size())
            throw new IllegalArgumentException("col2im: geometry " + g + " does not fit storages of " + cs.size() + " and " + ds.size());
        try (KernelArgs a = new KernelArgs(3)) {
            a.ints(conv(g)).ptr(cs.address()).ptr(ds.address());
            launch(CONV, "col2im_" + suffix(ds.dtype()), total, BLOCK, a);
        }
    }

    private static int[] conv(ConvGeometry g) {
        return new int[]{g.n(), g.c(), g.h(), g.w(), g.kh(), g.kw(), g.stride(), g.pad(), g.oh(), g.ow()};
    }

    // ---- random and the fused SDE step ---------------------------------------------------------------

    @Override public void randomNormal(Storage out, long seed) { random("random_normal_", out, seed); }

    @Override public void randomUniform(Storage out, long seed) { random("random_uniform_", out, seed); }

    private void random(String kernel, Storage out, long seed) {
        enter();
        CudaStorage os = dev(out);
        if (os.size() == 0) return;
        try (KernelArgs a = new KernelArgs(3)) {
            a.i32(os.size()).i64(seed).ptr(os.address());
            launch(RANDOM, kernel + suffix(os.dtype()), os.size(), BLOCK, a);
        }
    }

    @Override public void sdeStep(Storage x, Storage drift, Storage noise, double gamma, Storage out) {
        enter();
        CudaStorage xs = dev(x), fs = dev(drift), zs = dev(noise), os = dev(out);
        for (CudaStorage s : new CudaStorage[]{xs, fs, zs}) {
            sameDtype("sdeStep", s, os);
            if (s.size() < os.size()) throw new IllegalArgumentException("sdeStep: input of " + s.size() + " elements for " + os.size() + " outputs");
        }
        int n = os.size();
        if (n == 0) return;
        try (KernelArgs a = new KernelArgs(7)) {
            a.i32(n).ptr(xs.address()).ptr(fs.address()).ptr(zs.address()).f64(gamma).f64(Math.sqrt(2 * gamma)).ptr(os.address());
            launch(ELEMENTWISE, "sde_step_" + suffix(os.dtype()), n, BLOCK, a);
        }
    }

    @Override public void adamStep(AdamStep c, int n, Storage p, int pOff, Storage g, int gOff, Storage m, int mOff,
                                   Storage v, int vOff, Storage out) {
        enter();
        CudaStorage ps = dev(p), gs = dev(g), ms = dev(m), vs = dev(v), os = dev(out);
        span(ps, pOff, n, os);
        span(gs, gOff, n, os);
        span(ms, mOff, n, os);
        span(vs, vOff, n, os);
        span(os, 0, n, os);
        if (n == 0) return;
        try (KernelArgs a = new KernelArgs(12)) {
            a.i32(n).f64(c.beta1()).f64(c.beta2()).f64(c.eps()).f64(c.weightDecay()).f64(c.stepSize()).f64(c.invSqrtBc2())
                    .ptr(ps.address(pOff)).ptr(gs.address(gOff)).ptr(ms.address(mOff)).ptr(vs.address(vOff)).ptr(os.address());
            launch(ELEMENTWISE, "adam_step_" + suffix(os.dtype()), n, BLOCK, a);
        }
    }

    /** adamStep's operands: n elements from off inside s, in out's dtype. */
    private static void span(CudaStorage s, int off, int n, CudaStorage out) {
        sameDtype("adamStep", s, out);
        if (off < 0 || (long) off + n > s.size()) throw new IllegalArgumentException("adamStep: " + n + " elements from " + off + " in " + s);
    }

    // ---- synchronisation, memory, lifetime -----------------------------------------------------------

    @Override public void sync() {
        enter();
        ctx.synchronize();
    }

    /** Milliseconds the device spent on the work {@code body} queues (events on the stream; waits for it). */
    public float elapsedMillis(Runnable body) {
        enter();
        MemorySegment start = driver.eventCreate(), end = driver.eventCreate();
        try {
            driver.eventRecord(start, ctx.stream);
            body.run();
            driver.eventRecord(end, ctx.stream);
            driver.eventSynchronize(end);
            return driver.elapsedMillis(start, end);
        } finally {
            driver.eventDestroy(start);
            driver.eventDestroy(end);
        }
    }

    /** Operations queued so far: kernel launches, cuBLAS calls, copies and fills. */
    public long queuedOperations() { return queued; }

    /** Times the host waited for the device so far (syncs, uploads, downloads). */
    public long waits() { return ctx.waits; }

    /** cuMemAlloc calls so far (allocator cache misses) and collections asked for (GC pressure). */
    public long deviceAllocations() { return allocator.deviceAllocations(); }

    public long gcRequests() { return allocator.gcRequests(); }

    /** The GC-pressure threshold of this device (see {@link #gcEvery(long)}). */
    long gcEveryBytes() { return gcEvery(ctx.totalMemory); }

    /** Bytes of device memory held by live storages. */
    public long bytesInUse() { return allocator.liveBytes(); }

    /** Bytes kept in the allocator's cache for reuse. */
    public long bytesCached() { return allocator.cachedBytes(); }

    /** Gives cached, unused device memory back to the driver. */
    public void trimCache() {
        enter();
        ctx.synchronize();
        allocator.trim();
    }

    /** Frees every device buffer of this backend, unloads its kernels and releases the device. Idempotent. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        RuntimeException first = null;
        try {
            ctx.makeCurrent();
            ctx.synchronize();
        } catch (RuntimeException e) { first = e; }
        try { gemm.close(); } catch (RuntimeException e) { if (first == null) first = e; }
        try { kernels.close(); } catch (RuntimeException e) { if (first == null) first = e; }
        try { allocator.close(); } catch (RuntimeException e) { if (first == null) first = e; }
        try { ctx.close(); } catch (RuntimeException e) { if (first == null) first = e; }
        if (first != null) throw first;
    }

    /** Returns a buffer of this backend to the allocator's cache (closing it); a closed one is left alone. */
    @Override public void release(Storage s) {
        if (s instanceof CudaStorage c && c.backend() == this) c.close();
        else throw new IllegalArgumentException("the " + s.backend().name() + " backend's buffer cannot be released by this cuda backend");
    }

    void returnToCache(CudaStorage s) {
        if (!closed) allocator.release(s.block);
    }

    DeviceAllocator allocator() { return allocator; }

    // ---- plumbing ------------------------------------------------------------------------------------

    private void enter() {
        if (closed) throw new IllegalStateException("cuda backend closed");
        ctx.makeCurrent();
    }

    private CudaStorage dev(Storage s) {
        if (s instanceof CudaStorage c && c.backend() == this) {
            if (c.isClosed()) throw new IllegalStateException("cuda: " + c + " used after close");
            return c;
        }
        throw new IllegalArgumentException("the " + s.backend().name() + " backend's buffer cannot be used on this cuda backend");
    }

    private static void sameDtype(String op, CudaStorage a, CudaStorage b) {
        if (a.dtype() != b.dtype())
            throw new IllegalArgumentException(op + ": dtypes differ (" + a.dtype() + ", " + b.dtype() + "); only copy converts");
    }

    /** A view must stay inside its storage: the device would read or write out of bounds without a word. */
    private static void checkView(String op, CudaStorage s, Layout l) {
        if (l.numel() == 0) return;
        if (l.offset() < 0 || l.extent() > s.size())
            throw new IllegalArgumentException(op + ": view " + l + " reaches beyond a storage of " + s.size() + " elements");
    }

    static String suffix(DType t) { return t == DType.F32 ? "f32" : "f64"; }

    /** Launches {@code name} over {@code work} threads (grid-stride kernels: the grid is capped). */
    private void launch(KernelSources.File file, String name, long work, int block, KernelArgs args) {
        MemorySegment f = kernels.function(file, name);
        long blocks = Math.min((work + block - 1) / block, (long) ctx.multiprocessors * 16);
        driver.launch(f, (int) Math.max(1, blocks), block, 0, ctx.stream, args.pointers());
        afterLaunch(name);
    }

    /** With {@code syncEachOp}, waits so that a failing kernel is named by its own error. */
    void afterLaunch(String what) {
        queued++;
        if (!options.syncEachOp()) return;
        try {
            ctx.synchronize();
        } catch (CudaException e) {
            throw new CudaException(e.function(), e.code(), e.codeName(), "after " + what);
        }
    }
}
