package dev.sluice.api;

import java.io.IOException;
import java.io.ObjectInputStream;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Base of the built-in steps that name columns: resolves column positions once per input {@link
 * Columns} instance instead of per row.
 *
 * <p>Thread-safe: one instance is shared by every transformer thread. The cache is two-level. A
 * small copy-on-write array of recent bindings is searched by identity on every row (no writes in
 * the steady state, so no cache-line contention between threads). On a miss, a map keyed by {@link
 * Columns#equals} gives the canonical binding, so every input with the same names gets the same
 * output instance, even while threads alternate between files with different headers.
 */
abstract class ColumnsStep implements Step {
  private static final long serialVersionUID = 1L;

  /** How many input instances the identity array holds; a run rarely has more distinct headers. */
  private static final int RECENT = 8;

  /**
   * Bound on remembered distinct headers, so that a long-lived step fed endlessly varying headers
   * cannot grow without limit. Beyond it, bindings are still correct but each equal input gets its
   * own output instance.
   */
  private static final int MAX_REMEMBERED = 1024;

  private static final Binding[] NO_BINDINGS = new Binding[0];

  /**
   * Column positions and output columns for one input instance. {@code positions} is never modified
   * after construction; its meaning depends on the step.
   */
  record Binding(Columns input, int[] positions, Columns output) {}

  // Not serializable state: set by the constructor and readObject, then published with the step.
  // Races on `recent` only lose an entry, which the next miss re-adds from `canonical`.
  private transient volatile Binding[] recent;
  private transient volatile ConcurrentHashMap<Columns, Binding> canonical;

  ColumnsStep() {
    initCache();
  }

  private void initCache() {
    canonical = new ConcurrentHashMap<>();
    recent = NO_BINDINGS;
  }

  private void readObject(ObjectInputStream in) throws IOException, ClassNotFoundException {
    in.defaultReadObject();
    initCache();
  }

  /**
   * Computes the binding for {@code input}. Returns {@code output == input} for steps that keep the
   * columns.
   *
   * @throws MissingColumnException if a named column is missing
   */
  abstract Binding bind(Columns input);

  /** The binding for {@code input}, from the cache when possible. */
  final Binding binding(Columns input) {
    Binding[] r = recent;
    for (Binding b : r) {
      if (b.input() == input) {
        return b;
      }
    }
    return miss(input, r);
  }

  private Binding miss(Columns input, Binding[] seen) {
    ConcurrentHashMap<Columns, Binding> map = canonical;
    Binding canon = map.get(input);
    if (canon == null) {
      Binding fresh = bind(input); // throws before anything is cached
      if (map.size() < MAX_REMEMBERED) {
        Binding raced = map.putIfAbsent(input, fresh);
        canon = raced == null ? fresh : raced;
      } else {
        canon = fresh;
      }
    }
    Binding alias =
        canon.input() == input
            ? canon
            : new Binding(
                input, canon.positions(), canon.output() == canon.input() ? input : canon.output());
    Binding[] next = new Binding[Math.min(seen.length + 1, RECENT)];
    // Newest first; the oldest entry falls off when the array is full.
    next[0] = alias;
    System.arraycopy(seen, 0, next, 1, next.length - 1);
    recent = next;
    return alias;
  }

  @Override
  public Columns outputColumns(Columns input) {
    return binding(input).output();
  }

  @Override
  public String toString() {
    return describe();
  }
}
