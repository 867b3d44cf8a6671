package dsb4j.engine.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

/**
 * The device memory of one training step, owned by the engine: a {@link BufferScope} for what the step makes, plus
 * the state that outlives steps (a module's parameter values, an optimiser's moments, an EMA copy), given as
 * {@link Holder}s. Closing it keeps every buffer the holders hold then, releases everything else the step made, and
 * releases the buffers the holders held when the step began and hold no longer (optimisers and the EMA install new
 * values; the old ones are dead, since module copies, checkpoints and samplers hold copies). A device thus reuses a
 * step's memory at once in the next; heap backends register and release nothing, so there it changes nothing.
 * <pre>
 *   try (StepScope step = StepScope.open(module, optimiser, ema)) {
 *       ... forward, backward, optimiser step, EMA update ...
 *   }
 * </pre>
 */
public final class StepScope implements AutoCloseable {

    /** Something whose buffers outlive a step: it hands each buffer it holds now to {@code each}. */
    @FunctionalInterface
    public interface Holder {
        void heldBuffers(Consumer<Storage> each);
    }

    private final Holder[] holders;
    private final List<Storage> before;
    private final BufferScope scope;
    private boolean closed;

    private StepScope(Holder[] holders) {
        this.holders = holders;
        this.before = held(holders);
        this.scope = BufferScope.open();
    }

    /** Opens a step on this thread; null holders are skipped (an optional EMA, say). */
    public static StepScope open(Holder... holders) {
        List<Holder> present = new ArrayList<>();
        for (Holder h : holders) if (h != null) present.add(h);
        return new StepScope(present.toArray(Holder[]::new));
    }

    private static List<Storage> held(Holder[] holders) {
        List<Storage> out = new ArrayList<>();
        for (Holder h : holders) h.heldBuffers(out::add);
        return out;
    }

    /** Keeps what the holders hold now, releases the rest of the step's buffers and the state they replaced. */
    @Override public void close() {
        if (closed) return;
        closed = true;
        List<Storage> after = held(holders);
        for (Storage s : after) scope.keep(s);
        scope.close();
        Set<Storage> live = Collections.newSetFromMap(new IdentityHashMap<>());
        live.addAll(after);
        Set<Storage> released = Collections.newSetFromMap(new IdentityHashMap<>());
        for (Storage s : before) if (!live.contains(s) && released.add(s)) s.backend().release(s);
    }
}
