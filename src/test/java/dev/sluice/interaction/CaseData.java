package dev.sluice.interaction;

import dev.sluice.interaction.Dims.Bad;
import dev.sluice.interaction.Dims.Blank;
import dev.sluice.interaction.Dims.Fmt;
import dev.sluice.interaction.Dims.Formulas;
import dev.sluice.interaction.Dims.Gzip;
import dev.sluice.interaction.Dims.Headers;
import dev.sluice.interaction.Dims.Input;
import dev.sluice.interaction.Dims.Newlines;
import dev.sluice.interaction.Dims.PartitionValues;
import dev.sluice.interaction.Dims.Split;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.zip.GZIPOutputStream;

/**
 * The deterministic input files of one case, made from its seed: a handful of order files (tens to
 * a few hundred rows) with the data variants the case asks for, plus what the generator planted on
 * purpose (bad rows, a file that fails whole), so the test can tell the oracle's reading of the
 * files apart from the generator's intent.
 *
 * <p>Immutable once built.
 */
final class CaseData {
  static final List<String> BASE =
      List.of("order_id", "customer", "email", "country", "amount", "status", "notes");
  static final String MEMO = "@memo";
  static final String EXTRA = "channel";

  /** One input file: its name relative to the input directory, its bytes and its text. */
  record InputFile(String rel, byte[] bytes, boolean gzip, String text) {}

  /** A record the generator made bad on purpose: where, and the error type Sluice must report. */
  record Planted(String rel, long line, String type, String raw) {}

  final List<InputFile> files;
  final List<Planted> planted;
  final byte[] key;
  final int amountThreshold;
  final char delimiter;
  final String ext;

  private CaseData(
      List<InputFile> files,
      List<Planted> planted,
      byte[] key,
      int amountThreshold,
      char delimiter,
      String ext) {
    this.files = files;
    this.planted = planted;
    this.key = key;
    this.amountThreshold = amountThreshold;
    this.delimiter = delimiter;
    this.ext = ext;
  }

  private static final String[] NAMES = {
    "Ann Lee", "Lee, Ann", "Zoë Ødegaard", "Bob \"Bobby\" Smith", "İlker Işık", "plain", "Chloé"
  };
  private static final String[] RISKY = {
    "=HYPERLINK(\"http://x\")", "+SUM(1)", "-cmd", "@who", "=1+2"
  };
  private static final String[] COUNTRIES = {"de", "FR", "it", "us", "Es", "ır"};
  private static final String[] HOSTILE = {"a/b", "a_b", "x\u0001y", "q".repeat(300), "dot."};
  private static final String[] FILE_NAMES = {"a-0", "sub/b-1", "c-2", "sub/deeper/d-3", "e-4"};

  static CaseData generate(Case c, long seed) {
    Random rnd = new Random(seed);
    boolean tsv = c.is(Fmt.TSV);
    char delim = tsv ? '\t' : ',';
    String ext = tsv ? "tsv" : "csv";
    int n = c.is(Input.STDIN) ? 1 : 3 + rnd.nextInt(3);
    byte[] key = new byte[32];
    rnd.nextBytes(key);
    int threshold = 50 + rnd.nextInt(350);
    int failing = c.is(Bad.ROWS_AND_FILE) ? n - 1 : -1;
    List<InputFile> files = new ArrayList<>();
    List<Planted> planted = new ArrayList<>();
    for (int i = 0; i < n; i++) {
      boolean gz = c.is(Gzip.YES) && (i % 2 == 1 || n == 1);
      String rel = FILE_NAMES[i] + "." + ext + (gz ? ".gz" : "");
      List<String> cols = new ArrayList<>(BASE);
      if (c.is(Formulas.YES)) {
        cols.add(cols.indexOf("notes"), MEMO);
      }
      if (i == 1) {
        switch (c.get(Headers.class)) {
          case REORDERED:
            List<String> shuffled = new ArrayList<>(cols);
            while (shuffled.equals(cols)) {
              Collections.shuffle(shuffled, rnd);
            }
            cols = shuffled;
            break;
          case MISSING:
            cols.remove("notes");
            break;
          case EXTRA:
            cols.add(2, EXTRA);
            break;
          default:
            break;
        }
      }
      int rows = i == 0 && c.is(Split.SMALL) ? 150 + rnd.nextInt(100) : 20 + rnd.nextInt(180);
      StringBuilder sb = new StringBuilder();
      long[] line = {1};
      appendRecord(sb, line, cols, delim);
      int blankAt = c.is(Blank.YES) && i == 0 ? rows / 2 : -1;
      List<Integer> badAt = new ArrayList<>();
      if (!c.is(Bad.NONE) && i != failing && (i != 2 || n == 1 || rnd.nextBoolean())) {
        int k = 1 + rnd.nextInt(3);
        for (int b = 0; b < k; b++) {
          badAt.add(rnd.nextInt(rows));
        }
      }
      for (int r = 0; r < rows; r++) {
        if (r == blankAt) {
          sb.append('\n');
          line[0]++;
        }
        for (int b : badAt) {
          if (b == r) {
            String raw = badRow(rnd, c, cols.size(), delim, i, r);
            planted.add(new Planted(rel, line[0], "WRONG_FIELD_COUNT", raw));
            sb.append(raw).append('\n');
            line[0]++;
          }
        }
        List<String> values = new ArrayList<>();
        for (String col : cols) {
          values.add(value(rnd, c, col, i, r));
        }
        appendRecord(sb, line, values, delim);
      }
      if (c.is(Blank.YES) && i == Math.min(1, n - 1)) {
        sb.append("\n\n"); // blank lines at the end, as editors and exports leave them
        line[0] += 2;
      }
      if (i == failing) {
        planted.add(new Planted(rel, line[0], "FILE_FAILED", ""));
        sb.append(9999).append(delim).append("\"never closed").append(delim).append("x\n");
      }
      String text = sb.toString();
      if (!c.is(Dims.LineEnds.LF)) {
        text = text.replace("\n", "\r\n"); // quoted line breaks too: the oracle reads what is there
      }
      byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
      if (c.is(Dims.LineEnds.BOM_CRLF)) {
        byte[] b = new byte[bytes.length + 3];
        b[0] = (byte) 0xEF;
        b[1] = (byte) 0xBB;
        b[2] = (byte) 0xBF;
        System.arraycopy(bytes, 0, b, 3, bytes.length);
        bytes = b;
      }
      files.add(new InputFile(rel, gz ? gzip(bytes) : bytes, gz, text));
    }
    return new CaseData(List.copyOf(files), List.copyOf(planted), key, threshold, delim, ext);
  }

