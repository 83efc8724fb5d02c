package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.Columns;
import dev.sluice.api.Emitter;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * End to end through the library with the real formats: generated orders, the T2 step chain, many
 * thread counts. The reference is a plain single-threaded Commons CSV loop applying the same steps;
 * every engine run must give the same records, and byte-identical files for every thread count.
 */
@Timeout(120)
class SluiceIT {
  @TempDir static Path shared;
  static Path in;
  static Map<String, List<List<String>>> reference;
  static Map<String, byte[]> baseline;

  @TempDir Path tmp;

  static List<Step> t2() {
    return List.of(
        Steps.filter("status == SHIPPED"),
        Steps.filter("amount > 100"),
        Steps.select("order_id", "customer_name", "email", "country", "amount"),
        Steps.upper("country"),
        Steps.lower("email"),
        Steps.hash("email"));
  }

  @BeforeAll
  static void generate() throws Exception {
    in = Orders.generate(shared.resolve("in"), 6, 2500, 7);
    reference = plainLoop(in, t2());
    PipelineSpec spec =
        Sluice.builder()
            .input(in)
            .output(shared.resolve("base"))
            .steps(t2())
            .threads(1, 1, 1)
            .build();
    Sluice.run(spec);
    baseline = readTree(shared.resolve("base"));
  }

