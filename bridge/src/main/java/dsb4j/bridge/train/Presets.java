package dsb4j.bridge.train;

import dsb4j.bridge.train.BuiltInPreset.Kind;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** The built-in presets by name, and the preset a config.json describes. */
public final class Presets {
    private Presets() {}

    public static final BuiltInPreset MOONS = new BuiltInPreset("moons", Kind.TOY),
            CIRCLES = new BuiltInPreset("circles", Kind.TOY),
            EIGHT_GAUSSIANS = new BuiltInPreset("8gaussians", Kind.TOY),
            CHECKERBOARD = new BuiltInPreset("checkerboard", Kind.TOY),
            SWISSROLL = new BuiltInPreset("swissroll", Kind.TOY),
            SCURVE = new BuiltInPreset("scurve", Kind.TOY),
            MOONS_TO_CIRCLES = new BuiltInPreset("moons-to-circles", Kind.TOY_TRANSPORT),
            GAUSSIAN = new BuiltInPreset("gaussian", Kind.GAUSSIAN),
            MNIST = new BuiltInPreset("mnist", Kind.IMAGES),
            MNIST_TO_FASHION = new BuiltInPreset("mnist-to-fashion", Kind.IMAGES),
            // the moons of torchcfm's benchmark runner, where the published figures were run (recorded in config.json)
            NORMAL_TO_MOONS = BuiltInPreset.benchmark("normal-to-moons", "moons-runner", null, true),
            NORMAL_TO_8GAUSSIANS = BuiltInPreset.benchmark("normal-to-8gaussians", "8gaussians-cfm", null, false),
            NORMAL_TO_SCURVE = BuiltInPreset.benchmark("normal-to-scurve", "scurve-cfm", null, false),
            MOONS_TO_8GAUSSIANS = BuiltInPreset.benchmark("moons-to-8gaussians", "8gaussians-cfm", "moons-cfm", false);

    /**
     * normal-to-moons as it was before its data became the runner's moons: torchcfm's sample_moons (Toy2d "moons-cfm").
     * Runs whose config.json has no data shape were trained on it, and resume, sample and score with it; not listed.
     */
    static final BuiltInPreset FORMER_NORMAL_TO_MOONS = BuiltInPreset.benchmark("normal-to-moons", "moons-cfm", null, false);

    /** Every built-in preset, in the order `dsb presets` lists them. */
    public static final List<BuiltInPreset> ALL = List.of(MOONS, CIRCLES, EIGHT_GAUSSIANS, CHECKERBOARD, SWISSROLL, SCURVE,
            MOONS_TO_CIRCLES, GAUSSIAN, MNIST, MNIST_TO_FASHION, NORMAL_TO_MOONS, NORMAL_TO_8GAUSSIANS, NORMAL_TO_SCURVE,
            MOONS_TO_8GAUSSIANS);

    /** Their names. */
    public static final List<String> NAMES = ALL.stream().map(BuiltInPreset::name).toList();

    /** The preset of this name; an unknown name is an error listing the known ones. */
    public static BuiltInPreset named(String name) {
        for (BuiltInPreset p : ALL) if (p.name().equals(name)) return p;
        throw new IllegalArgumentException("unknown preset '" + name + "'; available: " + String.join(", ", NAMES));
    }

    /** The built-in presets of one family (e.g. the 2-D benchmark), in listing order. */
    static List<BuiltInPreset> ofKind(Kind kind) {
        List<BuiltInPreset> out = new ArrayList<>();
        for (BuiltInPreset p : ALL) if (p.kind() == kind) out.add(p);
        return out;
    }

    /** The presets of the later papers' 2-D benchmark (W2 against the published tables). */
    public static final List<BuiltInPreset> BENCHMARK_2D = ofKind(Kind.BENCHMARK_2D);

    /** The presets whose states are 1×28×28 images. */
    public static final List<BuiltInPreset> IMAGES = ofKind(Kind.IMAGES);

    /** A preset's defaults by name and budget word, as the command line gives them. */
    public static TrainConfig defaults(String preset, String budget) {
        return named(preset).defaults(Budget.parse(budget));
    }

    /** The preset config.json's entries describe: the user's data where it names files, else the built-in preset. */
    static Preset fromConfig(Map<String, Object> m) {
        if (m.containsKey(OwnData.DATA_KEY)) return OwnData.fromMap(m);
        Object name = m.get("preset");
        if (!(name instanceof String s)) throw new IllegalArgumentException("config: 'preset' missing or not a name");
        BuiltInPreset p = named(s);
        if (p.recordsShape() && !m.containsKey(BuiltInPreset.DATA_SHAPE_KEY))
            return FORMER_NORMAL_TO_MOONS;
        if (m.containsKey(BuiltInPreset.DATA_SHAPE_KEY) && !m.get(BuiltInPreset.DATA_SHAPE_KEY).equals(p.dataShape()))
            throw new IllegalArgumentException("config: " + s + " with data shape '" + m.get(BuiltInPreset.DATA_SHAPE_KEY)
                    + "', which this version does not have (it has '" + p.dataShape() + "')");
        return p;
    }
}