  private static String badRow(Random rnd, Case c, int width, char delim, int file, int row) {
    List<String> v = new ArrayList<>();
    int fields = rnd.nextBoolean() ? width - 2 : width + 1;
    for (int f = 0; f < fields; f++) {
      v.add(f == 0 ? (c.is(Formulas.YES) ? "=BAD()" : "bad" + file + "x" + row) : "v" + f);
    }
    return String.join(String.valueOf(delim), v);
  }

  private static String value(Random rnd, Case c, String col, int file, int row) {
    boolean formulas = c.is(Formulas.YES);
    switch (col) {
      case "order_id":
        return Integer.toString(file * 1000 + row + 1);
      case "customer":
        if (formulas && rnd.nextInt(8) == 0) {
          return RISKY[rnd.nextInt(RISKY.length)];
        }
        if (c.is(Newlines.YES) && rnd.nextInt(8) == 0) {
          return "Ann\nLee " + row;
        }
        return NAMES[rnd.nextInt(NAMES.length)];
      case "email":
        return (rnd.nextBoolean() ? "User" : "user") + row + "@ex" + file + ".org";
      case "country":
        if (c.is(PartitionValues.HOSTILE) && rnd.nextInt(6) == 0) {
          return HOSTILE[rnd.nextInt(HOSTILE.length)];
        }
        return COUNTRIES[rnd.nextInt(COUNTRIES.length)];
      case "amount":
        if (rnd.nextInt(20) == 0) {
          return "n/a";
        }
        return (rnd.nextInt(15) == 0 ? "-" : "")
            + rnd.nextInt(1000)
            + "."
            + String.format(java.util.Locale.ROOT, "%02d", rnd.nextInt(100));
      case "status":
        return new String[] {"SHIPPED", "PENDING", "CANCELLED"}[rnd.nextInt(3)];
      case "notes":
        int k = rnd.nextInt(10);
        if (k == 0) {
          return "with, comma";
        }
        if (k == 1) {
          return "say \"hi\"";
        }
        if (k == 2 && c.is(Newlines.YES)) {
          return "line one\nline two";
        }
        return "note " + row;
      case MEMO:
        int m = rnd.nextInt(6);
        return m == 0 ? RISKY[rnd.nextInt(RISKY.length)] : m == 1 ? "-3.5" : "memo " + row;
      case EXTRA:
        return rnd.nextBoolean() ? "web" : "shop";
      default:
        throw new IllegalArgumentException(col);
    }
  }

  /** Appends one record, quoting where RFC 4180 needs it, and advances the line counter. */
  private static void appendRecord(StringBuilder sb, long[] line, List<String> values, char delim) {
    for (int i = 0; i < values.size(); i++) {
      if (i > 0) {
        sb.append(delim);
      }
      String v = values.get(i);
      if (v.indexOf(delim) >= 0
          || v.indexOf('"') >= 0
          || v.indexOf('\n') >= 0
          || v.indexOf('\r') >= 0) {
        sb.append('"').append(v.replace("\"", "\"\"")).append('"');
      } else {
        sb.append(v);
      }
      line[0] += v.chars().filter(ch -> ch == '\n').count();
    }
    sb.append('\n');
    line[0]++;
  }

  static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }
}
