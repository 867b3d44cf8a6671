package dsb4j.bench;

import dsb4j.engine.dist.Collective;
import dsb4j.engine.dist.Collectives;
import java.util.Arrays;

/**
 * The time of one gradient all-reduce ({@link Collective#allReduceSum(float[], String)}, the exchange of every
 * optimiser step, copies between the Java array and MPI's buffer included) for the sizes of dsb4j's networks: the
 * 2-D MLP (26,498 parameters) and U-Nets of 1 and 7 million. Run under mpirun:
 * <pre>
 *   mpirun -np 2 java --enable-native-access=ALL-UNNAMED -cp bench/target/benchmarks.jar dsb4j.bench.AllReduceBench
 * </pre>
 * Rank 0 prints, per size, the median over repetitions and the bandwidth it implies for a ring all-reduce
 * (each rank sends and receives 2(K−1)/K of the data).
 */
public final class AllReduceBench {
    public static void main(String[] args) {
        Collective c = Collectives.world();
        int k = c.size();
        for (int n : new int[]{26_498, 1_000_000, 7_000_000}) {
            float[] data = new float[n];
            Arrays.fill(data, 1f);
            int reps = n < 100_000 ? 200 : n < 2_000_000 ? 40 : 12;
            for (int i = 0; i < 5; i++) c.allReduceSum(data, "warm-up");
            double[] t = new double[reps];
            for (int i = 0; i < reps; i++) {
                c.barrier("start");
                long t0 = System.nanoTime();
                c.allReduceSum(data, "the timed all-reduce");
                t[i] = (System.nanoTime() - t0) / 1e6;
            }
            Arrays.sort(t);
            double median = t[reps / 2];
            double bytes = 4.0 * n;
            if (c.isRoot())
                System.out.printf("all-reduce of %,d floats (%.1f MB) over %d ranks: median %.3f ms (min %.3f, max %.3f); "
                        + "ring bandwidth %.2f GB/s%n", n, bytes / 1e6, k, median, t[0], t[reps - 1], 2.0 * (k - 1) / k * bytes / (median / 1e3) / 1e9);
        }
        Collectives.closeWorld();
    }
}
