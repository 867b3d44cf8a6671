package dsb4j.bridge;

import dsb4j.bridge.drift.Direction;
import java.util.Map;

/** What {@link Bridge#train(TrainingListener)} reports while it trains: progress, and the metrics of each IPF iteration. */
@FunctionalInterface
public interface TrainingListener {

    /** Called after every optimiser step. */
    void onProgress(Progress progress);

    /**
     * Called after each half-step with its row of metrics (the keys of metrics.jsonl: "ipf", "direction", "loss", and
     * after a forward half-step the quality of that iteration's samples against the held-out data).
     */
    default void onHalfStep(Map<String, Object> metrics) {}

    /**
     * Where training stands: optimiser step {@code step} (from 1) of {@code iterations} in the {@code direction} half-step
     * of IPF iteration {@code ipf} of {@code ipfIterations}, with the step's loss.
     */
    record Progress(int ipf, int ipfIterations, Direction direction, int step, int iterations, double loss) {
        @Override public String toString() {
            return String.format("IPF %d/%d %s step %d/%d loss %.4g", ipf, ipfIterations, direction.word(), step, iterations, loss);
        }
    }
}
