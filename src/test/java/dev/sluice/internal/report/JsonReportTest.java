package dev.sluice.internal.report;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonReportTest {
  @TempDir Path tmp;

  private static final RunResult RESULT =
      RunResult.builder()
          .files(3)
          .filesFailed(0)
          .filesSkipped(0)
          .recordsRead(12_000)
          .recordsPassed(4_100)
          .recordsFiltered(7_900)
          .recordsRejected(0)
          .recordsAbandoned(0)
          .recordsWritten(4_100)
          .bytesRead(1_024_000)
          .bytesWritten(310_000)
          .warnings(2)
          .firstWarnings(List.of("non-numeric 'n/a' in amount (orders.csv line 7)", "second"))
          .rejectsByType(java.util.Map.of())
          .rejectFiles(List.of())
          .stages(List.of())
          .verdict(new dev.sluice.api.Verdict(null, "", 2, 4, 1))
          .samples(List.of())
          .elapsed(Duration.ofMillis(1500))
          .readers(2)
          .transformers(4)
          .writers(1)
          .build();

  /** Flattens a JSON document to "a.b" -> value text and "a.list[0]" -> value text. */
  static Map<String, String> flatten(byte[] json) throws IOException {
    Map<String, String> out = new LinkedHashMap<>();
    try (JsonParser p = new JsonFactory().createParser(json)) {
      List<String> path = new ArrayList<>();
      List<Integer> index = new ArrayList<>();
      JsonToken t;
      while ((t = p.nextToken()) != null) {
        switch (t) {
          case FIELD_NAME:
            path.set(path.size() - 1, p.currentName());
            break;
          case START_OBJECT:
          case START_ARRAY:
            bump(path, index);
            path.add(t == JsonToken.START_ARRAY ? "[" : "");
            index.add(t == JsonToken.START_ARRAY ? -1 : -2);
            break;
          case END_OBJECT:
          case END_ARRAY:
            path.remove(path.size() - 1);
            index.remove(index.size() - 1);
            break;
          default:
            bump(path, index);
            out.put(key(path), p.getText());
        }
      }
    }
    return out;
  }

  private static void bump(List<String> path, List<Integer> index) {
    int last = index.size() - 1;
    if (last >= 0 && index.get(last) >= -1) {
      index.set(last, index.get(last) + 1);
      path.set(last, "[" + index.get(last) + "]");
    }
  }

  private static String key(List<String> path) {
    StringBuilder sb = new StringBuilder();
    for (String s : path) {
      if (s.isEmpty()) {
        continue;
      }
      if (sb.length() > 0 && !s.startsWith("[")) {
        sb.append('.');
      }
      sb.append(s);
    }
    return sb.toString();
  }

  @Test
  void reportOfASuccessfulRunHasTheVersionedSchema() throws IOException {
    Path file = tmp.resolve("report.json");
    JsonReport.write(RESULT, file);

    Map<String, String> f = flatten(Files.readAllBytes(file));
    assertThat(f)
        .containsEntry("schema", "sluice.run-report")
        .containsEntry("version", "1")
        .containsEntry("status", "ok")
        .containsEntry("files", "3")
        .containsEntry("records.read", "12000")
        .containsEntry("records.passed", "4100")
        .containsEntry("records.filtered", "7900")
        .containsEntry("records.written", "4100")
        .containsEntry("records.rejected", "0")
        .containsEntry("records.abandoned", "0")
        .containsEntry("filesFailed", "0")
        .containsEntry("bytes.read", "1024000")
        .containsEntry("bytes.written", "310000")
        .containsEntry("warnings.count", "2")
        .containsEntry("warnings.first[0]", "non-numeric 'n/a' in amount (orders.csv line 7)")
        .containsEntry("warnings.first[1]", "second")
        .containsEntry("elapsedSeconds", "1.500")
        .containsEntry("recordsPerSecond", "8000.0")
        .containsEntry("megabytesPerSecond", "0.683")
        .containsEntry("threads.readers", "2")
        .containsEntry("threads.transformers", "4")
        .containsEntry("threads.writers", "1");
    assertThat(f.keySet().stream().map(k -> k.replaceAll("[.\\[].*", "")).distinct())
        .containsExactly(
            "schema",
            "version",
            "status",
            "files",
            "filesFailed",
            "filesSkipped",
            "records",
            "bytes",
            "warnings",
            "elapsedSeconds",
            "recordsPerSecond",
            "megabytesPerSecond",
            "threads");
  }

  @Test
  void autoSizingIsReportedOnlyWhenTheRunUsedIt() throws IOException {
    assertThat(flatten(JsonReport.toJson(RESULT))).doesNotContainKey("autoSizing.budget");
    RunResult auto =
        RunResult.builder()
            .files(RESULT.files())
            .filesFailed(0)
            .filesSkipped(0)
            .recordsRead(12_000)
            .recordsPassed(4_100)
            .recordsFiltered(7_900)
            .recordsRejected(0)
            .recordsAbandoned(0)
            .recordsWritten(4_100)
            .bytesRead(1_024_000)
            .bytesWritten(310_000)
            .warnings(2)
            .firstWarnings(List.of())
            .rejectsByType(java.util.Map.of())
            .rejectFiles(List.of())
            .stages(List.of())
            .verdict(RESULT.verdict())
            .samples(List.of())
            .elapsed(Duration.ofMillis(1500))
            .readers(3)
            .transformers(1)
            .writers(1)
            .autoSizing(new RunResult.AutoSizing(4, true, true, 1, 1, 3, 1, 3, 1, 2))
            .build();

    Map<String, String> f = flatten(JsonReport.toJson(auto));
    assertThat(f)
        .containsEntry("version", "1")
        .containsEntry("threads.readers", "3")
        .containsEntry("autoSizing.budget", "4")
        .containsEntry("autoSizing.resizes", "2")
        .containsEntry("autoSizing.readers.auto", "true")
        .containsEntry("autoSizing.readers.start", "1")
        .containsEntry("autoSizing.readers.settled", "3")
        .containsEntry("autoSizing.readers.peak", "3")
        .containsEntry("autoSizing.transformers.settled", "1");
  }

  @Test
  void numbersUseAPointWhateverTheDefaultLocale() {
    // Surefire runs with a Turkish default locale, whose decimal separator is a comma.
    String json = new String(JsonReport.toJson(RESULT), StandardCharsets.UTF_8);
    assertThat(json).contains("\"elapsedSeconds\" : 1.500").doesNotContain("1,5");
  }

  @Test
  void reportOfAFailedRunNamesStageFileLineAndRecord() throws IOException {
    PipelineException failure =
        ApiAccess.pipelineException(
            Stage.TRANSFORMER,
            "2026/10/orders-eu.csv",
            1204,
            1203,
            "sluice-transformer-2",
            null,
            new IllegalStateException("cannot parse \"x\""));
    Path file = tmp.resolve("failed.json");
    JsonReport.writeFailure(failure, file);

    Map<String, String> f = flatten(Files.readAllBytes(file));
    assertThat(f)
        .containsEntry("schema", "sluice.run-report")
        .containsEntry("version", "1")
        .containsEntry("status", "failed")
        .containsEntry("error.type", "PipelineException")
        .containsEntry("error.message", failure.getMessage())
        .containsEntry("error.stage", "transformer")
        .containsEntry("error.file", "2026/10/orders-eu.csv")
        .containsEntry("error.line", "1204")
        .containsEntry("error.record", "1203")
        .containsEntry("error.thread", "sluice-transformer-2")
        .containsEntry("error.cause.type", "java.lang.IllegalStateException")
        .containsEntry("error.cause.message", "cannot parse \"x\"");
  }

  @Test
  void failureWithoutContextHasOnlyTypeAndMessage() throws IOException {
    Map<String, String> f = flatten(JsonReport.failureToJson(new IOException("disk full")));
    assertThat(f)
        .containsEntry("status", "failed")
        .containsEntry("error.type", "IOException")
        .containsEntry("error.message", "disk full")
        .doesNotContainKeys("error.stage", "error.file", "error.line", "error.cause.type");
  }

  @Test
  void replacesAnExistingReportAndLeavesNoTemporaryFile() throws IOException {
    Path dir = tmp.resolve("reports/nested");
    Path file = dir.resolve("run.json");
    JsonReport.writeFailure(new IllegalStateException("first"), file);
    JsonReport.write(RESULT, file);

    assertThat(flatten(Files.readAllBytes(file))).containsEntry("status", "ok");
    try (Stream<Path> s = Files.list(dir)) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .containsExactly("run.json");
    }
  }

  @Test
  void aReportShouldCarryTheStagesAndTheVerdict() throws IOException {
    RunResult r =
        RunResult.builder()
            .files(1)
            .filesFailed(0)
            .filesSkipped(0)
            .recordsRead(10)
            .recordsPassed(10)
            .recordsFiltered(0)
            .recordsRejected(0)
            .recordsAbandoned(0)
            .recordsWritten(10)
            .bytesRead(100)
            .bytesWritten(50)
            .warnings(0)
            .firstWarnings(List.of())
            .rejectsByType(java.util.Map.of())
            .rejectFiles(List.of())
            .stages(
                List.of(
                    new dev.sluice.api.StageStats(dev.sluice.api.Stage.READER, 2, 20, 0, 80, 5),
                    new dev.sluice.api.StageStats(dev.sluice.api.Stage.TRANSFORMER, 2, 97, 2, 1, 5),
                    new dev.sluice.api.StageStats(dev.sluice.api.Stage.WRITER, 1, 40, 60, 0, 5)))
            .verdict(
                new dev.sluice.api.Verdict(
                    dev.sluice.api.Stage.TRANSFORMER, "transformers 97% busy", 1, 3, 1))
            .samples(List.of())
            .elapsed(Duration.ofSeconds(1))
            .readers(2)
            .transformers(2)
            .writers(1)
            .build();

    Map<String, String> f = flatten(JsonReport.toJson(r));

    assertThat(f)
        .containsEntry("stages[1].stage", "transformer")
        .containsEntry("stages[1].busy", "0.970")
        .containsEntry("stages[0].waitingToHandOn", "0.800")
        .containsEntry("verdict.bottleneck", "transformer")
        .containsEntry("verdict.evidence", "transformers 97% busy")
        .containsEntry("verdict.suggestedThreads.transformers", "3");
  }
}
