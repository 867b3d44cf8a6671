/**
 * The CUDA backend: the {@link dsb4j.engine.backend.Backend} SPI on an NVIDIA GPU through the JDK's Foreign
 * Function &amp; Memory API, with no native code of our own and no dependency.
 *
 * <h2>Layers, one file each</h2>
 * <ul>
 *   <li>Bindings, nothing else: {@code Driver} (libcuda.so.1: context, memory, modules, launches, streams,
 *       events), {@code Nvrtc} (libnvrtc: runtime compilation, cubin for the device's {@code sm_XY} with a
 *       {@code compute_XY} PTX fallback), {@code Cublas} (libcublas: S/D GEMM, plain and strided batched).
 *       Every status code becomes a {@link dsb4j.engine.backend.cuda.CudaException} naming the function and
 *       the code.</li>
 *   <li>{@code LibraryDiscovery}: where the libraries are ({@code CUDA_HOME}, {@code CUDA_PATH},
 *       {@code /usr/local/cuda}, the loader's soname search; never the toolkit's stub {@code libcuda.so}).</li>
 *   <li>{@code CudaContext} (device, primary context, stream), {@code KernelSources} and {@code KernelCache}
 *       (the {@code .cu} resources under {@code dsb4j/cuda/}, compiled once per process and loaded lazily),
 *       {@code DeviceAllocator} (a caching allocator with explicit ownership), {@code CudaStorage}.</li>
 *   <li>{@link dsb4j.engine.backend.cuda.CudaBackend}: each SPI method as a launch over flat buffers with
 *       int shapes and strides ({@code Strided}, {@code KernelArgs}, {@code ReducePlan}); {@code CudaGemm}:
 *       row-major GEMM on column-major cuBLAS; {@code Transfers}: the only host-device copies.
 *       {@link dsb4j.engine.backend.cuda.CudaProvider}: the ServiceLoader entry.</li>
 * </ul>
 *
 * <h2>A TornadoVM backend later</h2>
 * Nothing above the bindings is CUDA-specific in shape: the SPI hands a backend opaque buffers, layouts as
 * int arrays, op codes and explicit transfers and syncs. A TornadoVM backend would implement the same
 * {@code Backend} with a storage wrapping its device buffers, one task per SPI method over flat arrays with
 * the shape and strides as int parameters (as {@code Strided} packs them here), and a task graph where this
 * one would record a CUDA graph of a training step. The kernels' op semantics are in {@code common.cuh} and
 * the Java enums; the scalar backend is the oracle for both.
 *
 * <h2>Running the tests on a GPU</h2>
 * On a machine without a GPU the parity and gradient tests run against a host-compiled stand-in of the
 * three libraries (built with g++ from the same {@code .cu} sources) and skip the real device with a printed
 * reason. On a GPU host (CUDA driver and toolkit, no JDK needed), from the project root:
 * <pre>
 *   bench/scripts/prepare-device.sh                           # here: builds .device/ (JRE, jars, test classes)
 *   # then on the GPU host, with the working tree and .device/ copied there:
 *   bash engine/src/test/resources/dsb4j/cuda/run-on-gpu.sh   # the Cuda* tests through the JUnit console launcher
 * </pre>
 * which runs, in essence (the launcher command of prepare-device.sh's header, limited to these tests):
 * <pre>
 *   tar xzf .device/jre.tgz -C .device &amp;&amp; J=.device/jre/bin/java
 *   $J --add-modules jdk.incubator.vector --enable-native-access=ALL-UNNAMED \
 *      -jar .device/lib/junit-platform-console-standalone-*.jar execute \
 *      --class-path "$(ls -d .device/test-classes/* | tr '\n' :)$(ls .device/lib/*.jar | tr '\n' :)" \
 *      --scan-class-path --include-classname '.*Cuda.*'
 * </pre>
 * Options: {@code -Ddsb4j.cuda.device=N}, {@code -Ddsb4j.cuda.tf32=true} (TF32 SGEMM; true FP32 otherwise),
 * {@code -Ddsb4j.cuda.sync=true} (wait after every launch so an error names its op).
 */
package dsb4j.engine.backend.cuda;
