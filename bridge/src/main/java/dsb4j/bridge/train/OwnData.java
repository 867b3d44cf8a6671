package dsb4j.bridge.train;

import dsb4j.bridge.data.DataSet;
import dsb4j.bridge.data.DataSource;
import dsb4j.bridge.data.GaussianSource;
import dsb4j.bridge.data.HeldOutSplit;
import dsb4j.bridge.data.Points;
import dsb4j.bridge.data.ShapedSource;
import dsb4j.bridge.data.Standardisation;
import dsb4j.bridge.drift.Direction;
import dsb4j.bridge.drift.DriftNet.Parameterisation;
import dsb4j.bridge.io.DataFiles;
import dsb4j.bridge.process.ReferenceProcess;
import dsb4j.bridge.process.TimeSchedule;
import dsb4j.engine.random.Rng;
import dsb4j.nn.models.Mlp2d;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The user's own data as a preset: a data end (index 0) and either a second data set at the prior end (transport)
 * or a Gaussian (generation). Each set keeps 10 % of its items out of training ({@link HeldOutSplit}); the metrics
 * compare against them. Training runs in standardised units ({@link Standardisation}: per coordinate for points,
 * per channel onto [−1, 1] for images; one transform from both ends' training items, so a transport keeps the
 * user's geometry up to a per-coordinate scale) and everything written goes back to the user's units.
 * <p>
 * The chain and defaults follow the built-in presets that were measured to work: points take the 2-D benchmark's
 * Brownian reference with σ² = 2T = 1 (N = 20, constant γ = 1/(2N)), N(0, I) at the prior end in standardised units,
 * DSBM-IMF and an MLP whose width grows with d; images take the MNIST chain (N = 30, γ linear 1e−5 → 0.1), the
 * reference's adaptive N(m·1, I) prior with an OU reference towards it (generation) or the near-Brownian reference
 * (transport), DSBM and the U-Net sized for the images.
 */
public final class OwnData implements Preset {
    static final String DATA_KEY = "data", PRIOR_KEY = "prior", UNITS_KEY = "standardisation";

    /** One end as config.json records it: where it came from, its shape and how many items it holds out. */
    record End(String option, String name, DataSet.Origin origin, int[] itemShape, boolean eightBit, int count, HeldOutSplit split) {
        Map<String, Object> toMap() {
            Map<String, Object> m = new LinkedHashMap<>(origin.toMap());
            List<Integer> shape = new java.util.ArrayList<>(List.of(count));
            for (int s : itemShape) shape.add(s);
            m.put("shape", shape);
            if (eightBit) m.put("eight_bit", true);
            m.put("held_out", split.heldOut());
            return m;
        }

        static End fromMap(String option, Map<String, Object> m) {
            DataSet.Origin origin = DataSet.Origin.fromMap(m);
            if (!(m.get("shape") instanceof List<?> shape) || shape.size() < 2)
                throw new IllegalArgumentException("config: " + option + " entry without its 'shape'");
            int[] s = shape.stream().mapToInt(o -> ((Number) o).intValue()).toArray();
            int count = s[0];
            if (!(m.get("held_out") instanceof Number h)) throw new IllegalArgumentException("config: " + option + " entry without 'held_out'");
            String name = origin.path() == null ? "data" : DataFiles.stem(Path.of(origin.path()));
            return new End(option, name, origin, Arrays.copyOfRange(s, 1, s.length), Boolean.TRUE.equals(m.get("eight_bit")), count,
                    new HeldOutSplit(count, h.intValue()));
        }

        /** The file it came from, or its name when it was given in memory. */
        String label() { return origin.path() != null ? origin.path() : name; }

        static End of(String option, DataSet set) {
            return new End(option, set.name(), set.origin(), set.itemShape(), set.eightBit(), set.n(), HeldOutSplit.of(set.n(), option + " " + labelOf(set)));
        }
    }

    /** Both ends read and split, in the user's units. */
    private record Loaded(DataSet data, DataSet prior) {}

    private final End data, prior;         // prior null: a Gaussian prior end
    private final Standardisation units;
    /** The Gaussian prior's mean per coordinate in standardised units (images: the reference's adaptive mean). */
    private final double priorMean;
    private volatile Loaded loaded;

    private OwnData(End data, End prior, Standardisation units, double priorMean, Loaded loaded) {
        checkShapes(data, prior);
        this.data = data;
        this.prior = prior;
        this.units = units;
        this.priorMean = priorMean;
        this.loaded = loaded;
    }

    /**
     * A problem over data sets already read: {@code data} at the data end, {@code prior} at the prior end or null for a
     * Gaussian; standardised unless {@code standardise} is false (images are then only clamped to their range).
     */
    public static OwnData of(DataSet data, DataSet prior, boolean standardise) {
        check(data, "--data");
        if (prior != null) check(prior, "--prior");
        End d = End.of("--data", data), p = prior == null ? null : End.of("--prior", prior);
        checkShapes(d, p);
        Points train = d.split().training(data.items());
        Points both = p == null ? train : Points.concat(train, p.split().training(prior.items()));
        Standardisation units;
        if (data.images()) {
            DataSet pooled = new DataSet("pooled", both, data.itemShape(), data.eightBit() && (prior == null || prior.eightBit()), data.origin());
            double[][] range = pooled.channelRange();
            int per = data.dim() / data.itemShape()[0];
            units = standardise ? Standardisation.perChannel(range[0], range[1], per)
                    : Standardisation.clampOnly(Arrays.stream(range[0]).min().orElse(0), Arrays.stream(range[1]).max().orElse(0));
        } else {
            units = standardise ? Standardisation.perCoordinate(both) : Standardisation.IDENTITY;
        }
        double priorMean = 0;
        if (data.images() && prior == null) {
            // the reference's adaptive_mean (there of 100 images): the scalar mean of the training pixels, standardised
            double sum = 0;
            for (float v : units.toModel(train).data()) sum += v;
            priorMean = sum / ((double) train.n() * train.d());
        }
        return new OwnData(d, p, units, priorMean, new Loaded(data, prior));
    }

    private static void checkShapes(End data, End prior) {
        if (prior != null && !Arrays.equals(data.itemShape(), prior.itemShape()))
            throw new IllegalArgumentException(data.option() + " " + data.label() + " holds items of shape " + Arrays.toString(data.itemShape())
                    + ", " + prior.option() + " " + prior.label() + " of shape " + Arrays.toString(prior.itemShape()) + "; both ends need one shape");
    }

    private static void check(DataSet set, String option) {
        String bad = set.firstNonFinite();
        if (bad != null) throw new IllegalArgumentException(option + " " + labelOf(set) + ": " + bad + "; remove or fix non-finite values");
    }

    /** The file a data set came from, or its name when it was given in memory. */
    private static String labelOf(DataSet set) { return set.origin() != null && set.origin().path() != null ? set.origin().path() : set.name(); }

    /** The problem a config.json describes; its files are read (and checked against their SHA-256) when first needed. */
    @SuppressWarnings("unchecked")
    static OwnData fromMap(Map<String, Object> m) {
        if (!(m.get(DATA_KEY) instanceof Map<?, ?> d)) throw new IllegalArgumentException("config: 'data' is not an object");
        End data = End.fromMap("--data", (Map<String, Object>) d);
        End prior = null;
        double priorMean = 0;
        if (m.get(PRIOR_KEY) instanceof Map<?, ?> p) {
            Map<String, Object> pm = (Map<String, Object>) p;
            if (pm.get("gaussian") instanceof Map<?, ?> g && ((Map<String, Object>) g).get("mean") instanceof Number mean) priorMean = mean.doubleValue();
            else prior = End.fromMap("--prior", pm);
        }
        if (!(m.get(UNITS_KEY) instanceof Map<?, ?> u)) throw new IllegalArgumentException("config: 'standardisation' is not an object");
        return new OwnData(data, prior, Standardisation.fromMap((Map<String, Object>) u), priorMean, null);
    }

    @Override public Map<String, Object> toMap() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(DATA_KEY, data.toMap());
        if (prior != null) m.put(PRIOR_KEY, prior.toMap());
        else {
            Map<String, Object> g = new LinkedHashMap<>();         // ordered: config.json and its fingerprint must be stable
            g.put("mean", priorMean);
            g.put("variance", 1.0);
            m.put(PRIOR_KEY, Map.of("gaussian", g));
        }
        m.put(UNITS_KEY, units.toMap());
        return m;
    }

    @Override public String name() { return data.name(); }

    /** The CSV columns the data end was read with (null: all, or not a CSV). */
    public List<String> columns() { return data.origin().columns(); }

    @Override public boolean images() { return data.itemShape().length == 3; }

    @Override public boolean transport() { return prior != null; }

    @Override public int[] itemShape(TrainConfig c) { return data.itemShape().clone(); }

    @Override public Standardisation units() { return units; }

    /** What the prior end is, in words for the resolved configuration. */
    public String priorDescription() {
        if (prior != null) return prior.option() + " " + prior.name() + " (" + prior.count() + " items, " + prior.split().heldOut() + " held out)";
        return images() ? String.format("Gaussian N(%.3f·1, I) in standardised units (the reference's adaptive mean)", priorMean)
                : "Gaussian N(0, I) in standardised units";
    }

    /** The data end in words. */
    public String dataDescription() {
        return data.option() + " " + data.name() + " (" + data.count() + " items of shape " + Arrays.toString(data.itemShape()) + ", "
                + data.split().heldOut() + " held out)";
    }

    @Override public void setSteps(TrainConfig c, int steps) {
        c.steps = steps;
        if (!images()) c.gammaMin = c.gammaMax = 1.0 / (2 * steps);   // keep σ² = 2T = 1
    }

    @Override public TrainConfig defaults(Budget budget) {
        if (!offers(budget))
            throw new IllegalArgumentException("the paper budget is that of the published DSB runs on the 2-D benchmark presets; "
                    + "your data take quick or reference");
        boolean reference = budget == Budget.REFERENCE;
        TrainConfig c = new TrainConfig();
        c.preset = this;
        int d = 1;
        for (int s : data.itemShape()) d *= s;
        c.dim = d;
        if (images()) {
            TrainConfig mnist = Presets.MNIST.defaults(budget);       // the measured MNIST recipe, on this chain
            copyTraining(mnist, c);
            c.method = reference ? Method.DSB : Method.DSBM;          // DSBM: better digits in both image presets at this budget
            if (!reference) c.iters = 1800;
            c.evalSamples = reference ? 2000 : 500;
        } else {
            c.steps = 20;
            c.schedule = TimeSchedule.Kind.CONSTANT;
            c.gammaMin = c.gammaMax = 1.0 / (2 * c.steps);
            c.method = Method.DSBM_IMF;
            c.network = new NetworkSpec.ReferenceMlp2d(width(d));
            c.parameterisation = Parameterisation.INCREMENT;
            c.batch = 256;
            c.ipfIters = reference ? 20 : 4;
            c.iters = reference ? 5000 : 4000;
            c.lr = reference ? 1e-4 : 1e-3;
            c.lrSchedule = reference ? LrDecay.CONSTANT : LrDecay.COSINE;
            c.cacheTrajectories = reference ? 10_000 : c.cacheRefresh * c.batch / c.steps;
            c.simBatch = c.cacheTrajectories;
            c.evalSamples = 2000;
        }
        return c;
    }

    /**
     * The width of the network for points in dimension d: the reference 2-D net (128) up to d = 8, then 16·d rounded up
     * to a multiple of 128, at most 1,024. On a 3-D point cloud the reference net's sinusoidal time and separate
     * encoders fitted clearly better than plain MLPs of three layers of 128–256 (W2 on 2,000 points 390 against
     * 480–570 after one IPF iteration of 6,000 steps; docs/own-data.md).
     */
    static int width(int d) {
        return Math.min(1024, Math.max(Mlp2d.REFERENCE_WIDTH, 128 * Math.ceilDiv(16 * d, 128)));
    }

    private static void copyTraining(TrainConfig from, TrainConfig to) {
        to.steps = from.steps;
        to.schedule = from.schedule;
        to.gammaMin = from.gammaMin;
        to.gammaMax = from.gammaMax;
        to.network = from.network;
        to.parameterisation = from.parameterisation;
        to.gradClip = from.gradClip;
        to.evalBatch = from.evalBatch;
        to.ipfIters = from.ipfIters;
        to.iters = from.iters;
        to.batch = from.batch;
        to.lr = from.lr;
        to.lrSchedule = from.lrSchedule;
        to.emaRate = from.emaRate;
        to.warmStart = from.warmStart;
        to.cacheTrajectories = from.cacheTrajectories;
        to.cacheRefresh = from.cacheRefresh;
        to.simBatch = from.simBatch;
    }

    /** The reference process, without reading the data (sampling from given points needs no more). */
    public ReferenceProcess reference(TrainConfig c) {
        TimeSchedule schedule = c.timeSchedule();
        if (!images()) return ReferenceProcess.brownian(schedule);
        return prior == null ? new ReferenceProcess(schedule, new double[]{priorMean}, 1.0)
                : new ReferenceProcess(schedule, new double[]{0}, 1000);   // the reference code's transfer mode
    }

    @Override public Problem problem(TrainConfig c) {
        Loaded l = load();
        Points dataTrain = units.toModel(data.split().training(l.data().items()));
        DataSource dataSource = l.data().source(dataTrain);
        DataSource priorSource;
        if (prior != null) priorSource = l.prior().source(units.toModel(prior.split().training(l.prior().items())));
        else priorSource = gaussianPrior(c);
        Problem.HeldOut heldOut = new Problem.HeldOut(data.split().heldOut(l.data().items()),
                prior == null ? null : prior.split().heldOut(l.prior().items()));
        return new Problem(dataSource, priorSource, reference(c), images() && prior == null, heldOut);
    }

    /** A Gaussian prior end needs no data read; the data sets are read (and checked) when a chain starts from them. */
    @Override public DataSource startOf(TrainConfig c, Direction chain) {
        if (chain == Direction.BACKWARD && prior == null) return gaussianPrior(c);
        return Preset.super.startOf(c, chain);
    }

    private DataSource gaussianPrior(TrainConfig c) {
        return new ShapedSource(GaussianSource.isotropic(c.dim, priorMean, 1.0), data.itemShape());
    }

    /** The two ends, read once (and checked: same size and SHA-256 as when the run started). */
    private Loaded load() {
        Loaded l = loaded;
        if (l != null) return l;
        synchronized (this) {
            if (loaded == null) {
                DataSet d = read(data);
                loaded = new Loaded(d, prior == null ? null : read(prior));
            }
            return loaded;
        }
    }

    private static DataSet read(End end) {
        DataSet.Origin o = end.origin();
        if (o.path() == null)
            throw new IllegalArgumentException(end.option() + ": this run's data were given in memory, not as a file; pass the starting points explicitly");
        DataSet set;
        try {
            set = DataFiles.read(Path.of(o.path()), o.columns());
        } catch (IOException e) {
            throw new IllegalArgumentException(end.option() + " " + e.getMessage(), e);
        }
        if (!set.origin().sha256().equals(o.sha256()) || set.n() != end.count())
            throw new IllegalArgumentException(end.option() + " " + o.path() + " changed since this run started (SHA-256 " + abbrev(set.origin().sha256())
                    + ", the run recorded " + abbrev(o.sha256()) + "); put the original file back, or train a new run");
        return set;
    }

    private static String abbrev(String sha) { return sha.length() > 12 ? sha.substring(0, 12) + "…" : sha; }

    @Override public Map<String, Object> score(TrainConfig c, Points generated, Points target, Rng rng, int w2Points) {
        if (images()) return Evaluation.pixelScore(generated, target, rng);
        int w2 = w2Points <= 0 ? Evaluation.OWN_DATA_W2_POINTS : w2Points;
        Map<String, Object> m = Evaluation.pointScore(generated, target, rng, w2);
        double[] b = baselines(generated.n(), target, w2);
        m.put("w2_data", b[0]);
        m.put("w2_gaussian_fit", b[1]);
        return m;
    }

    private volatile double[] baselines;     // {count, w2_data, w2_gaussian_fit} for this run's held-out target

    /**
     * What W2 against the held-out items means, computed once per run for {@code count} samples: "w2_data", the W2 of
     * as many training items (distinct where there are enough), about what a perfect generator would score (the floor of W2 on a
     * set this small); and "w2_gaussian_fit", that of as many draws of the best-fitting Gaussian (mean and covariance
     * of the training items), the bar any generator should clear.
     */
    private double[] baselines(int count, Points target, int w2Points) {
        double[] b = baselines;
        if (b != null && b[0] == count) return new double[]{b[1], b[2]};
        Points train = data.split().training(load().data().items());
        Rng rng = new Rng(0x6A55);
        int[] rows = new int[count];
        if (count <= train.n()) {                 // distinct items: repeats would raise W2 above what fresh data scores
            int[] perm = new int[train.n()];
            for (int i = 0; i < perm.length; i++) perm[i] = i;
            rng.shuffle(perm);
            System.arraycopy(perm, 0, rows, 0, count);
        } else {
            for (int i = 0; i < count; i++) rows[i] = rng.nextInt(train.n());
        }
        double real = dsb4j.bridge.eval.Metrics.w2(train.select(rows), target, w2Points);
        GaussianSource fit = new GaussianSource(train.mean(), jitter(train.covariance()));
        double gauss = dsb4j.bridge.eval.Metrics.w2(fit.sample(count, rng.fork(1)), target, w2Points);
        baselines = new double[]{count, real, gauss};
        return new double[]{real, gauss};
    }

    /** The covariance with a tiny ridge, so that a degenerate data set still has a Gaussian fit. */
    private static double[][] jitter(double[][] cov) {
        double trace = 0;
        for (int i = 0; i < cov.length; i++) trace += cov[i][i];
        double eps = 1e-9 * Math.max(trace / cov.length, 1e-30);
        for (int i = 0; i < cov.length; i++) cov[i][i] += eps;
        return cov;
    }

    @Override public String toString() { return "own data " + name(); }
}
