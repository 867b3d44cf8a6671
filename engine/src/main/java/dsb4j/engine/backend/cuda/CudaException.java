package dsb4j.engine.backend.cuda;

/**
 * A failed CUDA, NVRTC or cuBLAS call: names the function and the status code's name
 * (e.g. {@code cuMemAlloc_v2 failed: CUDA_ERROR_OUT_OF_MEMORY (2)}), plus any detail such as a compiler log.
 */
public final class CudaException extends RuntimeException {
    private final String function;
    private final int code;
    private final String codeName;

    public CudaException(String function, int code, String codeName, String detail) {
        super(function + " failed: " + codeName + " (" + code + ")" + (detail == null || detail.isEmpty() ? "" : "\n" + detail));
        this.function = function;
        this.code = code;
        this.codeName = codeName;
    }

    /** A failure without a status code (a missing symbol, an unusable library). */
    public CudaException(String function, String message) {
        super(function + ": " + message);
        this.function = function;
        this.code = -1;
        this.codeName = "";
    }

    /** The native function that failed, e.g. {@code cuLaunchKernel}. */
    public String function() { return function; }

    /** Its status code (-1 when there was none). */
    public int code() { return code; }

    /** The status code's name, e.g. {@code CUDA_ERROR_NO_DEVICE}. */
    public String codeName() { return codeName; }
}
