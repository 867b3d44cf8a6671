package dsb4j.engine.backend.cuda;

import java.lang.foreign.MemorySegment;

/**
 * One device as the backend uses it: its primary context (made current on every thread that touches the
 * GPU, as CUDA requires), one non-blocking stream that all work is queued on in order, and the properties
 * launches and compiles need. Closing releases the stream and the primary context.
 */
final class CudaContext implements AutoCloseable {
    /** The context last made current on each thread (an instance, not a handle: a re-retained context may reuse one). */
    private static final ThreadLocal<CudaContext> CURRENT = new ThreadLocal<>();

    final Driver driver;
    final int ordinal;
    final int device;
    final MemorySegment context;
    final MemorySegment stream;
    final String name;
    final int ccMajor, ccMinor, multiprocessors, maxThreadsPerBlock;
    final long totalMemory;

    private CudaContext(Driver driver, int ordinal) {
        this.driver = driver;
        this.ordinal = ordinal;
        this.device = driver.device(ordinal);
        this.name = driver.deviceName(device);
        this.ccMajor = driver.attribute(device, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR);
        this.ccMinor = driver.attribute(device, Driver.CU_DEVICE_ATTRIBUTE_COMPUTE_CAPABILITY_MINOR);
        this.multiprocessors = driver.attribute(device, Driver.CU_DEVICE_ATTRIBUTE_MULTIPROCESSOR_COUNT);
        this.maxThreadsPerBlock = driver.attribute(device, Driver.CU_DEVICE_ATTRIBUTE_MAX_THREADS_PER_BLOCK);
        this.totalMemory = driver.totalMemory(device);
        this.context = driver.primaryContextRetain(device);
        MemorySegment s;
        try {
            makeCurrent();
            s = driver.streamCreate(Driver.CU_STREAM_NON_BLOCKING);
        } catch (RuntimeException e) {
            driver.primaryContextRelease(device);
            throw e;
        }
        this.stream = s;
    }

    /** Initialises the driver and opens device {@code ordinal}. */
    static CudaContext open(Driver driver, int ordinal) {
        driver.init();
        int count = driver.deviceCount();
        if (ordinal < 0 || ordinal >= count)
            throw new IllegalArgumentException("CUDA device " + ordinal + " requested, " + count + " present");
        return new CudaContext(driver, ordinal);
    }

    /** Makes this context current on the calling thread (one cheap check when it already is). */
    void makeCurrent() {
        if (CURRENT.get() == this) return;
        driver.setCurrent(context);
        CURRENT.set(this);
    }

    /** How many times the host waited for the stream (syncs, uploads, downloads): each one drains the queue. */
    long waits;

    /** Waits for everything queued on the stream; errors of earlier asynchronous work surface here. */
    void synchronize() {
        waits++;
        driver.streamSynchronize(stream);
    }

    /** "sm_90" */
    String arch() { return "sm_" + ccMajor + ccMinor; }

    @Override public void close() {
        makeCurrent();
        try {
            driver.streamSynchronize(stream);
            driver.streamDestroy(stream);
        } finally {
            CURRENT.remove();
            driver.primaryContextRelease(device);
        }
    }
}
