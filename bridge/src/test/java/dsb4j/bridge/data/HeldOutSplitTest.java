package dsb4j.bridge.data;

import static org.junit.jupiter.api.Assertions.*;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class HeldOutSplitTest {

    @Test void holdsOutTenPercentBetweenTwoAndTwoThousand() {
        assertEquals(2, HeldOutSplit.of(20, "x").heldOut());
        assertEquals(50, HeldOutSplit.of(500, "x").heldOut());
        assertEquals(2000, HeldOutSplit.of(60_000, "x").heldOut());
        var e = assertThrows(IllegalArgumentException.class, () -> HeldOutSplit.of(19, "--data tiny.csv"));
        assertTrue(e.getMessage().contains("--data tiny.csv") && e.getMessage().contains("19 items"), e.getMessage());
    }

    @Test void partsAreDisjointCompleteAndTheSameEveryTime() {
        HeldOutSplit s = HeldOutSplit.of(1000, "x");
        int[] held = s.heldOutRows(), train = s.trainingRows();
        assertEquals(100, held.length);
        assertEquals(900, train.length);
        Set<Integer> all = new HashSet<>();
        for (int r : held) all.add(r);
        for (int r : train) assertTrue(all.add(r), "row " + r + " in both parts");
        assertEquals(1000, all.size());
        assertArrayEquals(held, HeldOutSplit.of(1000, "y").heldOutRows(), "a function of the count alone");
        assertFalse(Arrays.equals(Arrays.copyOf(held, 10), new int[]{0, 1, 2, 3, 4, 5, 6, 7, 8, 9}), "not simply the first rows");
        float[] v = new float[2000];
        for (int i = 0; i < v.length; i++) v[i] = i;
        Points p = new Points(1000, 2, v);
        assertEquals(held[3] * 2, (int) s.heldOut(p).get(3, 0));
    }
}
