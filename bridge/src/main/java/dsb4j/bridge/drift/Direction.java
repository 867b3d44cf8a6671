package dsb4j.bridge.drift;

import dsb4j.bridge.process.TimeSchedule;

/**
 * The two chains. FORWARD runs data (index 0) → prior (index N); BACKWARD runs prior → data. A map of either
 * direction numbers its transitions 0…N−1 in its own order: forward step j is X_j → X_{j+1}, backward step j
 * is X_{N−j} → X_{N−1−j}. Networks get exactly this index as their time input, in training and sampling alike.
 */
public enum Direction {
    FORWARD, BACKWARD;

    public Direction opposite() { return this == FORWARD ? BACKWARD : FORWARD; }

    /** γ of this direction's j-th transition. */
    public double gamma(TimeSchedule s, int j) { return this == FORWARD ? s.gamma(j) : s.gammaBackward(j); }

    /** The same transition seen from the other direction: j ↦ N−1−j. */
    public static int mirror(int steps, int j) { return steps - 1 - j; }

    /** The word used in metrics.jsonl. */
    public String word() { return this == FORWARD ? "forward" : "backward"; }
}
