package dsb4j.nn;

import dsb4j.engine.Tensor;
import dsb4j.engine.backend.StepScope;
import dsb4j.engine.backend.Storage;
import dsb4j.engine.tensor.ShapeException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * A tree of parameters and child modules, registered in construction order. Parameter names are dotted
 * paths as in PyTorch ({@code "time_embed.0.weight"}), so state dicts line up with the reference models'.
 * A module is placed in at most one parent (no weight sharing), which keeps every name unique.
 * Forward methods live on the subclasses (they take different inputs); this class owns the bookkeeping.
 */
public abstract class Module implements StepScope.Holder {
    /** Parameters and children in registration order. */
    private final Map<String, Object> entries = new LinkedHashMap<>();
    private boolean training = true;
    private Module parent;
    private String localName;

    /** Registers a trainable tensor under {@code name}; returns its holder. */
    protected final Parameter param(String name, Tensor init) {
        Parameter p = new Parameter(name, init, this);
        add(name, p);
        return p;
    }

    /** Registers {@code child} under {@code name} (its parameters become {@code name.<theirs>}); returns it. */
    protected final <M extends Module> M child(String name, M m) {
        Module child = m;          // (a type variable cannot see private fields)
        if (child.parent != null)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": module " + child.getClass().getSimpleName()
                    + " registered as '" + name + "' already has a parent (modules cannot be shared)");
        if (child == this) throw new IllegalArgumentException(getClass().getSimpleName() + ": a module cannot contain itself");
        add(name, child);
        child.parent = this;
        child.localName = name;
        child.train(training);
        return m;
    }

    private void add(String name, Object o) {
        if (name.isEmpty() || name.contains(".")) throw new IllegalArgumentException("bad entry name '" + name + "'");
        if (entries.putIfAbsent(name, o) != null)
            throw new IllegalArgumentException(getClass().getSimpleName() + ": '" + name + "' registered twice");
    }

    /** "a.b.leaf" for an entry of this module, from the top of the tree. */
    final String path(String leaf) {
        StringBuilder b = new StringBuilder(leaf);
        for (Module m = this; m.parent != null; m = m.parent) b.insert(0, m.localName + ".");
        return b.toString();
    }

    /** Every parameter of this module and its descendants, in registration order. */
    public final List<Parameter> parameters() {
        List<Parameter> out = new ArrayList<>();
        collect(out);
        return Collections.unmodifiableList(out);
    }

    private void collect(List<Parameter> out) {
        for (Object o : entries.values()) {
            if (o instanceof Parameter p) out.add(p);
            else ((Module) o).collect(out);
        }
    }

    /** The buffers of the parameters' current values: what a training step ({@link StepScope}) must keep. */
    @Override public final void heldBuffers(Consumer<Storage> each) {
        for (Parameter p : parameters()) each.accept(p.value().storage());
    }

    /** Parameters by their names relative to this module (what its state dict uses, as in PyTorch). */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collectNamed("", out);
        return out;
    }

    private void collectNamed(String prefix, Map<String, Parameter> out) {
        for (var e : entries.entrySet()) {
            if (e.getValue() instanceof Parameter p) out.put(prefix + e.getKey(), p);
            else ((Module) e.getValue()).collectNamed(prefix + e.getKey() + ".", out);
        }
    }

    /** Direct children in registration order. */
    public final List<Module> children() {
        List<Module> out = new ArrayList<>();
        for (Object o : entries.values()) if (o instanceof Module m) out.add(m);
        return out;
    }

    public final long parameterCount() {
        long n = 0;
        for (Parameter p : parameters()) n += p.numel();
        return n;
    }

    /**
     * The current values by name relative to this module: the tensors themselves, cut from the graph
     * (values are never written in place, so the dict stays a snapshot).
     */
    public final StateDict stateDict() {
        StateDict sd = new StateDict();
        namedParameters().forEach((name, p) -> sd.put(name, p.value().detach()));
        return sd;
    }

    /**
     * Takes every value from {@code sd} (copied, moved to this module's backend). Names must match exactly;
     * shapes and dtypes too. Nothing changes unless everything matches.
     */
    public final void load(StateDict sd) {
        String who = getClass().getSimpleName();
        Map<String, Parameter> ps = namedParameters();
        List<String> missing = new ArrayList<>(), problems = new ArrayList<>(), unexpected = new ArrayList<>();
        ps.forEach((name, p) -> {
            Tensor t = sd.get(name);
            if (t == null) missing.add(name);
            else if (!t.shape().equals(p.shape()))
                problems.add(name + ": shape " + t.shape() + " in the state dict, " + p.shape() + " in the module");
            else if (t.dtype() != p.dtype())
                problems.add(name + ": dtype " + t.dtype() + " in the state dict, " + p.dtype() + " in the module");
        });
        for (String n : sd.names()) if (!ps.containsKey(n)) unexpected.add(n);
        if (!missing.isEmpty() || !unexpected.isEmpty() || !problems.isEmpty()) {
            StringBuilder b = new StringBuilder(who + ".load: the state dict does not fit this module");
            if (!missing.isEmpty()) b.append("; missing ").append(missing);
            if (!unexpected.isEmpty()) b.append("; unexpected ").append(unexpected);
            for (String s : problems) b.append("; ").append(s);
            throw new ShapeException("load", b.toString());
        }
        ps.forEach((name, p) -> p.set(Tensors.copyOf(sd.get(name).to(p.value().backend()))));
    }

    /** Copies the values of a module of the same architecture (same names and shapes). */
    public final void copyFrom(Module other) {
        load(other.stateDict());
    }

    /**
     * A new module of the same class and configuration (freshly initialised; copy values with
     * {@link #copyFrom}). Models override this so that EMA copies can be made; plain layers need not.
     */
    public Module replicate() {
        throw new UnsupportedOperationException(getClass().getSimpleName() + " cannot be replicated; override replicate()");
    }

    /** Switches training behaviour (dropout) on or off for this module and all descendants. */
    public void train(boolean on) {
        training = on;
        for (Object o : entries.values()) if (o instanceof Module m) m.train(on);
    }

    public final boolean training() { return training; }

    @Override public String toString() {
        return getClass().getSimpleName() + " (" + parameters().size() + " tensors, " + parameterCount() + " parameters)";
    }
}
