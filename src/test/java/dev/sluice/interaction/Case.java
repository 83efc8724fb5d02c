package dev.sluice.interaction;

import java.util.Arrays;
import java.util.StringJoiner;

/**
 * One interaction case: a value for each of {@link Dims#ALL}, or, while the generator builds it,
 * {@code null} for a dimension not chosen yet. {@link #is} is false for an unassigned dimension, so
 * a constraint written with it only rejects what is already decided.
 *
 * <p>Not thread-safe while being built; treated as immutable once {@link #complete}.
 */
final class Case {
  final Enum<?>[] values;

  Case() {
    values = new Enum<?>[Dims.ALL.size()];
  }

  private Case(Enum<?>[] values) {
    this.values = values;
  }

  Case copy() {
    return new Case(values.clone());
  }

  static int index(Class<? extends Enum<?>> dim) {
    int i = Dims.ALL.indexOf(dim);
    if (i < 0) {
      throw new IllegalArgumentException("not a dimension: " + dim);
    }
    return i;
  }

  <E extends Enum<E>> E get(Class<E> dim) {
    Enum<?> v = values[index(dim)];
    if (v == null) {
      throw new IllegalStateException(dim.getSimpleName() + " is not assigned in " + this);
    }
    return dim.cast(v);
  }

  /** Whether the dimension of {@code v} is assigned and equals {@code v}. */
  boolean is(Enum<?> v) {
    @SuppressWarnings("unchecked")
    Class<? extends Enum<?>> dim = (Class<? extends Enum<?>>) v.getDeclaringClass();
    return values[index(dim)] == v;
  }

  /** Whether the dimension of {@code v} is assigned to something other than {@code v}. */
  boolean isNot(Enum<?> v) {
    @SuppressWarnings("unchecked")
    Class<? extends Enum<?>> dim = (Class<? extends Enum<?>>) v.getDeclaringClass();
    Enum<?> x = values[index(dim)];
    return x != null && x != v;
  }

  boolean complete() {
    return Arrays.stream(values).allMatch(v -> v != null);
  }

  /** {@code Input=DIR Layout=MERGE ...}: the case's dimensions, as printed in every failure. */
  @Override
  public String toString() {
    StringJoiner j = new StringJoiner(" ");
    for (int i = 0; i < values.length; i++) {
      j.add(Dims.ALL.get(i).getSimpleName() + "=" + (values[i] == null ? "?" : values[i].name()));
    }
    return j.toString();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Case && Arrays.equals(values, ((Case) o).values);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(values);
  }
}
