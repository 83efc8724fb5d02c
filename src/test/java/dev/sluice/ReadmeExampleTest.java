package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Runs the README's library examples, and checks that the README shows exactly the code between the
 * markers below, so the documentation cannot go stale.
 */
class ReadmeExampleTest {
  @TempDir Path tmp;

  @Test
  void shouldRunTheReadmeEmbeddingExample() throws IOException {
    Path in = Path.of("sample-data/**/*.{csv,csv.gz}");
    Path out = tmp.resolve("out");
    // README-BEGIN embedding
    Step flagBigOrders =
        (row, emit) -> {
          boolean big = new BigDecimal(row.get("amount")).compareTo(new BigDecimal("1000")) > 0;
          emit.emit(big ? row.with("notes", "BIG ORDER") : row);
        };

    RunResult result =
        Sluice.builder()
            .input(in) // a directory, file or glob such as in/**/*.csv
            .output(out) // output files mirror the inputs' relative paths
            .step(Steps.filter("status == SHIPPED"))
            .step(flagBigOrders)
            .step(Steps.select("order_id", "customer_name", "email", "amount", "notes"))
            .step(Steps.hash("email"))
            .readers(4)
            .run();

    System.out.println(result.summary());
    // README-END embedding

    assertThat(result.files()).isGreaterThan(0);
    assertThat(result.recordsRead()).isEqualTo(result.recordsPassed() + result.recordsFiltered());
    try (Stream<Path> s = Files.walk(out)) {
      List<Path> outputs = s.filter(Files::isRegularFile).collect(Collectors.toList());
      assertThat(outputs).hasSize((int) result.files());
      for (Path o : outputs) {
        assertThat(Files.readAllLines(o).get(0))
            .isEqualTo("order_id,customer_name,email,amount,notes");
      }
    }
  }

  @Test
  void shouldRunTheReadmeFailureExample() throws IOException {
    Path in = Path.of("sample-data/**/*.{csv,csv.gz}");
    Path out = tmp.resolve("out");
    // README-BEGIN failure
    try {
      Sluice.builder()
          .input(in)
          .output(out)
          .step(
              (row, emit) ->
                  emit.emit(row.with("amount", new BigDecimal(row.get("notes")).toString())))
          .run();
    } catch (PipelineException e) {
      // "step custom step failed in 2026/10/orders-eu.csv at line 2 (record 1): ..."
      System.err.println(e.getMessage());
      System.err.println(
          e.stage() + " " + e.file() + " line " + e.line() + " record " + e.record());
    }
    // README-END failure
    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () ->
                Sluice.builder()
                    .input(in)
                    .output(tmp.resolve("out2"))
                    .step(
                        (row, emit) ->
                            emit.emit(
                                row.with("amount", new BigDecimal(row.get("notes")).toString())))
                    .run());
    assertThat(e.file()).isNotNull();
    assertThat(e.line()).isGreaterThan(1);
    assertThat(e.getCause()).isInstanceOf(NumberFormatException.class);
  }

  @Test
  void readmeShouldShowTheExamplesVerbatim() throws IOException {
    String readme = normalize(Files.readString(Path.of("README.md")));
    String source = Files.readString(Path.of("src/test/java/dev/sluice/ReadmeExampleTest.java"));
    for (String name : List.of("embedding", "failure")) {
      String begin = "// README-BEGIN " + name + "\n";
      int from = source.indexOf(begin) + begin.length();
      int to = source.indexOf("    // README-END " + name, from);
      String snippet = normalize(source.substring(from, to));
      assertThat(readme).as("README shows the %s example", name).contains(snippet);
    }
  }

  /** Drops common indentation so the README can show the code unindented. */
  private static String normalize(String s) {
    return s.lines().map(String::strip).filter(l -> !l.isEmpty()).collect(Collectors.joining("\n"));
  }
}
