package dev.sluice.interaction;

import java.util.ArrayList;
import java.util.List;

/**
 * The oracle's own RFC 4180 reader, on purpose not Sluice's: a record is fields separated by the
 * delimiter, a field in double quotes may hold delimiters, quotes (doubled) and line breaks, and a
 * record ends at LF (a CR before it is dropped). An empty line is a blank line, not a record. Each
 * record keeps the line it starts on. A quoted field still open at the end of the text makes the
 * text {@link Parsed#unterminatedAt}.
 *
 * <p>Stateless.
 */
final class TinyCsv {
  private TinyCsv() {}

  /** One record: the line it starts on (1-based), its fields and its raw text. */
  record Rec(long line, List<String> fields, String raw) {}

  /** The records of a text, the blank lines seen, and the line of an unterminated record (or 0). */
  record Parsed(List<Rec> records, int blankLines, long unterminatedAt) {}

  static Parsed parse(String text, char delim) {
    List<Rec> out = new ArrayList<>();
    int blanks = 0;
    long line = 1;
    int i = 0;
    int n = text.length();
    while (i < n) {
      char c = text.charAt(i);
      if (c == '\n' || (c == '\r' && i + 1 < n && text.charAt(i + 1) == '\n')) {
        blanks++;
        line++;
        i += c == '\r' ? 2 : 1;
        continue;
      }
      long start = line;
      int recStart = i;
      List<String> fields = new ArrayList<>();
      StringBuilder f = new StringBuilder();
      boolean endOfRecord = false;
      while (!endOfRecord) {
        f.setLength(0);
        if (i < n && text.charAt(i) == '"') {
          i++;
          boolean closed = false;
          while (i < n) {
            char q = text.charAt(i);
            if (q == '"') {
              if (i + 1 < n && text.charAt(i + 1) == '"') {
                f.append('"');
                i += 2;
              } else {
                i++;
                closed = true;
                break;
              }
            } else {
              if (q == '\n') {
                line++;
              }
              f.append(q);
              i++;
            }
          }
          if (!closed) {
            return new Parsed(out, blanks, start);
          }
        }
        while (i < n && text.charAt(i) != delim && text.charAt(i) != '\n') {
          f.append(text.charAt(i));
          i++;
        }
        fields.add(f.toString());
        if (i >= n) {
          endOfRecord = true;
        } else if (text.charAt(i) == delim) {
          i++;
        } else {
          i++; // the LF
          line++;
          endOfRecord = true;
        }
      }
      int recEnd = i;
      String raw = text.substring(recStart, recEnd).replaceAll("\r?\n$", "");
      String last = fields.get(fields.size() - 1);
      if (last.endsWith("\r")) {
        fields.set(fields.size() - 1, last.substring(0, last.length() - 1));
      }
      out.add(new Rec(start, List.copyOf(fields), raw));
    }
    return new Parsed(out, blanks, 0);
  }
}
