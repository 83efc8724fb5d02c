package dev.sluice.api;

/** {@link Steps#rename}: renames one column and keeps the values. Thread-safe. */
final class RenameStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;

  private final String from;
  private final String to;

  RenameStep(String from, String to) {
    this.from = from;
    this.to = to;
  }

  @Override
  Binding bind(Columns input) {
    int position = input.require(from);
    if (from.equals(to)) {
      return new Binding(input, new int[] {position}, input);
    }
    int clash = input.indexOf(to);
    if (clash >= 0) {
      // Two columns with one name would make every later lookup by name see only the first.
      throw new ConfigurationException(
          describe()
              + ": the input already has a column '"
              + to
              + "' (columns: "
              + String.join(", ", input.names())
              + "); drop or rename that column first");
    }
    String[] names = input.names().toArray(new String[0]);
    names[position] = to;
    return new Binding(input, new int[] {position}, Columns.of(names));
  }

  @Override
  public void apply(Row row, Emitter out) {
    Binding b = binding(row.columns());
    out.emit(row.withColumns(b.output()));
  }

  @Override
  public String describe() {
    return "rename(" + from + "," + to + ")";
  }
}
