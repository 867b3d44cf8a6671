package dsb4j.bridge.data;

import dsb4j.engine.random.Rng;
import java.util.Arrays;

/**
 * The items of a user's data set that training never sees: 10 % of them (at least 2, at most 2,000), picked by a
 * shuffle with a fixed seed, so that every run on the same file holds out the same items whatever its --seed, and
 * runs of different seeds are scored on one set. The metrics compare against them; data.npy and prior.npy hold them.
 */
public record HeldOutSplit(int total, int heldOut) {
    public static final int MIN_ITEMS = 20, MAX_HELD_OUT = 2000;
    /** The shuffle's seed: fixed, so the split is a function of the item count alone. */
    static final long SEED = 0x5917_0001L;

    public HeldOutSplit {
        if (heldOut < 1 || heldOut >= total)
            throw new IllegalArgumentException("HeldOutSplit: " + heldOut + " held out of " + total);
    }

    /** The split of {@code n} items; fewer than {@value #MIN_ITEMS} is an error naming {@code what}. */
    public static HeldOutSplit of(int n, String what) {
        if (n < MIN_ITEMS)
            throw new IllegalArgumentException(what + ": " + n + " item" + (n == 1 ? " is" : "s are") + " too few: 10 % are held out for the "
                    + "metrics and the rest trains; give at least " + MIN_ITEMS + " (a few hundred train well)");
        return new HeldOutSplit(n, Math.max(2, Math.min(MAX_HELD_OUT, (int) Math.round(0.1 * n))));
    }

    /** The held-out rows, ascending. */
    public int[] heldOutRows() {
        int[] perm = new int[total];
        for (int i = 0; i < total; i++) perm[i] = i;
        new Rng(SEED).shuffle(perm);
        int[] rows = Arrays.copyOf(perm, heldOut);
        Arrays.sort(rows);
        return rows;
    }

    /** The rows training uses, ascending. */
    public int[] trainingRows() {
        boolean[] out = new boolean[total];
        for (int r : heldOutRows()) out[r] = true;
        int[] rows = new int[total - heldOut];
        int k = 0;
        for (int i = 0; i < total; i++) if (!out[i]) rows[k++] = i;
        return rows;
    }

    public Points heldOut(Points all) { return check(all).select(heldOutRows()); }

    public Points training(Points all) { return check(all).select(trainingRows()); }

    private Points check(Points all) {
        if (all.n() != total) throw new IllegalArgumentException("HeldOutSplit of " + total + " items applied to " + all.n());
        return all;
    }
}
