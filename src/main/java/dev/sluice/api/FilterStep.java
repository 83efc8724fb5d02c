package dev.sluice.api;

/**
 * {@link Steps#filter}: emits the rows whose cell passes a {@link FilterExpression}. Thread-safe.
 */
final class FilterStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;

  private final FilterExpression expression;

  FilterStep(FilterExpression expression) {
    this.expression = expression;
  }

  @Override
  Binding bind(Columns input) {
    return new Binding(input, new int[] {input.require(expression.column())}, input);
  }

  @Override
  public void apply(Row row, Emitter out) {
    int position = binding(row.columns()).positions()[0];
    if (expression.test(row.text(position), out)) {
      out.emit(row);
    }
  }

  @Override
  public String describe() {
    return "filter(" + expression.source().strip() + ")";
  }
}
