package dsb4j.engine.backend;

import java.util.ArrayList;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Explicit lifetime for the buffers of one stretch of work on this thread (a training step, one step of a
 * simulated chain). A device backend {@linkplain #register registers} each buffer it makes while a scope is
 * open; closing the scope {@linkplain Backend#release releases} them all, except those {@linkplain #keep kept},
 * which pass to the enclosing scope (or, from the outermost one, to the garbage collector). A training step
 * then reuses its own memory from the allocator's cache at once, instead of waiting for a collection to find
 * its garbage. Heap backends register nothing: there the scope costs nothing and changes nothing.
 * <pre>
 *   try (BufferScope scope = BufferScope.open()) {
 *       ... forward, backward, optimiser step ...
 *       for (Tensor t : longLivedState) scope.keep(t.storage());
 *   }
 * </pre>
 * Long-lived values made lazily inside a scope (a layer's constant table, say) are made under {@link #unscoped}.
 */
public final class BufferScope implements AutoCloseable {
    private static final ThreadLocal<BufferScope> CURRENT = new ThreadLocal<>();

    private final BufferScope parent;
    private final Thread owner = Thread.currentThread();
    private final List<Storage> owned = new ArrayList<>();
    private final Set<Storage> kept = Collections.newSetFromMap(new IdentityHashMap<>());
    private boolean closed;

    private BufferScope(BufferScope parent) { this.parent = parent; }

    /** Opens a scope on this thread, nested in the current one if any. */
    public static BufferScope open() {
        BufferScope s = new BufferScope(CURRENT.get());
        CURRENT.set(s);
        return s;
    }

    /** Called by backends for each buffer they make: the current scope of this thread, if any, owns it. */
    public static void register(Storage s) {
        BufferScope scope = CURRENT.get();
        if (scope != null) scope.owned.add(s);
    }

    /** Runs {@code body} with no scope open on this thread: what it allocates lives until the GC finds it. */
    public static <T> T unscoped(Supplier<T> body) {
        BufferScope saved = CURRENT.get();
        CURRENT.remove();
        try {
            return body.get();
        } finally {
            CURRENT.set(saved);
        }
    }

    /** Keeps {@code s} alive past this scope (a buffer this scope does not own is left alone). */
    public void keep(Storage s) { kept.add(s); }

    /** Releases what this scope owns and did not keep; kept buffers pass to the enclosing scope. */
    @Override public void close() {
        if (closed) return;
        if (Thread.currentThread() != owner || CURRENT.get() != this)
            throw new IllegalStateException("buffer scopes must close on their own thread, innermost first");
        closed = true;
        CURRENT.set(parent);
        for (Storage s : owned) {
            if (!kept.contains(s)) s.backend().release(s);
            else if (parent != null) parent.owned.add(s);
        }
        owned.clear();
    }
}
