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
    int[] positions = b.positions();
    String[] values = new String[positions.length];
    for (int i = 0; i < positions.length; i++) {
      values[i] = row.get(positions[i]);
    }
    out.emit(Row.wrap(b.output(), values));
  }

  @Override
  public String describe() {
    return "select(" + String.join(",", columns) + ")";
  }
}
