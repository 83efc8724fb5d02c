package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * Base of the steps that rewrite the values of some columns and keep the columns themselves.
 *
 * <p>Thread-safe if {@link #map} is: instances are immutable apart from the position cache.
 */
abstract class ValueStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;

  private final String name;
  private final String[] columns;

  /** {@code columns} is already validated and owned by this step. */
  ValueStep(String name, String[] columns) {
    this.name = name;
    this.columns = columns;
  }

  /** The new value for {@code value}; returns {@code value} itself when nothing changes. */
  abstract String map(String value);

  /**
   * The new value at {@code p} of {@code row}, or null when it stays as it is: by default {@link
   * #changeValue}. Steps that can tell it from the value's bytes without making its String override
   * this.
   */
  @Nullable String change(Row row, int p) {
    return changeValue(row, p);
  }

  /** {@link #map} of the value at {@code p}, or null when it returns the value itself. */
  final @Nullable String changeValue(Row row, int p) {
    String before = row.get(p);
    String after = map(before);
    // The String methods used return the same instance when nothing changes.
    return after == before ? null : after;
  }

  @Override
  final Binding bind(Columns input) {
    int[] positions = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      positions[i] = input.require(columns[i]);
    }
    return new Binding(input, positions, input);
  }

  @Override
  public void apply(Row row, Emitter out) {
    int[] positions = binding(row.columns()).positions();
    String[] values = null;
    for (int p : positions) {
      String after = change(row, p);
      // A new row only on change; the values changed are not made from the old row's bytes.
      if (after != null) {
        if (values == null) {
          values = new String[row.size()];
        }
        values[p] = after;
      }
    }
    out.emit(values == null ? row : row.replace(values));
  }

  /** The positions of this step's columns in {@code input}; for subclasses with their own apply. */
  final int[] positions(Columns input) {
    return binding(input).positions();
  }

  @Override
  public String describe() {
    return name + "(" + String.join(",", columns) + ")";
  }
}
