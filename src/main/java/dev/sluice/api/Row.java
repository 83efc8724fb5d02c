package dev.sluice.api;

import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One record: its {@link Columns} and one string value per column.
 *
 * <p>Immutable and thread-safe: the {@code with*} methods return new rows. A row read from bytes
 * (the default CSV reader's) makes each value when it is first asked for; that is invisible to
 * callers, and safe across threads, as each value is made the same way whoever asks first.
 *
 * <pre>{@code
 * Row r = Row.of(Columns.of("id", "email"), "7", "Ann@Example.org");
 * Row lower = r.with("email", r.get("email").toLowerCase(Locale.ROOT));
 * }</pre>
 *
 * @since 0.1
 */
public final class Row {
  static {
    ApiAccess.register(
        new ApiAccess.Rows() {
          @Override
          public Row lazyRow(Columns columns, LazyFields fields) {
            return new Row(columns, new String[columns.size()], fields, null);
          }

          @Override
          public long utf8Range(Row row, int i) {
            return row.utf8Range(i);
          }

          @Override
          public byte[] utf8Bytes(Row row) {
            return row.utf8Bytes();
          }
        });
  }

  private static final byte[] NO_BYTES = new byte[0];

  private final Columns columns;

  /**
   * The values; for a row read from bytes ({@link #lazy} set), a value still in its bytes is null
   * until first asked for, and then only ever {@code lazy.value(source(i))}, so that the bytes stay
   * the value's whether it was made or not. A value made by two threads at once is made twice, the
   * same: Strings are immutable, so the racy write publishes a whole one (as {@code
   * String.hashCode} caches its hash).
   */
  private final String[] values;

  private final @Nullable LazyFields lazy;

  /**
   * For a row read from bytes: which of {@link #lazy}'s fields position {@code i} is, or -1 where a
   * step set the value (it is in {@link #values}, and has no bytes); null when position {@code i}
   * is field {@code i}. Lets select, drop and value steps make a new row over the same bytes
   * without making the values they only move, so that the writer can copy a field no step changed
   * from its bytes. Never written after construction; select shares its binding's positions here.
   */
  private final int @Nullable [] source;

  private Row(Columns columns, String[] values) {
    this(columns, values, null, null);
  }

  private Row(
      Columns columns, String[] values, @Nullable LazyFields lazy, int @Nullable [] source) {
    if (values.length != columns.size()) {
      throw new IllegalArgumentException(
          "row has " + values.length + " values for " + columns.size() + " columns");
    }
    this.columns = columns;
    this.values = values;
    this.lazy = lazy;
    this.source = source;
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
    return other == columns ? this : new Row(other, values, lazy, source);
  }

  /**
   * A row of {@code output} whose value {@code k} is this row's at {@code positions[k]}, for select
   * and drop: a value not yet made from its bytes stays unmade. {@code positions} is kept, so the
   * caller must never modify it.
   */
  Row select(Columns output, int[] positions) {
    int n = positions.length;
    String[] v = new String[n];
    for (int k = 0; k < n; k++) {
      v[k] = values[positions[k]];
    }
    LazyFields l = lazy;
    if (l == null) {
      return new Row(output, v);
    }
    int[] from = source;
    int[] s = positions;
    if (from != null) {
      s = new int[n];
      for (int k = 0; k < n; k++) {
        s[k] = from[positions[k]];
      }
    }
    return new Row(output, v, l, s);
  }

  /**
   * A row with the non-null values of {@code changed} (one slot per position, owned by the new row)
   * in place of this row's, for value steps: the values they do not change stay in their bytes.
   */
  Row replace(String[] changed) {
    LazyFields l = lazy;
    if (l == null) {
      for (int i = 0; i < changed.length; i++) {
        if (changed[i] == null) {
          changed[i] = values[i];
        }
      }
      return new Row(columns, changed);
    }
    int[] s = new int[changed.length];
    for (int i = 0; i < changed.length; i++) {
      if (changed[i] == null) {
        changed[i] = values[i];
        s[i] = source(i);
      } else {
        s[i] = -1;
      }
    }
    return new Row(columns, changed, l, s);
  }

  /** Which of {@link #lazy}'s fields position {@code i} is, or -1 for a value a step set. */
  private int source(int i) {
    int[] s = source;
    return s == null ? i : s[i];
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
    String v = values[i];
    LazyFields l = lazy;
    if (v == null && l != null) {
      v = l.value(source(i));
      values[i] = v;
    }
    return v;
  }

  /**
   * The value at position {@code i} to be read once, by a filter: for a value not yet made from its
   * bytes, a view of them where they are the chars, so that no String is made for a row the filter
   * drops.
   */
  CharSequence text(int i) {
    String v = values[i];
    LazyFields l = lazy;
    return v == null && l != null ? l.text(source(i)) : v;
  }

  /**
   * Where the UTF-8 bytes of the value at {@code i} are in {@link #utf8Bytes}, as {@link
   * LazyFields#utf8Range} gives it, or -1 for a row that has no such bytes: for steps that hash the
   * bytes or read ASCII ones without making the value's String.
   */
  long utf8Range(int i) {
    LazyFields l = lazy;
    if (l == null) {
      return -1;
    }
    int s = source(i);
    return s < 0 ? -1 : l.utf8Range(s);
  }

  /** The bytes {@link #utf8Range} points into. */
  byte[] utf8Bytes() {
    LazyFields l = lazy;
    return l == null ? NO_BYTES : l.bytes();
  }

  /** The values, each made if it was not yet: the array itself, not a copy. */
  private String[] all() {
    if (lazy != null) {
      for (int i = 0; i < values.length; i++) {
        get(i);
      }
    }
    return values;
  }

  /**
   * The value of column {@code name}.
   *
   * @throws MissingColumnException if there is no such column
   */
  public String get(String name) {
    return get(columns.require(name));
  }

  /** A row with the value at {@code i} replaced. */
  public Row with(int i, String value) {
    String[] copy = all().clone();
    copy[i] = value;
    return new Row(columns, copy);
  }

  /** A row with the value of column {@code name} replaced. */
  public Row with(String name, String value) {
    return with(columns.require(name), value);
  }

  /** The values, as an unmodifiable list. */
  public List<String> values() {
    return Collections.unmodifiableList(Arrays.asList(all()));
  }

  /** A copy of the values. */
  public String[] toArray() {
    return all().clone();
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Row
        && columns.equals(((Row) o).columns)
        && Arrays.equals(all(), ((Row) o).all());
  }

  @Override
  public int hashCode() {
    return 31 * columns.hashCode() + Arrays.hashCode(all());
  }

  @Override
  public String toString() {
    return Arrays.toString(all());
  }
}
