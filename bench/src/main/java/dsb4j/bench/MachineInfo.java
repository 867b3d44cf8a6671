package dsb4j.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;

import dsb4j.engine.backend.cpu.Sgemm;
import jdk.incubator.vector.FloatVector;

/**
 * What a benchmark ran on, printed once per fork so that a result says so itself: the CPU model, the vector
 * instruction set the CPU has (from /proc/cpuinfo) and the one the JVM uses ({@code -XX:UseAVX}), the width of
 * {@link FloatVector#SPECIES_PREFERRED}, the thread count and the SGEMM register block.
 */
final class MachineInfo {

    private MachineInfo() {
    }

    /** One line, e.g. {@code "# machine: cpu AMD EPYC; isa avx2 (cpu: avx512, JVM UseAVX=2); species 256 bits..."}. */
    static String line(int threads) {
        String cpuIsa = "unknown";
        String model = System.getProperty("os.arch");
        try {
            for (String l : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (l.startsWith("model name") && model.equals(System.getProperty("os.arch"))) {
                    model = l.substring(l.indexOf(':') + 1).trim();
                } else if (l.startsWith("flags") && cpuIsa.equals("unknown")) {
                    String f = " " + l.substring(l.indexOf(':') + 1).trim() + " ";
                    cpuIsa = f.contains(" avx512f ") ? "avx512" : f.contains(" avx2 ") ? "avx2"
                            : f.contains(" asimd ") ? "neon" : "other";
                } else if (l.startsWith("Features") && cpuIsa.equals("unknown")) {
                    cpuIsa = l.contains(" sve") ? "sve" : l.contains("asimd") ? "neon" : "other";
                }
            }
        } catch (Exception e) {
            // not Linux: leave it unknown
        }
        int useAvx = useAvx();
        String isa = useAvx >= 3 ? "avx512" : useAvx == 2 ? "avx2" : useAvx == 1 ? "avx" : useAvx == 0 ? "sse" : cpuIsa;
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        return "# machine: cpu " + model + "; isa " + isa + " (cpu: " + cpuIsa
                + (useAvx >= 0 ? ", JVM UseAVX=" + useAvx : "") + "); species " + bits + " bits ("
                + FloatVector.SPECIES_PREFERRED.length() + " floats); threads " + threads + "; sgemm block "
                + block();
    }

    private static String block() {
        try {
            return Sgemm.kernelInfo();
        } catch (LinkageError e) {
            return "unknown (an engine without Sgemm.kernelInfo on the class path)";
        }
    }

    static int useAvx() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return -1;
        }
    }
}
