package dev.sluice.api;

import java.io.Serializable;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ordered column names of a file or of a step's output. Names may repeat only if nobody looks
 * them up by name; {@link #indexOf} returns the first.
 *
 * <p>Immutable and thread-safe. Every record of one file shares one instance, which lets steps
 * cache column positions per instance.
 *
 * @since 0.1
 */
public final class Columns implements Serializable {
  private static final long serialVersionUID = 1L;

  private final String[] names;
  private final transient Map<String, Integer> index;

  private Columns(String[] names) {
    this.names = names;
    Map<String, Integer> m = new HashMap<>(names.length * 2);
    for (int i = names.length - 1; i >= 0; i--) {
      m.put(names[i], i);
    }
    this.index = m;
  }

  /** Columns with the given names, in order. */
  public static Columns of(String... names) {
    for (String n : names) {
      if (n == null) {
        throw new NullPointerException("column name");
      }
    }
    return new Columns(names.clone());
  }

  /** Columns with the given names, in order. */
  public static Columns of(List<String> names) {
    return of(names.toArray(new String[0]));
  }

  /** Positional names {@code c1..cn}, used when a file has no header and none was given. */
  public static Columns positional(int n) {
    String[] names = new String[n];
    for (int i = 0; i < n; i++) {
      names[i] = "c" + (i + 1);
    }
    return new Columns(names);
  }

  /** The number of columns. */
  public int size() {
    return names.length;
  }

  /** The name at {@code i}. */
  public String name(int i) {
    return names[i];
  }

  /** The position of {@code name}, or -1. */
  public int indexOf(String name) {
    Integer i = index.get(name);
    return i == null ? -1 : i;
  }

  /**
   * The position of {@code name}.
   *
   * @throws MissingColumnException if there is no such column
   */
  public int require(String name) {
    int i = indexOf(name);
    if (i < 0) {
      throw new MissingColumnException(name, names());
    }
    return i;
  }

  /** True if a column is called {@code name}. */
  public boolean contains(String name) {
    return index.containsKey(name);
  }

  /** The names, as an unmodifiable list. */
  public List<String> names() {
    return Collections.unmodifiableList(Arrays.asList(names));
  }

  private Object readResolve() {
    return new Columns(names);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Columns && Arrays.equals(names, ((Columns) o).names);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(names);
  }

  @Override
  public String toString() {
    return String.join(",", names);
  }
}
