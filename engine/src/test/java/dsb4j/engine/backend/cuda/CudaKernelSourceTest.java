package dsb4j.engine.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dsb4j.engine.backend.BinaryOp;
import dsb4j.engine.backend.GemmShape;
import dsb4j.engine.backend.ReduceOp;
import dsb4j.engine.backend.UnaryOp;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The kernel sources without a GPU: every .cu resource compiles with nvcc for sm_90 exactly as NVRTC gets it
 * (same headers, --fmad=false) and defines the kernels the Java side declares; every Java op code has its case
 * in common.cuh; and the pure-Java parts of the launch plumbing (axis merging, the cuBLAS argument rules).
 */
class CudaKernelSourceTest {

    @Test void everyKernelFileCompilesWithNvccAndDefinesItsDeclaredKernels(@TempDir Path dir) throws Exception {
        String nvcc = CudaEmulator.onPath("nvcc");
        if (nvcc == null) System.out.println("[cuda] nvcc not on PATH: kernel sources not compiled here");
        assumeTrue(nvcc != null, "nvcc not on PATH");
        for (var h : KernelSources.headers().entrySet()) Files.writeString(dir.resolve(h.getKey()), h.getValue());
        // one nvcc per file, all at once: the slow part (cicc, ptxas) is per file
        List<Process> running = new ArrayList<>();
        for (KernelSources.File f : KernelSources.File.values()) {
            Path src = dir.resolve(f.fileName);
            Files.writeString(src, f.source());
            running.add(new ProcessBuilder(nvcc, "-cubin", "-arch=sm_90", "-fmad=false", "-std=c++17", "-I", dir.toString(),
                    "-o", dir.resolve(f.fileName.replace(".cu", ".cubin")).toString(), src.toString()).redirectErrorStream(true).start());
        }
        for (int i = 0; i < running.size(); i++) {
            Process p = running.get(i);
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(240, TimeUnit.SECONDS), "nvcc timed out");
            String name = KernelSources.File.values()[i].fileName;
            assertEquals(0, p.exitValue(), "nvcc failed on " + name + ":\n" + out);
            assertFalse(out.contains("warning"), "nvcc warnings on " + name + ":\n" + out);
        }
        for (KernelSources.File f : KernelSources.File.values()) {
            Path cubin = dir.resolve(f.fileName.replace(".cu", ".cubin"));
            String elf = new String(Files.readAllBytes(cubin), StandardCharsets.ISO_8859_1);
            java.util.Set<String> defined = new java.util.TreeSet<>();
            java.util.regex.Matcher m = java.util.regex.Pattern.compile("\0\\.text\\.(\\w+)(?=\0)").matcher(elf);
            while (m.find()) defined.add(m.group(1));
            assertEquals(new java.util.TreeSet<>(f.kernels), defined, f.fileName + ": kernels compiled vs declared in KernelSources");
        }
    }

    @Test void everyOpCodeHasItsCaseInTheKernels() {
        String common = KernelSources.read(KernelSources.COMMON);
        for (UnaryOp op : UnaryOp.values()) assertTrue(common.contains("case DSB4J_UNARY_" + op.name() + ":"), "no kernel case for " + op);
        for (BinaryOp op : BinaryOp.values()) assertTrue(common.contains("case DSB4J_BINARY_" + op.name() + ":"), "no kernel case for " + op);
        for (ReduceOp op : ReduceOp.values()) assertTrue(common.contains("case DSB4J_REDUCE_" + op.name() + ":"), "no kernel case for " + op);
        assertTrue(KernelSources.opsHeader().contains("#define DSB4J_UNARY_" + UnaryOp.SIGN.name() + " " + UnaryOp.SIGN.ordinal() + "\n"));
    }

    @Test void axesMergeWhereEveryOperandAllows() {
        // packed [2, 3, 4] and its copy: one axis of 24
        Strided s = Strided.of(new int[]{2, 3, 4}, new int[][]{{12, 4, 1}, {12, 4, 1}}, new int[]{0, 5});
        assertArrayEquals(new int[]{24}, s.dims());
        assertArrayEquals(new int[]{1}, s.strides()[1]);
        assertArrayEquals(new int[]{5, 1, 0, 0, 0, 0, 0, 0, 0}, s.stridesStruct(1));
        // a transposed operand keeps the axes apart; size-1 axes vanish; broadcast (stride 0) axes merge with each other
        Strided t = Strided.of(new int[]{2, 1, 3}, new int[][]{{3, 0, 1}, {1, 7, 2}}, new int[]{0, 0});
        assertArrayEquals(new int[]{2, 3}, t.dims());
        Strided b = Strided.of(new int[]{4, 5, 6}, new int[][]{{0, 0, 1}, {30, 6, 1}}, new int[]{0, 0});
        assertArrayEquals(new int[]{20, 6}, b.dims());
        assertArrayEquals(new int[]{2, 20, 6, 0, 0, 0, 0, 0, 0}, b.dimsStruct());
        // a scalar: rank 0, one element
        Strided z = Strided.of(new int[0], new int[][]{{}}, new int[]{3});
        assertEquals(1, z.numel());
        assertEquals(0, z.dims().length);
    }

    @Test void cublasArgumentRulesForTheSwappedCall() {
        assertTrue(CudaGemm.cublasAccepts(GemmShape.of(false, false, 3, 5, 7)));
        assertTrue(CudaGemm.cublasAccepts(GemmShape.of(true, true, 1, 1, 1)));
        assertFalse(CudaGemm.cublasAccepts(GemmShape.of(false, false, 3, 5, 0)), "k = 0");
        assertFalse(CudaGemm.cublasAccepts(new GemmShape(false, false, 1, 1, 4, 5, 1, 4, 4, 0, 0, 0)), "lda below k");
        assertFalse(CudaGemm.cublasAccepts(new GemmShape(false, true, 1, 2, 4, 5, 5, 4, 4, 0, 0, 0)), "transposed B needs ldb >= k");
    }

    @Test void runOnGpuScriptIsThere() throws IOException {
        String s = CudaEmulator.testResource("run-on-gpu.sh");
        assertTrue(s.contains("junit-platform-console-standalone") && s.contains("--include-classname"), s);
    }
}
