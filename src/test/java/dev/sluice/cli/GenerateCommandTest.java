package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GenerateCommandTest {
  @TempDir Path tmp;

  private CliRunner.Result generate(Path dir, String... extra) {
    List<String> args = new ArrayList<>(List.of("generate", "--output", dir.toString()));
    args.addAll(List.of(extra));
    CliRunner.Result r = CliRunner.run(args.toArray(new String[0]));
    assertThat(r.code()).as(r.toString()).isZero();
    return r;
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.sorted().collect(Collectors.toList());
    }
  }

  private static List<CSVRecord> parse(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    CSVFormat strict = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(r, strict)) {
      assertThat(p.getHeaderNames()).hasSize(12);
      assertThat(String.join(",", p.getHeaderNames())).isEqualTo(OrdersGenerator.HEADER);
      return p.getRecords();
    }
  }

  @Test
  void namesFilesByIndexAndReportsWhatItWrote() throws IOException {
    CliRunner.Result r = generate(tmp, "--files", "3", "--rows", "10");
    assertThat(files(tmp).stream().map(p -> p.getFileName().toString()))
        .containsExactly("orders-00001.csv", "orders-00002.csv", "orders-00003.csv");
    long bytes = 0;
    for (Path p : files(tmp)) {
      bytes += Files.size(p);
    }
    assertThat(r.out())
        .startsWith(
            "sluice: generated 3 files, 30 rows, " + String.format("%,d", bytes).replace('.', ','));
    assertThat(r.err()).isEmpty();
  }

  @Test
  void quietGenerationPrintsNothing() {
    CliRunner.Result r = generate(tmp, "--rows", "5", "--quiet");
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
  }

  @Test
  void sameSeedGivesByteIdenticalFilesAndAnotherSeedDifferentOnes() throws IOException {
    Path a = tmp.resolve("a");
    Path b = tmp.resolve("b");
    Path c = tmp.resolve("c");
    generate(a, "--files", "3", "--rows", "500", "--seed", "42", "--threads", "3");
    generate(b, "--files", "3", "--rows", "500", "--seed", "42", "--threads", "1");
    generate(c, "--files", "3", "--rows", "500", "--seed", "43");
    for (int i = 1; i <= 3; i++) {
      String name = OrdersGenerator.fileName(i, false);
      assertThat(Files.readAllBytes(a.resolve(name)))
          .isEqualTo(Files.readAllBytes(b.resolve(name)));
      assertThat(Files.readAllBytes(a.resolve(name)))
          .isNotEqualTo(Files.readAllBytes(c.resolve(name)));
    }
    assertThat(Files.readAllBytes(a.resolve(OrdersGenerator.fileName(1, false))))
        .isNotEqualTo(Files.readAllBytes(a.resolve(OrdersGenerator.fileName(2, false))));
  }

  @Test
  void gzipFilesAreDeterministicAndDecompressToTheSameRecords() throws IOException {
    generate(tmp.resolve("gz1"), "--rows", "300", "--gzip");
    generate(tmp.resolve("gz2"), "--rows", "300", "--gzip");
    generate(tmp.resolve("plain"), "--rows", "300");
    Path gz = tmp.resolve("gz1").resolve("orders-00001.csv.gz");
    assertThat(Files.readAllBytes(gz))
        .isEqualTo(Files.readAllBytes(tmp.resolve("gz2").resolve("orders-00001.csv.gz")));
    try (InputStream in = new GZIPInputStream(Files.newInputStream(gz))) {
      assertThat(in.readAllBytes())
          .isEqualTo(Files.readAllBytes(tmp.resolve("plain").resolve("orders-00001.csv")));
    }
  }

  @Test
  void generatedRecordsParseAsStrictCsvWithTwelveConsistentFields() throws IOException {
    generate(tmp, "--files", "2", "--rows", "3000", "--seed", "7");
    Set<String> statuses = Set.of("SHIPPED", "PENDING", "DELIVERED", "CANCELLED", "RETURNED");
    int tricky = 0;
    int nonAscii = 0;
    int shipped = 0;
    int mixedCaseEmail = 0;
    List<CSVRecord> all = new ArrayList<>();
    for (Path f : files(tmp)) {
      all.addAll(parse(f));
    }
    assertThat(all).hasSize(6000);
    long expectedId = 1;
    for (CSVRecord r : all) {
      assertThat(r.size()).isEqualTo(12);
      assertThat(r.get("order_id")).isEqualTo(Long.toString(expectedId++));
      assertThat(r.get("customer_id")).matches("C\\d{6}");
      assertThat(r.get("country")).matches("[A-Za-z]{2}");
      assertThat(r.get("status")).isIn(statuses);
      assertThat(r.get("order_date")).matches("202[56]-\\d\\d-\\d\\d");
      int qty = Integer.parseInt(r.get("quantity"));
      assertThat(qty).isBetween(1, 20);
      BigDecimal price = new BigDecimal(r.get("unit_price"));
      assertThat(price.scale()).isEqualTo(2);
      assertThat(price).isBetween(new BigDecimal("0.50"), new BigDecimal("500.00"));
      assertThat(new BigDecimal(r.get("amount")))
          .isEqualTo(price.multiply(BigDecimal.valueOf(qty)));
      assertThat(r.get("email")).contains("@");
      String note = r.get("notes");
      if (note.contains(",") || note.contains("\"") || note.contains("\n")) {
        tricky++;
      }
      if (!r.get("customer_name").chars().allMatch(ch -> ch < 128)) {
        nonAscii++;
      }
      if (r.get("status").equals("SHIPPED")) {
        shipped++;
      }
      if (!r.get("email").equals(r.get("email").toLowerCase(java.util.Locale.ROOT))) {
        mixedCaseEmail++;
      }
    }
    // Fixed seed: these counts are deterministic; the ranges document the intended mix.
    assertThat(tricky).isBetween(20, 120);
    assertThat(nonAscii).isGreaterThan(600);
    assertThat(shipped).isBetween(2100, 2700);
    assertThat(mixedCaseEmail).isBetween(300, 1200);
  }

  @Test
  void zeroFilesIsAUsageError() {
    CliRunner.Result r = CliRunner.run("generate", "--files", "0", "--output", tmp.toString());
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.errLines().get(0)).isEqualTo("sluice: --files must be >= 1 (got 0)");
  }
}
