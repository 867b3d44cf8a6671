package dsb4j.engine.dist;

import java.time.Duration;
import java.util.Arrays;

/**
 * The checks {@link MpiCollectiveTest} runs under {@code mpirun -np 2}: {@code collectives} (sums, broadcasts and
 * gathers give every rank the expected arrays; prints "rank R ok") and {@code timeout} (rank 1 never joins a barrier:
 * rank 0 must end the job within its 1 s time-out, naming itself).
 */
public final class MpiCheck {
    public static void main(String[] args) throws Exception {
        Collective c = Collectives.world();
        int r = c.rank(), k = c.size();
        switch (args[0]) {
            case "collectives" -> {
                if (r == 0) System.out.println("collective: " + c.description());
                float[] f = new float[100_003];                         // larger than the first buffer: it must grow
                for (int i = 0; i < f.length; i++) f[i] = (r + 1) * 0.5f + i;
                c.allReduceSum(f, "floats");
                for (int i = 0; i < f.length; i++) {
                    float want = 0;
                    for (int q = 0; q < k; q++) want += (q + 1) * 0.5f + i;
                    if (f[i] != want) fail(c, "float sum at " + i + ": " + f[i] + " vs " + want);
                }
                double[] d = {r, 1e-300 * (r + 1), Math.PI};
                c.allReduceSum(d, "doubles");
                double want0 = k * (k - 1) / 2.0;
                if (d[0] != want0 || d[2] != Math.PI * k) fail(c, "double sum " + Arrays.toString(d));
                byte[] b = new byte[5];
                if (r == 1) b = new byte[]{1, 2, 3, 4, 5};
                c.broadcast(b, 1, "bytes");
                if (!Arrays.equals(b, new byte[]{1, 2, 3, 4, 5})) fail(c, "broadcast " + Arrays.toString(b));
                byte[] text = c.broadcastBytes(r == 0 ? "from rank 0".getBytes() : null, 0, "text");
                if (!new String(text).equals("from rank 0")) fail(c, "broadcastBytes " + new String(text));
                int[] all = c.allGather(10 + r, "ranks");
                for (int q = 0; q < k; q++) if (all[q] != 10 + q) fail(c, "allGather " + Arrays.toString(all));
                c.barrier("the end");
                System.out.println("rank " + r + " of " + k + " ok");
                Collectives.closeWorld();
            }
            case "timeout" -> {
                c.setTimeout(Duration.ofSeconds(1));
                c.barrier("the first barrier");
                if (r == 1) Thread.sleep(60_000);                       // a rank that hangs
                c.barrier("the barrier rank 1 never reaches");
                System.out.println("rank " + r + " passed a barrier it should not have");
                Collectives.closeWorld();
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    private static void fail(Collective c, String what) {
        c.abort(1, "rank " + c.rank() + ": " + what);
    }
}
