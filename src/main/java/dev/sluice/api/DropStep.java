package dev.sluice.api;

import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;

/** {@link Steps#drop}: removes some columns and keeps the others in order. Thread-safe. */
final class DropStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;

  private final String[] columns;

  /** {@code columns} is already validated and owned by this step. */
  DropStep(String[] columns) {
    this.columns = columns;
  }

  @Override
  Binding bind(Columns input) {
    for (String c : columns) {
      input.require(c);
    }
    Set<String> dropped = new HashSet<>(Arrays.asList(columns));
    // Positions of the columns that are kept; a repeated input name is dropped everywhere.
    int[] kept = new int[input.size()];
    String[] names = new String[input.size()];
    int n = 0;
    for (int i = 0; i < input.size(); i++) {
      if (!dropped.contains(input.name(i))) {
        kept[n] = i;
        names[n] = input.name(i);
        n++;
      }
    }
    return new Binding(input, Arrays.copyOf(kept, n), Columns.of(Arrays.copyOf(names, n)));
  }

  @Override
  public void apply(Row row, Emitter out) {
    Binding b = binding(row.columns());
    // The values it keeps are moved, not made: one a later step or the writer does not read as
    // a String stays in its bytes.
    out.emit(row.select(b.output(), b.positions()));
  }

  @Override
  public String describe() {
    return "drop(" + String.join(",", columns) + ")";
  }
}
