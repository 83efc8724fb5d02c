package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Whole runs through {@link Main#run} on the local engine, over small generated files. */
@Timeout(120)
class EndToEndTest {
  private static final List<String> DEMO_STEPS =
      List.of(
          "--filter", "status == SHIPPED",
          "--filter", "amount > 100",
          "--select", "order_id,customer_name,email,country,amount",
          "--upper", "country",
          "--lower", "email",
          "--hash", "email");

  private static final String DEMO_HEADER = "order_id,customer_name,email,country,amount";

  /** The sample orders, without sample-data/jobs/. */
  static final Path SAMPLE_DATA = Path.of("sample-data/**/*.{csv,csv.gz}");

  @TempDir Path tmp;

  private Path generated(int files, int rows) {
    Path in = tmp.resolve("in");
    CliRunner.Result r =
        CliRunner.run(
            "generate",
            "--output",
            in.toString(),
            "--files",
            Integer.toString(files),
            "--rows",
            Integer.toString(rows),
            "--seed",
            "11",
            "--quiet");
    assertThat(r.code()).as(r.toString()).isZero();
    return in;
  }

  private static CliRunner.Result run(Path in, Path out, List<String> steps, String... extra) {
    List<String> args =
        new ArrayList<>(List.of("run", "--input", in.toString(), "--output", out.toString()));
    args.addAll(steps);
    args.addAll(Arrays.asList(extra));
    return CliRunner.run(args.toArray(new String[0]));
  }

  private static List<CSVRecord> parse(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.toString().endsWith(".gz")) {
      in = new GZIPInputStream(in);
    }
    try (Reader r = new InputStreamReader(in, StandardCharsets.UTF_8);
        CSVParser p =
            CSVParser.parse(
                r, CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get())) {
      return p.getRecords();
    }
  }

  /** The order ids the demo job keeps, computed independently with Commons CSV. */
  private static List<String> expectedDemoIds(Path file) throws IOException {
    List<String> ids = new ArrayList<>();
    for (CSVRecord r : parse(file)) {
      if (r.get("status").equals("SHIPPED")
          && new BigDecimal(r.get("amount")).compareTo(BigDecimal.valueOf(100)) > 0) {
        ids.add(r.get("order_id"));
      }
    }
    return ids;
  }

  private static void assertDemoOutput(Path outFile, List<String> expectedIds) throws IOException {
    assertThat(Files.readString(outFile)).startsWith(DEMO_HEADER + "\n");
    List<CSVRecord> records = parse(outFile);
    assertThat(records.stream().map(r -> r.get("order_id"))).containsExactlyElementsOf(expectedIds);
    for (CSVRecord r : records) {
      assertThat(r.size()).isEqualTo(5);
      assertThat(new BigDecimal(r.get("amount"))).isGreaterThan(BigDecimal.valueOf(100));
      assertThat(r.get("country")).isEqualTo(r.get("country").toUpperCase(Locale.ROOT)).hasSize(2);
      assertThat(r.get("email")).matches("[0-9a-f]{64}");
    }
  }

  @Test
  void demoJobWritesTheSameRecordsWithOneThreadPerStageAndWithMany() throws IOException {
    Path in = generated(3, 300);
    Path one = tmp.resolve("one");
    Path many = tmp.resolve("many");

    CliRunner.Result r1 =
        run(in, one, DEMO_STEPS, "--readers", "1", "--transformers", "1", "--writers", "1");
    CliRunner.Result r2 =
        run(
            in,
            many,
            DEMO_STEPS,
            "--readers",
            "4",
            "--transformers",
            "4",
            "--writers",
            "2",
            "--batch-size",
            "7",
            "--queue-capacity",
            "1",
            "--max-in-flight",
            "64k");

    assertThat(r1.code()).as(r1.toString()).isZero();
    assertThat(r2.code()).as(r2.toString()).isZero();
    assertThat(FileTrees.under(one).skipping(".sluice").text(StandardCharsets.ISO_8859_1))
        .isNotEmpty()
        .isEqualTo(FileTrees.under(many).skipping(".sluice").text(StandardCharsets.ISO_8859_1));
    assertThat(FileTrees.under(one).skipping(".sluice").text(StandardCharsets.ISO_8859_1).keySet())
        .containsExactly("orders-00001.csv", "orders-00002.csv", "orders-00003.csv");
    for (String name :
        FileTrees.under(one).skipping(".sluice").text(StandardCharsets.ISO_8859_1).keySet()) {
      assertDemoOutput(one.resolve(name), expectedDemoIds(in.resolve(name)));
    }
    assertThat(r1.out().lines().findFirst()).hasValue("sluice: done, output in " + one);
    assertThat(r1.out())
        .contains("files: 3", "records: 900 read", "threads: 1 readers, 1 transformers, 1 writers");
    assertThat(r2.out()).contains("threads: 4 readers, 4 transformers, 2 writers");
    assertThat(r1.err()).isEmpty();
  }

  @Test
  void threadsAutoWritesTheSameBytesAndSaysWhatItSettledOn() throws IOException {
    Path in = generated(4, 300);
    Path fixed = tmp.resolve("fixed");
    Path auto = tmp.resolve("auto");
    Path report = tmp.resolve("report.json");

    CliRunner.Result r1 = run(in, fixed, DEMO_STEPS, "--threads", "1");
    CliRunner.Result r2 =
        run(
            in,
            auto,
            DEMO_STEPS,
            "--threads",
            "auto",
            "--thread-budget",
            "3",
            "--batch-size",
            "7",
            "--report",
            report.toString());

    assertThat(r1.code()).as(r1.toString()).isZero();
    assertThat(r2.code()).as(r2.toString()).isZero();
    assertThat(FileTrees.under(auto).skipping(".sluice").text(StandardCharsets.ISO_8859_1))
        .isNotEmpty()
        .isEqualTo(FileTrees.under(fixed).skipping(".sluice").text(StandardCharsets.ISO_8859_1));
    assertThat(r2.out())
        .containsPattern(
            "auto threads: readers \\d+ -> \\d+ \\(peak \\d+\\), transformers \\d+ -> \\d+ \\(peak \\d+\\); budget 3, ");
    assertThat(Files.readString(report)).contains("\"autoSizing\"", "\"budget\" : 3");
  }

  @Test
  void sampleDataDemoJobMirrorsTheNestedFoldersAndReadsGzip() throws IOException {
    Path sample = Path.of("sample-data");
    Path out = tmp.resolve("demo");
    // A glob, as in sample-data/jobs/demo.job: the job file itself is not input.
    CliRunner.Result r = run(SAMPLE_DATA, out, DEMO_STEPS, "--overwrite");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".sluice").text(StandardCharsets.ISO_8859_1).keySet())
        .containsExactly(
            "2026/10/orders-eu.csv", "2026/11/orders-apac.csv", "2026/11/orders-us.csv");
    assertDemoOutput(
        out.resolve("2026/10/orders-eu.csv"),
        expectedDemoIds(sample.resolve("2026/10/orders-eu.csv")));
    assertDemoOutput(
        out.resolve("2026/11/orders-us.csv"),
        expectedDemoIds(sample.resolve("2026/11/orders-us.csv")));
    assertDemoOutput(
        out.resolve("2026/11/orders-apac.csv"),
        expectedDemoIds(sample.resolve("2026/11/orders-apac.csv.gz")));
    assertThat(r.out()).contains("files: 3");
  }

  @Test
  void jsonLinesOutputHasOneObjectPerRecordWithTheSelectedKeys() throws IOException {
    Path in = generated(1, 200);
    Path out = tmp.resolve("jsonl");
    CliRunner.Result r = run(in, out, DEMO_STEPS, "--to", "jsonl");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".sluice").text(StandardCharsets.ISO_8859_1).keySet())
        .containsExactly("orders-00001.jsonl");
    List<String> lines = Files.readAllLines(out.resolve("orders-00001.jsonl"));
    List<String> ids = expectedDemoIds(in.resolve("orders-00001.csv"));
    assertThat(lines).hasSize(ids.size());
    JsonFactory json = new JsonFactory();
    for (int i = 0; i < lines.size(); i++) {
      List<String> keys = new ArrayList<>();
      String id = null;
      try (JsonParser p = json.createParser(lines.get(i))) {
        assertThat(p.nextToken()).isEqualTo(JsonToken.START_OBJECT);
        while (p.nextToken() == JsonToken.FIELD_NAME) {
          keys.add(p.currentName());
          p.nextToken();
          if (p.currentName().equals("order_id")) {
            id = p.getValueAsString();
          }
        }
        assertThat(p.nextToken()).isNull();
      }
      assertThat(keys).containsExactly(DEMO_HEADER.split(","));
      assertThat(id).isEqualTo(ids.get(i));
    }
  }

  @Test
  void failingCustomStepExitsOneWithOneLineNamingFileAndLine() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("orders.csv"), "order_id,status\n1,SHIPPED\n2,PENDING\n3,SHIPPED\n4,SHIPPED\n");
    Path out = tmp.resolve("out");
    Path report = tmp.resolve("report.json");

    CliRunner.Result r =
        run(in, out, List.of("--step", FailingStep.class.getName()), "--report", report.toString());

    assertThat(r.code()).as(r.toString()).isEqualTo(1);
    assertThat(r.errLines()).as(r.toString()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith("sluice: ")
        .contains("orders.csv")
        .containsPattern("line 4\\b")
        .contains("cannot process order 3");
    assertThat(r.out()).isEmpty();
    assertThat(out.resolve("orders.csv")).doesNotExist();
    String json = Files.readString(report);
    assertThat(json)
        .contains("\"status\" : \"failed\"", "\"file\" : \"orders.csv\"", "\"line\" : 4");
  }

  @Test
  void existingOutputWithoutOverwriteFailsAndKeepsTheFile() throws IOException {
    // Without state: with a manifest, the rerun would skip the file as done instead.
    Path in = generated(1, 50);
    Path out = tmp.resolve("out");
    assertThat(run(in, out, List.of(), "--no-state").code()).isZero();
    Path existing = out.resolve("orders-00001.csv");
    Files.writeString(existing, "keep me\n");

    CliRunner.Result again = run(in, out, List.of(), "--no-state");

    assertThat(again.code()).as(again.toString()).isNotZero();
    assertThat(again.errLines().get(0)).startsWith("sluice: ").contains("--overwrite");
    assertThat(Files.readString(existing)).isEqualTo("keep me\n");

    CliRunner.Result overwrite = run(in, out, List.of(), "--overwrite", "--no-state");
    assertThat(overwrite.code()).as(overwrite.toString()).isZero();
    assertThat(Files.readString(existing))
        .isEqualTo(Files.readString(in.resolve("orders-00001.csv")));
  }

  @Test
  void quietSuccessfulRunPrintsNothingAndTheReportHasTheCounts() throws IOException {
    Path in = generated(2, 100);
    Path report = tmp.resolve("reports/run.json");
    CliRunner.Result r =
        run(in, tmp.resolve("out"), DEMO_STEPS, "--quiet", "--report", report.toString());

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEmpty();
    String json = Files.readString(report);
    assertThat(json)
        .contains("\"status\" : \"ok\"", "\"files\" : 2", "\"read\" : 200")
        .contains("\"schema\" : \"sluice.run-report\"");
  }

  @Test
  void verboseRunLogsTheJobToStderrAndResultsStayOnStdout() {
    Path in = generated(1, 20);
    CliRunner.Result r = run(in, tmp.resolve("out"), DEMO_STEPS, "--verbose");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(r.err()).contains("INFO", "step: filter(status == SHIPPED)");
    assertThat(r.out()).startsWith("sluice: done").doesNotContain("INFO");
  }

  @Test
  void tsvInputBecomesGzippedCsvOutputWithCrlf() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    Files.writeString(
        in.resolve("people.tsv"), "id\tname\tnote\n1\tZoë\tsays \"hi\"\n2\tJosé\ta, b\n");
    Path out = tmp.resolve("out");

    CliRunner.Result r =
        run(
            in,
            out,
            List.of("--upper", "name"),
            "--from",
            "tsv",
            "--to",
            "csv",
            "--crlf",
            "--gzip-output");

    assertThat(r.code()).as(r.toString()).isZero();
    assertThat(FileTrees.under(out).skipping(".sluice").text(StandardCharsets.ISO_8859_1))
        .containsOnlyKeys("people.csv.gz");
    try (InputStream gz = new GZIPInputStream(Files.newInputStream(out.resolve("people.csv.gz")))) {
      assertThat(new String(gz.readAllBytes(), StandardCharsets.UTF_8))
          .isEqualTo("id,name,note\r\n1,ZOË,\"says \"\"hi\"\"\"\r\n2,JOSÉ,\"a, b\"\r\n");
    }
  }
}
