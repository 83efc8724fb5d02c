package dev.sluice.api;

import java.util.Arrays;
import java.util.Collections;
import java.util.List;

/**
 * One record: its {@link Columns} and one string value per column.
 *
 * <p>Immutable and thread-safe: the {@code with*} methods return new rows.
 *
 * <pre>{@code
 * Row r = Row.of(Columns.of("id", "email"), "7", "Ann@Example.org");
 * Row lower = r.with("email", r.get("email").toLowerCase(Locale.ROOT));
 * }</pre>
 *
 * @since 0.1
 */
public final class Row {
  private final Columns columns;
  private final String[] values;

  private Row(Columns columns, String[] values) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values for " + columns.size() + " columns");
    }
    this.columns = columns;
    this.values = values;
  }

  /** A row with a copy of {@code values}; there must be one value per column. */
  public static Row of(Columns columns, String... values) {
    return new Row(columns, values.clone());
  }

  /** A row with a copy of {@code values}; there must be one value per column. */
  public static Row of(Columns columns, List<String> values) {
    return new Row(columns, values.toArray(new String[0]));
  }

  /**
   * A row that takes ownership of {@code values} without copying. For readers and steps that build
   * a fresh array per row; the caller must not modify the array afterwards.
   */
  public static Row wrap(Columns columns, String[] values) {
    return new Row(columns, values);
  }

  /**
   * This row's values under other columns of the same size, sharing the value array (safe because
   * rows are immutable). For steps in this package that only rename columns.
   */
  Row withColumns(Columns other) {
    return other == columns ? this : new Row(other, values);
  }

  /** The columns of this row. */
  public Columns columns() {
    return columns;
  }

  /** The number of values. */
  public int size() {
    return values.length;
  }

  /** The value at position {@code i}. */
  public String get(int i) {
    return values[i];
  }

  /**
   * The value of column {@code name}.
   *
   * @throws MissingColumnException if there is no such column
   */
  public String get(String name) {
    return values[columns.require(name)];
  }

  /** A row with the value at {@code i} replaced. */
  public Row with(int i, String value) {
    String[] copy = values.clone();
    copy[i] = value;
    return new Row(columns, copy);
  }

  /** A row with the value of column {@code name} replaced. */
  public Row with(String name, String value) {
    return with(columns.require(name), value);
  }

  /** The values, as an unmodifiable list. */
  public List<String> values() {
    return Collections.unmodifiableList(Arrays.asList(values));
  }

  /** A copy of the values. */
  public String[] toArray() {
    return values.clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row
        && columns.equals(((Row) o).columns)
        && Arrays.equals(values, ((Row) o).values);
  }

  @Override
  public int hashCode() {
    return 31 * columns.hashCode() + Arrays.hashCode(values);
  }

  @Override
  public String toString() {
    return Arrays.toString(values);
  }
}
