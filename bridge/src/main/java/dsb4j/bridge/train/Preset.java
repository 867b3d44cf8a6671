package dsb4j.bridge.train;

import dsb4j.bridge.data.DataSource;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.Tensor;
import dsb4j.engine.random.Rng;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a run bridges and how it is scored: a built-in problem ({@link BuiltInPreset}: the toys, the Gaussian pair,
 * the 2-D benchmark, MNIST) or the user's own data sets ({@link OwnData}). A preset gives its default settings, the
 * two ends and the reference process, the shape of one state and the quality metrics, so that nothing outside it
 * needs to know which problem it is.
 */
public interface Preset {

    /** The name in file names, logs and config.json ("moons"; for the user's data the data file's name). */
    String name();

    /**
     * The default settings of this problem at a budget (dimension, chain, network, training budget); an
     * IllegalArgumentException for a budget it does not {@link #offers offer}.
     */
    TrainConfig defaults(Budget budget);

    /** Whether {@link #defaults} has settings for {@code budget}: the paper budget exists for the 2-D benchmark only. */
    default boolean offers(Budget budget) { return budget != Budget.PAPER; }

    /** The two ends and the reference process of a run with these settings. */
    Problem problem(TrainConfig c);

    /**
     * Where chains of a trained bridge start: the prior end for generation (the backward chain), the data end for
     * encoding (the forward chain), in the units training runs in.
     */
    default DataSource startOf(TrainConfig c, Direction chain) {
        Problem p = problem(c);
        return chain == Direction.BACKWARD ? p.prior() : p.data();
    }

    /** The shape of one state as a tensor item: {@code [d]} for vectors, {@code [C, H, W]} for images. */
    default int[] itemShape(TrainConfig c) { return new int[]{c.dim}; }

    /** Whether the states are images (U-Net, image metrics and grids). */
    boolean images();

    /** Whether generation carries a data set to the data end (transport) rather than noise. */
    boolean transport();

    /**
     * Sets N to {@code steps}. By default the step sizes γ stay as they are; the presets whose reference is fixed by
     * its total variance (Brownian with σ² = 2T = 1) rescale γ = 1/(2N) to keep it.
     */
    default void setSteps(TrainConfig c, int steps) { c.steps = steps; }

    /**
     * The quality of samples generated from the prior end against draws of the data end (the keys of
     * metrics.jsonl), exact W2 on up to {@code w2Points} of each where it applies.
     */
    default Map<String, Object> score(TrainConfig c, Points generated, Points target, Rng rng, int w2Points) {
        return Evaluation.pointScore(generated, target, rng, w2Points);
    }

    /**
     * The map between the user's units and the units training runs in: the identity for the built-in presets,
     * the standardisation of the user's data for {@link OwnData}. Samples, plots and metrics are in the user's units.
     */
    default Standardisation units() { return Standardisation.IDENTITY; }

    /** Whether the prior is a Gaussian fitted to the data ({@link TrainConfig#priorVariance} applies). */
    default boolean adaptivePrior() { return false; }

    /** Whether the learned coupling has a closed form to check ({@link #couplingScore}). */
    default boolean closedFormCoupling() { return false; }

    /** Pairs (n, 2d) of the learned coupling, data end first, against the closed form; empty where there is none. */
    default Map<String, Object> couplingScore(TrainConfig c, Tensor pairs, TimeSchedule schedule) { return Map.of(); }

    /**
     * The entries config.json records about what is bridged: {@code "preset"} for a built-in problem, the files,
     * shapes, standardisation and held-out split for the user's data.
     */
    default Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("preset", name());
        return m;
    }
}