  /** The reference: Commons CSV read, the same steps applied one row at a time, no engine. */
  static Map<String, List<List<String>>> plainLoop(Path dir, List<Step> steps) throws Exception {
    Map<String, List<List<String>>> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
        List<List<String>> rows = new ArrayList<>();
        try (Reader r = Files.newBufferedReader(p, StandardCharsets.UTF_8);
            CSVParser parser = CSVParser.parse(r, CSVFormat.RFC4180)) {
          Columns columns = null;
          List<Step> bound = steps;
          Columns outCols = null;
          for (CSVRecord rec : parser) {
            List<String> values = rec.toList();
            if (columns == null) {
              columns = Columns.of(values);
              outCols = columns;
              for (Step st : bound) {
                outCols = st.outputColumns(outCols);
              }
              rows.add(outCols.names());
              continue;
            }
            List<Row> current = List.of(Row.of(columns, values));
            for (Step st : bound) {
              List<Row> next = new ArrayList<>();
              for (Row row : current) {
                st.apply(
                    row,
                    new Emitter() {
                      @Override
                      public void emit(Row r2) {
                        next.add(r2);
                      }

                      @Override
                      public void warn(String message) {}
                    });
              }
              current = next;
            }
            current.forEach(row -> rows.add(row.values()));
          }
        }
        out.put(dir.relativize(p).toString(), rows);
      }
    }
    return out;
  }

  static Map<String, byte[]> readTree(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).collect(Collectors.toList())) {
        out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  static List<List<String>> parse(byte[] csv) throws IOException {
    try (CSVParser p =
        CSVParser.parse(new String(csv, StandardCharsets.UTF_8), CSVFormat.RFC4180)) {
      return p.getRecords().stream().map(CSVRecord::toList).collect(Collectors.toList());
    }
  }

  @Test
  void singleThreadedEngineShouldGiveTheSameRecordsAsThePlainLoop() throws IOException {
    assertThat(baseline.keySet()).isEqualTo(reference.keySet());
    for (String name : reference.keySet()) {
      assertThat(parse(baseline.get(name))).as(name).isEqualTo(reference.get(name));
    }
    assertThat(reference.values().stream().mapToInt(List::size).sum())
        .as("some rows pass")
        .isGreaterThan(6 * 100);
  }

  @ParameterizedTest(name = "threads {0}/{1}/{2}, queue {3}, batch {4}, budget {5}")
  @CsvSource({
    "2, 2, 1, 16, 1000, 67108864",
    "4, 3, 2, 1, 7, 67108864",
    "8, 8, 8, 4, 100, 1",
    "1, 16, 3, 1, 1, 4096",
    "16, 1, 16, 1024, 64, 67108864"
  })
  void everyThreadCountShouldWriteByteIdenticalFiles(
      int readers, int transformers, int writers, int queue, int batch, long budget)
      throws IOException {
    Path out = tmp.resolve("out");
    RunResult r =
        Sluice.builder()
            .input(in)
            .output(out)
            .steps(t2())
            .threads(readers, transformers, writers)
            .queueCapacity(queue)
            .batchSize(batch)
            .maxInFlight(budget)
            .run();

    Map<String, byte[]> got = readTree(out);
    assertThat(got.keySet()).isEqualTo(baseline.keySet());
    for (String name : baseline.keySet()) {
      assertThat(got.get(name)).as(name).isEqualTo(baseline.get(name));
    }
    assertThat(r.recordsRead()).isEqualTo(6 * 2500);
    assertThat(r.recordsRead()).isEqualTo(r.recordsPassed() + r.recordsFiltered());
  }

  @Test
  void aFailingCustomStepShouldNameFileAndLineAndLeaveNoThreadOrTempFile() throws IOException {
    Path out = tmp.resolve("out");
    Step failOnOrder =
        (row, emit) -> {
          if (row.get("order_id").equals("7777")) {
            throw new IllegalArgumentException("cannot handle order " + row.get("order_id"));
          }
          emit.emit(row);
        };

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                Sluice.builder()
                    .input(in)
                    .output(out)
                    .step(failOnOrder)
                    .threads(3, 3, 2)
                    .batchSize(50)
                    .run());

    assertThat(e.stage()).isEqualTo(Stage.TRANSFORMER);
    assertThat(e.file()).matches("orders-0000\\d\\.csv");
    assertThat(e.line()).isGreaterThan(1);
    assertThat(e.getMessage()).contains(e.file()).contains("line ").contains("cannot handle order");
    assertThat(e.getCause()).isInstanceOf(IllegalArgumentException.class);
    assertThat(Thread.getAllStackTraces().keySet())
        .noneMatch(t -> t.isAlive() && t.getName().startsWith("sluice-"));
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(s.map(Path::toString)).noneMatch(n -> n.endsWith(".sluice-tmp"));
    }
    // The failing record's line holds that order id.
    List<String> lines = Files.readAllLines(in.resolve(e.file()));
    assertThat(lines.get((int) e.line() - 1)).startsWith("7777,");
    assertThat(e.file()).isEqualTo("orders-00004.csv");
  }

  @Test
  void shouldWriteJsonLinesWithTheSameRecords() throws IOException {
    Path out = tmp.resolve("json");
    Sluice.builder().input(in).output(out).steps(t2()).outputFormat(Format.jsonl()).run();

    String name = reference.keySet().iterator().next();
    List<String> json = Files.readAllLines(out.resolve(name.replace(".csv", ".jsonl")));
    List<List<String>> ref = reference.get(name);
    assertThat(json).hasSize(ref.size() - 1);
    List<String> first = ref.get(1);
    assertThat(json.get(0))
        .startsWith("{\"order_id\":\"" + first.get(0) + "\"")
        .contains("\"amount\":\"" + first.get(4) + "\"");
  }

  @Test
  void shouldWriteAHeaderForHeaderOnlyAndAllFilteredFilesAndNothingForAnEmptyFile()
      throws IOException {
    Path dir = tmp.resolve("edge");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("empty.csv"), "");
    Files.writeString(dir.resolve("header-only.csv"), "a,b\n");
    Files.writeString(dir.resolve("all-filtered.csv"), "a,b\n1,x\n2,y");
    Path out = tmp.resolve("out");

    RunResult r = Sluice.builder().input(dir).output(out).step(Steps.filter("a > 5")).run();

    assertThat(Files.size(out.resolve("empty.csv"))).isZero();
    assertThat(Files.readString(out.resolve("header-only.csv"))).isEqualTo("a,b\n");
    assertThat(Files.readString(out.resolve("all-filtered.csv"))).isEqualTo("a,b\n");
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.recordsRead()).isEqualTo(2);
    assertThat(r.recordsFiltered()).isEqualTo(2);
  }

  @Test
  void shouldReadInputsThroughAnyFileSystemProvider() throws Exception {
    Path zip = tmp.resolve("inputs.zip");
    try (java.nio.file.FileSystem fs =
        java.nio.file.FileSystems.newFileSystem(zip, Map.of("create", "true"))) {
      Path dir = fs.getPath("/data/2026");
      Files.createDirectories(dir);
      Files.writeString(dir.resolve("a.csv"), "id,email\n1,Ann@Example.org\n2,bob@example.org\n");
      Files.writeString(fs.getPath("/data/b.csv"), "id,email\n3,c@example.org\n");
      Path out = tmp.resolve("out");

      RunResult r =
          Sluice.builder().input(fs.getPath("/data")).output(out).step(Steps.lower("email")).run();

      assertThat(r.files()).isEqualTo(2);
      assertThat(Files.readString(out.resolve("2026/a.csv")))
          .isEqualTo("id,email\n1,ann@example.org\n2,bob@example.org\n");
      assertThat(Files.readString(out.resolve("b.csv"))).isEqualTo("id,email\n3,c@example.org\n");
    }
  }

  @Test
  void aStepNamingAColumnAFileLacksShouldFailNamingFileAndColumn() throws IOException {
    Path dir = tmp.resolve("cols");
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("good.csv"), "id,status\n1,SHIPPED\n");
    Files.writeString(dir.resolve("old-layout.csv"), "id,state\n1,SHIPPED\n");

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                Sluice.builder()
                    .input(dir)
                    .output(tmp.resolve("out"))
                    .step(Steps.filter("status == SHIPPED"))
                    .run());

    assertThat(e.file()).isEqualTo("old-layout.csv");
    assertThat(e.getMessage())
        .contains("old-layout.csv")
        .contains("'status'")
        .contains("id, state");
  }
}
