package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.Row;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.io.Writer;

/**
 * Text of reject rows: the reject file's header and rows (RFC 4180 CSV, LF), and a row's values
 * re-joined for the {@code raw} column. When the run escapes formulas ({@link #escapesFormulas}),
 * the cells that come from the input (file, message, raw) are escaped as the data cells are: a
 * reject file is opened in spreadsheets too, and its raw column holds the hostile text verbatim.
 * Stateless.
 */
final class RejectRows {
  static final String HEADER = "file,line,byte_offset,column,type,message,raw\n";
  private static final int MAX_RAW = 4096;

  /**
   * Rough heap cost of a reject beyond its raw text and message: the Reject, the two Strings and
   * their arrays. A reject costs about as much as the row it replaces, so rejects count towards a
   * batch's size and its budget permits just as rows do.
   */
  private static final int OVERHEAD = 120;

  private RejectRows() {}

  /** The heap bytes {@code r} holds, roughly: what it is charged to the budget. */
  static long cost(Reject r) {
    String raw = r.raw();
    return OVERHEAD + r.message().length() + (raw == null ? 0 : raw.length());
  }

  /** A row's values joined as one CSV line, cut at 4 KiB. */
  static String join(Row row) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < row.size(); i++) {
      if (i > 0) {
        sb.append(',');
      }
      quote(sb, row.get(i));
      if (sb.length() > MAX_RAW) {
        sb.setLength(MAX_RAW);
        sb.append('\u2026');
        break;
      }
    }
    return sb.toString();
  }

  /** Whether {@code spec}'s steps escape formulas, so its reject files must too. */
  static boolean escapesFormulas(PipelineSpec spec) {
    return spec.steps().contains(Steps.escapeFormulas());
  }

  /**
   * The header row as written when formulas are escaped: {@code columns} with every formula-like
   * name escaped. Only the written header changes; rows keep their names, so JSON Lines keys and
   * later column lookups see the input's names.
   */
  static Columns escapedHeader(Columns columns) {
    String[] names = null;
    for (int i = 0; i < columns.size(); i++) {
      String n = columns.name(i);
      String e = Steps.escapeFormula(n);
      if (!e.equals(n)) {
        if (names == null) {
          names = columns.names().toArray(new String[0]);
        }
        names[i] = e;
      }
    }
    return names == null ? columns : Columns.of(names);
  }

  static void write(Writer w, Reject r) throws IOException {
    write(w, r, false);
  }

  static void write(Writer w, Reject r, boolean escapeFormulas) throws IOException {
    StringBuilder sb = new StringBuilder(128);
    quote(sb, cell(r.file(), escapeFormulas));
    sb.append(',').append(r.line() > 0 ? Long.toString(r.line()) : "");
    sb.append(',').append(r.byteOffset() >= 0 ? Long.toString(r.byteOffset()) : "");
    sb.append(',').append(r.column() > 0 ? Integer.toString(r.column()) : "");
    sb.append(',').append(r.type().name());
    sb.append(',');
    quote(sb, cell(r.message(), escapeFormulas));
    sb.append(',');
    if (r.raw() != null) {
      quote(sb, cell(r.raw(), escapeFormulas));
    }
    sb.append('\n');
    w.write(sb.toString());
  }

  private static String cell(String v, boolean escapeFormulas) {
    return escapeFormulas ? Steps.escapeFormula(v) : v;
  }

  private static void quote(StringBuilder sb, String v) {
    boolean needs = false;
    for (int i = 0; i < v.length() && !needs; i++) {
      char c = v.charAt(i);
      needs = c == ',' || c == '"' || c == '\n' || c == '\r';
    }
    if (!needs) {
      sb.append(v);
      return;
    }
    sb.append('"');
    for (int i = 0; i < v.length(); i++) {
      char c = v.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }
}
