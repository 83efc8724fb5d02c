package dev.sluice.cli;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import java.io.IOException;
import java.io.StringReader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVRecord;

/**
 * Benchmark data from the same generator as {@code sluice generate} (seed 42), so that the
 * micro-benchmarks see the records of bench/run.sh's workloads.
 *
 * <p>Thread-safe: stateless.
 */
public final class BenchData {
  /** The T1 output columns. */
  public static final Columns T1_COLUMNS =
      Columns.of("order_id", "customer_name", "email", "country", "amount");

  private static final BigDecimal HUNDRED = new BigDecimal("100");

  private BenchData() {}

  /** The CSV text (header and {@code rows} records) of generated file 1. */
  public static String ordersText(int rows) {
    StringWriter w = new StringWriter();
    try {
      OrdersGenerator.write(w, 1, rows, 42);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return w.toString();
  }

  /** Writes generated file 1 with {@code rows} records into {@code dir}. */
  public static Path ordersFile(Path dir, int rows) throws IOException {
    return OrdersGenerator.writeFile(dir, 1, rows, 42, false).path();
  }

  /**
   * {@code n} rows as T1 emits them: the generated orders that pass T1's filters, projected to
   * {@link #T1_COLUMNS}, country upper-cased and email lower-cased.
   */
  public static Row[] t1Rows(int n) {
    List<Row> rows = new ArrayList<>(n);
    int generate = n * 4;
    while (rows.size() < n) {
      rows.clear();
      CSVFormat f = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
      try (var p = f.parse(new StringReader(ordersText(generate)))) {
        for (CSVRecord r : p) {
          if (rows.size() == n) {
            break;
          }
          if (r.get("status").equals("SHIPPED")
              && new BigDecimal(r.get("amount")).compareTo(HUNDRED) > 0) {
            rows.add(
                Row.of(
                    T1_COLUMNS,
                    r.get("order_id"),
                    r.get("customer_name"),
                    r.get("email").toLowerCase(Locale.ROOT),
                    r.get("country").toUpperCase(Locale.ROOT),
                    r.get("amount")));
          }
        }
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      generate *= 2;
    }
    return rows.toArray(new Row[0]);
  }

  /** A fresh temporary directory for a benchmark's files. */
  public static Path tempDir() throws IOException {
    return Files.createTempDirectory("sluice-jmh-");
  }
}
