package dev.sluice.api;

/** {@link Steps#select}: keeps some columns, in the given order. Thread-safe. */
final class SelectStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;

  private final String[] columns;

  /** {@code columns} is already validated and owned by this step. */
  SelectStep(String[] columns) {
    this.columns = columns;
  }

  @Override
  Binding bind(Columns input) {
    int[] positions = new int[columns.length];
    for (int i = 0; i < columns.length; i++) {
      positions[i] = input.require(columns[i]);
    }
    return new Binding(input, positions, Columns.of(columns));
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
    return "select(" + String.join(",", columns) + ")";
  }
}
