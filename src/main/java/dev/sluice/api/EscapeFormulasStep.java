package dev.sluice.api;

import java.util.regex.Pattern;

/**
 * {@link Steps#escapeFormulas}: prefixes formula-like cells with {@code '}. Column names stay as
 * they are here: they are cells only where a header row is written (CSV, TSV), and keys in JSON
 * Lines, so the engine escapes the header row itself when it writes one. All instances are equal,
 * so the engine can tell that a spec escapes formulas and escape its header and reject files alike.
 *
 * <p>Thread-safe: the column cache of {@link ColumnsStep}.
 */
final class EscapeFormulasStep extends ColumnsStep {
  private static final long serialVersionUID = 1L;
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Override
  Binding bind(Columns input) {
    return new Binding(input, new int[0], input);
  }

  @Override
  public void apply(Row row, Emitter out) {
    String[] values = null;
    for (int i = 0; i < row.size(); i++) {
      String v = row.get(i);
      if (risky(v)) {
        if (values == null) {
          values = row.toArray();
        }
        values[i] = escape(v);
      }
    }
    out.emit(values == null ? row : Row.wrap(row.columns(), values));
  }

  /**
   * {@code v} with a leading {@code '} if a spreadsheet would run it as a formula, else {@code v}.
   */
  static String escape(String v) {
    return risky(v) ? "'" + v : v;
  }

  static boolean risky(String v) {
    if (v.isEmpty()) {
      return false;
    }
    char c = v.charAt(0);
    switch (c) {
      case '=':
      case '@':
      case '\t':
      case '\r':
        return true;
      case '+':
      case '-':
        return !NUMBER.matcher(v).matches();
      default:
        return false;
    }
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof EscapeFormulasStep;
  }

  @Override
  public int hashCode() {
    return EscapeFormulasStep.class.hashCode();
  }

  @Override
  public String describe() {
    return "escapeFormulas";
  }
}
