package dev.sluice.api;

import java.util.regex.Pattern;

/** {@link Steps#escapeFormulas}: prefixes formula-like cells with {@code '}. Thread-safe. */
final class EscapeFormulasStep implements Step {
  private static final long serialVersionUID = 1L;
  private static final Pattern NUMBER = Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");

  @Override
  public void apply(Row row, Emitter out) {
    String[] values = null;
    for (int i = 0; i < row.size(); i++) {
      String v = row.get(i);
      if (risky(v)) {
        if (values == null) {
          values = row.toArray();
        }
        values[i] = "'" + v;
      }
    }
    out.emit(values == null ? row : Row.wrap(row.columns(), values));
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
  public String describe() {
    return "escapeFormulas";
  }

  @Override
  public String toString() {
    return describe();
  }
}
