package dsb4j.bridge.train;

import dsb4j.bridge.drift.Direction;
import dsb4j.engine.Tensor;
import dsb4j.engine.dist.Collective;
import dsb4j.nn.Module;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A SHA-256 of a network's weights (and its EMA copy's), name by name, shape and float bits: equal hashes mean
 * bit-identical weights. Ranks compare theirs after every half-step ({@link #checkRanksAgree}), and the value
 * recorded in metrics.jsonl ("weights_sha256") can be recomputed from the checkpoint rank 0 wrote.
 */
public final class WeightsHash {
    private WeightsHash() {}

    /** The hash of the weights of direction {@code dir} in {@code state}: the network, then its EMA copy if any. */
    public static String of(TrainState state, Direction dir) {
        return of(state.net(dir).module(), state.ema(dir) == null ? null : state.ema(dir).shadow());
    }

    /** The hash of {@code net}'s weights followed by {@code ema}'s (null: none), as 64 hex digits. */
    public static String of(Module net, Module ema) {
        MessageDigest md;
        try {
            md = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        for (Module m : ema == null ? new Module[]{net} : new Module[]{net, ema}) {
            for (var e : m.stateDict().entries().entrySet()) {
                Tensor t = e.getValue();
                md.update(e.getKey().getBytes(StandardCharsets.UTF_8));
                md.update(Arrays.toString(t.dims()).getBytes(StandardCharsets.UTF_8));
                float[] v = t.toFloats();
                ByteBuffer b = ByteBuffer.allocate(v.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(v);
                md.update(b.array());
            }
        }
        return HexFormat.of().formatHex(md.digest());
    }

    /** Thrown on every rank when the ranks' weights are not bit-identical (which data parallelism rules out). */
    public static final class MismatchException extends IllegalStateException {
        public MismatchException(String message) { super(message); }
    }

    /**
     * Compares every rank's {@code hash} with rank 0's; all ranks learn the outcome together and throw the same
     * {@link MismatchException} naming the ranks that differ, so that the job stops before rank 0 checkpoints.
     */
    public static void checkRanksAgree(Collective c, String hash, String after) {
        if (c.size() == 1) return;
        byte[] mine = hash.getBytes(StandardCharsets.US_ASCII);
        byte[] root = c.broadcastBytes(c.isRoot() ? mine : null, 0, "rank 0's weights hash " + after);
        int[] same = c.allGather(Arrays.equals(mine, root) ? 1 : 0, "the comparison of the weights hashes " + after);
        StringBuilder differ = new StringBuilder();
        for (int r = 0; r < same.length; r++) if (same[r] == 0) differ.append(differ.isEmpty() ? "" : ", ").append(r);
        if (!differ.isEmpty())
            throw new MismatchException("the ranks' weights differ " + after + ": rank" + (differ.indexOf(",") < 0 ? " " : "s ") + differ
                    + " hold other weights than rank 0 (" + new String(root, StandardCharsets.US_ASCII).substring(0, 16) + "…); nothing of it was checkpointed");
    }
}
