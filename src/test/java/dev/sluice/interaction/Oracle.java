package dev.sluice.interaction;

import dev.sluice.interaction.Dims.Fmt;
import dev.sluice.interaction.Dims.Formulas;
import dev.sluice.interaction.Dims.Hashing;
import dev.sluice.interaction.Dims.Select;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * An independent, simple implementation of the job every case runs, per input file: read with
 * {@link TinyCsv}, reject records whose field count differs from the header (a quoted field open at
 * the end fails the file), skip blank lines, then the fixed menu of steps in command-line order:
 *
 * <ol>
 *   <li>{@code --filter 'amount > T'} (decimal comparison; a non-number is false),
 *   <li>{@code --filter 'status != CANCELLED'},
 *   <li>{@code --upper country} (locale-independent),
 *   <li>{@code --hash email}: lower-case hex SHA-256 of the UTF-8 bytes, or HMAC-SHA256 under the
 *       key file's bytes,
 *   <li>{@code --rename customer=client} (the column keeps its place),
 *   <li>{@code --select order_id,client,email,country,amount[,@memo]} when the case selects,
 *   <li>{@code --escape-formulas}: a cell starting with {@code = @}, tab or CR, or with {@code + -}
 *       unless it is a plain number, gets a leading {@code '}; so does a header cell.
 * </ol>
 *
 * <p>Stateless.
 */
final class Oracle {
  private Oracle() {}

  static final List<String> SELECT = List.of("order_id", "client", "email", "country", "amount");
  private static final Pattern NUMBER =
      Pattern.compile("[+-]?(\\d+\\.?\\d*|\\.\\d+)([eE][+-]?\\d+)?");
  private static final Pattern DECIMAL = Pattern.compile("[+-]?(\\d+(\\.\\d*)?|\\.\\d+)");

  /** A reject the run must write: Sluice's relative name of the input, line, type and raw text. */
  record Reject(String file, long line, String type, String raw) {}

  /**
   * What one input must give. {@code columns} are the output columns before escaping; {@code rows}
   * hold the output values (escaped). Counts are of records (blank lines are none).
   */
  record FileResult(
      String name,
      String outputRel,
      boolean failed,
      List<String> columns,
      List<List<String>> rows,
      List<Reject> rejects,
      long passed,
      long filtered) {}

  static FileResult run(Case c, CaseData d, CaseData.InputFile f, String name) {
    TinyCsv.Parsed p = TinyCsv.parse(f.text(), d.delimiter);
    String outRel = outputName(name, c);
    if (p.unterminatedAt() > 0) {
      return new FileResult(
          name,
          outRel,
          true,
          List.of(),
          List.of(),
          List.of(new Reject(name, p.unterminatedAt(), "FILE_FAILED", "")),
          0,
          0);
    }
    List<String> header = p.records().get(0).fields();
    List<String> columns = outputColumns(c, header);
    List<List<String>> rows = new ArrayList<>();
    List<Reject> rejects = new ArrayList<>();
    long passed = 0;
    long filtered = 0;
    BigDecimal threshold = BigDecimal.valueOf(d.amountThreshold);
    for (TinyCsv.Rec r : p.records().subList(1, p.records().size())) {
      if (r.fields().size() != header.size()) {
        rejects.add(new Reject(name, r.line(), "WRONG_FIELD_COUNT", r.raw()));
        continue;
      }
      Map<String, String> row = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        row.put(header.get(i), r.fields().get(i));
      }
      String amount = row.get("amount");
      if (!DECIMAL.matcher(amount).matches() || new BigDecimal(amount).compareTo(threshold) <= 0) {
        filtered++;
        continue;
      }
      if (row.get("status").equals("CANCELLED")) {
        filtered++;
        continue;
      }
      passed++;
      row.put("country", row.get("country").toUpperCase(Locale.ROOT));
      if (!c.is(Hashing.NONE)) {
        row.put(
            "email",
            c.is(Hashing.KEYED) ? hmac(d.key, row.get("email")) : sha256(row.get("email")));
      }
      List<String> out = new ArrayList<>();
      for (String col : columns) {
        String v = row.get(col.equals("client") ? "customer" : col);
        out.add(c.is(Formulas.YES) ? escape(v) : v);
      }
      rows.add(out);
    }
    return new FileResult(name, outRel, false, columns, rows, rejects, passed, filtered);
  }

  /** The output columns of a file with {@code header}, before escaping. */
  static List<String> outputColumns(Case c, List<String> header) {
    if (c.is(Select.YES)) {
      List<String> s = new ArrayList<>(SELECT);
      if (c.is(Formulas.YES)) {
        s.add(CaseData.MEMO);
      }
      return s;
    }
    List<String> out = new ArrayList<>();
    for (String h : header) {
      out.add(h.equals("customer") ? "client" : h);
    }
    return out;
  }

  /** {@code sub/x.csv.gz} to {@code sub/x.csv} (or {@code .tsv}, {@code .jsonl}). */
  static String outputName(String name, Case c) {
    String n = name.endsWith(".gz") ? name.substring(0, name.length() - 3) : name;
    int dot = n.lastIndexOf('.');
    return n.substring(0, dot + 1) + extension(c) + (c.is(Dims.OutGzip.YES) ? ".gz" : "");
  }

  static String extension(Case c) {
    return c.is(Fmt.JSONL) ? "jsonl" : c.is(Fmt.TSV) ? "tsv" : "csv";
  }

  static boolean risky(String v) {
    if (v.isEmpty()) {
      return false;
    }
    char ch = v.charAt(0);
    if (ch == '=' || ch == '@' || ch == '\t' || ch == '\r') {
      return true;
    }
    return (ch == '+' || ch == '-') && !NUMBER.matcher(v).matches();
  }

  static String escape(String v) {
    return risky(v) ? "'" + v : v;
  }

  static String sha256(String v) {
    try {
      return hex(MessageDigest.getInstance("SHA-256").digest(v.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static String hmac(byte[] key, String v) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return hex(m.doFinal(v.getBytes(StandardCharsets.UTF_8)));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static String hex(byte[] b) {
    StringBuilder sb = new StringBuilder();
    for (byte x : b) {
      sb.append(String.format(Locale.ROOT, "%02x", x & 0xff));
    }
    return sb.toString();
  }
}
