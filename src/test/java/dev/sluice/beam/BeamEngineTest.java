package dev.sluice.beam;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.FileTrees;
import dev.sluice.Orders;
import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.beam.sdk.values.KV;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The Beam translation on the Direct runner against the local engine: same files, same bytes. Runs
 * on a few small files so the whole class takes seconds.
 */
@Timeout(180)
class BeamEngineTest {
  /** The Direct runner with two worker threads, so that files really are processed in parallel. */
  static final String[] DIRECT = {"--runner=DirectRunner", "--targetParallelism=2"};

  @TempDir Path tmp;

  /**
   * A run returns only when every thread it started has ended, on Beam too: a worker still running
   * after the test would write into {@link #tmp} while JUnit deletes it. No waiting here.
   */
  @AfterEach
  void shouldLeaveNoSluiceThreadRunning() {
    assertThat(engineThreads().map(Thread::getName))
        .as("sluice threads alive after the test")
        .isEmpty();
  }

  /** The demo job of run.sh. */
  private static PipelineSpec.Builder demo(PipelineSpec.Builder b) {
    return b.step(Steps.filter("status == SHIPPED"))
        .step(Steps.filter("amount > 100"))
        .step(Steps.select("order_id", "customer_name", "email", "country", "amount"))
        .step(Steps.upper("country"))
        .step(Steps.lower("email"))
        .step(Steps.hash("email"));
  }

  @Test
  void shouldWriteTheDemoJobsOutputsByteForByteLikeTheLocalEngine() throws IOException {
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    RunResult l =
        demo(Sluice.builder().input(Path.of("sample-data/**/*.{csv,csv.gz}")).output(local)).run();
    RunResult b =
        BeamEngine.run(
            demo(PipelineSpec.builder()
                    .input(Path.of("sample-data/**/*.{csv,csv.gz}"))
                    .output(beam))
                .build(),
            DIRECT);

    assertThat(FileTrees.under(beam).orEmptyIfMissing().bytes())
        .isNotEmpty()
        .containsOnlyKeys(FileTrees.under(local).orEmptyIfMissing().bytes().keySet());
    assertSameBytes(local, beam);
    assertSameCounts(b, l);
  }

  @Test
  void shouldWriteTheSameOutputsAndRejectFilesUnderTheSkipPolicy() throws IOException {
    Path in = generate(tmp.resolve("in"), 5, 2000);
    append(in.resolve("orders-00002.csv"), "BAD,LINE\n");
    append(in.resolve("orders-00004.csv"), "1,2,3\n");
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    RunResult l = demo(Sluice.builder().input(in).output(local).onError(ErrorPolicy.SKIP)).run();
    RunResult b =
        BeamEngine.run(
            demo(PipelineSpec.builder().input(in).output(beam).onError(ErrorPolicy.SKIP)).build(),
            DIRECT);

    assertThat(FileTrees.under(beam).orEmptyIfMissing().bytes().keySet())
        .containsExactlyInAnyOrderElementsOf(
            FileTrees.under(local).orEmptyIfMissing().bytes().keySet())
        .contains("_rejects/orders-00002.csv.rejects.csv", "_rejects/orders-00004.csv.rejects.csv");
    assertSameBytes(local, beam);
    assertSameCounts(b, l);
    assertThat(b.recordsRejected()).isEqualTo(2);
    assertThat(b.rejectsByType()).isEqualTo(Map.of(ErrorType.WRONG_FIELD_COUNT, 2L));
    assertThat(b.rejectFiles())
        .containsExactlyInAnyOrder(
            beam.resolve("_rejects/orders-00002.csv.rejects.csv").toAbsolutePath(),
            beam.resolve("_rejects/orders-00004.csv.rejects.csv").toAbsolutePath());
  }

  @Test
  void shouldListTheSameFilesAsTheLocalEngine() throws IOException {
    Path root = tmp.resolve("in");
    write(root.resolve("a/x.csv"), "id\n1\n");
    write(root.resolve("a/.hidden.csv"), "id\n2\n");
    write(root.resolve(".hidden-dir/y.csv"), "id\n3\n");
    write(root.resolve("b/c/z.csv"), "id\n4\n");
    write(root.resolve("top.csv"), "id\n5\n");
    write(root.resolve("a/.x.csv.1234.sluice-tmp"), "id\n6\n");
    write(root.resolve("b/notes.txt"), "not csv\n");
    Path single = write(tmp.resolve("one.csv"), "id\n7\n");
    Path glob = root.resolve("**/*.csv");
    Path local = tmp.resolve("local");
    Path beam = tmp.resolve("beam");

    Sluice.builder().input(glob).input(single).output(local).run();
    BeamEngine planned =
        BeamEngine.plan(
            PipelineSpec.builder().input(glob).input(single).output(beam).build(),
            org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(DIRECT).create());
    RunResult b = planned.run();

    assertThat(planned.files()).containsExactly("a/x.csv", "b/c/z.csv", "top.csv", "one.csv");
    assertThat(FileTrees.under(beam).orEmptyIfMissing().bytes().keySet())
        .containsExactlyInAnyOrderElementsOf(
            FileTrees.under(local).orEmptyIfMissing().bytes().keySet());
    assertSameBytes(local, beam);
    assertThat(b.files()).isEqualTo(4);
  }

  @Test
  void shouldFinishAnEmptyInputDirectoryWithNoFiles() throws IOException {
    Path in = Files.createDirectories(tmp.resolve("in"));

    RunResult b =
        BeamEngine.run(PipelineSpec.builder().input(in).output(tmp.resolve("out")).build(), DIRECT);

    assertThat(b.files()).isZero();
    assertThat(b.recordsRead()).isZero();
    assertThat(tmp.resolve("out")).isEmptyDirectory();
  }

  @Test
  void shouldNameAValueInACollectionThatIsNotSerializable() {
    Map<String, Object> settings = new java.util.HashMap<>(Map.of("pool", new Object()));
    Step step = (row, out) -> out.emit(row.with("x", String.valueOf(settings.size())));

    assertThat(StepCheck.locate(step))
        .isEqualTo("captured value 1 -> value for key pool (java.lang.Object)");
  }

  @Test
  void shouldSurfaceAFailingStepAsAPipelineExceptionNamingTheFile() throws IOException {
    Path in = generate(tmp.resolve("in"), 2, 50);
    Step failing =
        (row, out) -> {
          if (row.get("order_id").endsWith("7")) {
            throw new IllegalStateException("no sevens");
          }
          out.emit(row);
        };
    PipelineSpec spec =
        PipelineSpec.builder().input(in).output(tmp.resolve("out")).step(failing).build();

    PipelineException e =
        catchThrowableOfType(PipelineException.class, () -> BeamEngine.run(spec, DIRECT));

    assertThat(e).isNotNull();
    assertThat(e.getMessage()).contains("custom step").contains("no sevens");
    assertThat(e.file()).startsWith("orders-0000");
    assertThat(e).hasRootCauseInstanceOf(IllegalStateException.class);
    assertThat(temps(tmp.resolve("out"))).isEmpty();
  }

  @Test
  void shouldRefuseAStepThatCannotBeSerializedWhenThePipelineIsBuilt() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 10);
    Object lock = new Object(); // not Serializable
    Step capturing =
        (row, out) -> {
          synchronized (lock) {
            out.emit(row);
          }
        };
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .step(Steps.trim("email"))
            .step(capturing)
            .build();

    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                BeamEngine.plan(
                    spec,
                    org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(DIRECT).create()));

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .startsWith("step 2 (custom step, dev.sluice.beam.BeamEngineTest$$Lambda")
        .contains("captured value 1 (java.lang.Object) is not Serializable");
    assertThat(tmp.resolve("out")).doesNotExist();
  }

  @Test
  void shouldNameTheFieldThatIsNotSerializableInACustomStepClass() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 10);
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .step(new HoldsAThread())
            .build();

    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () ->
                BeamEngine.plan(
                    spec,
                    org.apache.beam.sdk.options.PipelineOptionsFactory.fromArgs(DIRECT).create()));

    assertThat(e).isNotNull();
    assertThat(e.getMessage())
        .startsWith("step 1 (HoldsAThread, dev.sluice.beam.BeamEngineTest$HoldsAThread)")
        .contains("field worker (java.lang.Thread) is not Serializable");
  }

  /** A step with a field that Java serialization refuses. */
  static final class HoldsAThread implements Step {
    private static final long serialVersionUID = 1L;

    @SuppressWarnings("unused")
    private final Thread worker = new Thread(() -> {});

    @Override
    public void apply(dev.sluice.api.Row row, dev.sluice.api.Emitter out) {
      out.emit(row);
    }
  }

  @Test
  void shouldWriteOneIdenticalFileWhenAnElementIsProcessedTwice() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 300);
    append(in.resolve("orders-00001.csv"), "BAD,LINE\n");
    Path out = tmp.resolve("out");
    PipelineSpec spec =
        demo(PipelineSpec.builder().input(in).output(out).onError(ErrorPolicy.SKIP)).build();
    ProcessFileFn fn = new ProcessFileFn(spec, "not-tracked");
    KV<String, String> element =
        KV.of("orders-00001.csv", Locations.uri(in.resolve("orders-00001.csv")));

    fn.processElement(element);
    Map<String, byte[]> first = FileTrees.under(out).orEmptyIfMissing().bytes();
    fn.processElement(element); // what a retried bundle does

    assertThat(first).containsOnlyKeys("orders-00001.csv", "_rejects/orders-00001.csv.rejects.csv");
    Map<String, byte[]> second = FileTrees.under(out).orEmptyIfMissing().bytes();
    assertThat(second).containsOnlyKeys(first.keySet());
    first.forEach((name, bytes) -> assertThat(second.get(name)).as(name).isEqualTo(bytes));
    assertThat(temps(out)).isEmpty();
  }

  @Test
  void shouldRefuseExistingOutputsBeforeRunningUnlessOverwriteIsSet() throws IOException {
    Path in = generate(tmp.resolve("in"), 2, 10);
    Path out = tmp.resolve("out");
    byte[] old = "old\n".getBytes(StandardCharsets.UTF_8);
    Files.createDirectories(out);
    Files.write(out.resolve("orders-00002.csv"), old);
    PipelineSpec spec = PipelineSpec.builder().input(in).output(out).build();

    ConfigurationException e =
        catchThrowableOfType(ConfigurationException.class, () -> BeamEngine.run(spec, DIRECT));

    assertThat(e)
        .isNotNull()
        .hasMessageContaining("output file exists")
        .hasMessageContaining("orders-00002.csv");
    assertThat(FileTrees.under(out).orEmptyIfMissing().bytes())
        .containsOnlyKeys("orders-00002.csv");
    assertThat(BeamEngine.run(spec.toBuilder().overwrite(true).build(), DIRECT).files())
        .isEqualTo(2);
    assertThat(Files.readAllBytes(out.resolve("orders-00002.csv"))).isNotEqualTo(old);
  }

  @Test
  void shouldFailTheRunWhenTheTotalOfRejectsExceedsMaxErrors() throws IOException {
    Path in = generate(tmp.resolve("in"), 3, 20);
    for (String f : List.of("orders-00001.csv", "orders-00002.csv", "orders-00003.csv")) {
      append(in.resolve(f), "BAD,LINE\n");
    }
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .onError(ErrorPolicy.SKIP)
            .maxErrors(ErrorThreshold.count(2)) // no single file exceeds it, the total does
            .build();

    PipelineException e =
        catchThrowableOfType(PipelineException.class, () -> BeamEngine.run(spec, DIRECT));

    assertThat(e)
        .isNotNull()
        .hasMessageContaining("too many rejected records: 3 of 63 read exceed --max-errors 2");
    assertThat(e.result()).isNotNull();
    assertThat(e.result().recordsRejected()).isEqualTo(3);
  }

  /**
   * Holds the step of the timeout test until the test lets it go; static, so the step captures
   * nothing.
   */
  private static volatile CountDownLatch held = new CountDownLatch(0);

  @Test
  void shouldCancelTheBeamPipelineAndFailWhenTheTimeoutPasses() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 10);
    held = new CountDownLatch(1);
    // The Direct runner's cancel does not interrupt running user code; the engine does, and waits
    // for the file to end before throwing, so nothing is written after the run has returned.
    Step blocking =
        (row, out) -> {
          if (held.await(60, TimeUnit.SECONDS)) {
            throw new IllegalStateException("let go after the timeout");
          }
          out.emit(row);
        };
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .step(blocking)
            .timeout(Duration.ofSeconds(1))
            .build();

    try {
      PipelineException e =
          catchThrowableOfType(
              PipelineException.class,
              // The Direct runner blocks in run() by default, which leaves no room for a timeout.
              () -> BeamEngine.run(spec, "--runner=DirectRunner", "--blockOnRun=false"));

      assertThat(e)
          .isNotNull()
          .hasMessage("run timed out after PT1S; the Beam pipeline was cancelled");
      assertThat(FileTrees.under(tmp.resolve("out")).orEmptyIfMissing().bytes()).isEmpty();
    } finally {
      held.countDown();
    }
  }

  @Test
  void shouldTurnBadBeamOptionsIntoAConfigurationException() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 10);
    PipelineSpec spec = PipelineSpec.builder().input(in).output(tmp.resolve("out")).build();

    ConfigurationException e =
        catchThrowableOfType(
            ConfigurationException.class,
            () -> BeamEngine.run(spec, "--runner=DirectRunner", "--noSuchOption=1"));

    assertThat(e)
        .isNotNull()
        .hasMessageStartingWith("bad Beam options: ")
        .hasMessageContaining("noSuchOption");
  }

  @Test
  void shouldRefuseAStateDirectory() throws IOException {
    Path in = generate(tmp.resolve("in"), 1, 10);
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(in)
            .output(tmp.resolve("out"))
            .stateDir(tmp.resolve("state"))
            .build();

    assertThat(
            catchThrowableOfType(ConfigurationException.class, () -> BeamEngine.run(spec, DIRECT)))
        .hasMessageContaining("stateDir(null)");
  }

  // ---- helpers

  /** Live threads of Sluice (the generator joins its threads too, so none may be left). */
  static Stream<Thread> engineThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(Thread::isAlive)
        .filter(t -> t.getName().startsWith("sluice-"));
  }

  static Path generate(Path dir, int files, int rows) {
    return Orders.generate(dir, files, rows, 3);
  }

  private static void append(Path file, String text) throws IOException {
    Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
  }

  private static Path write(Path file, String text) throws IOException {
    Files.createDirectories(file.getParent());
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  private static List<String> temps(Path root) throws IOException {
    return FileTrees.under(root).orEmptyIfMissing().bytes().keySet().stream()
        .filter(n -> n.endsWith(".sluice-tmp"))
        .collect(Collectors.toList());
  }

  static void assertSameBytes(Path expected, Path actual) throws IOException {
    Map<String, byte[]> e = FileTrees.under(expected).orEmptyIfMissing().bytes();
    Map<String, byte[]> a = FileTrees.under(actual).orEmptyIfMissing().bytes();
    assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
    e.forEach((name, bytes) -> assertThat(a.get(name)).as(name).isEqualTo(bytes));
  }

  static void assertSameCounts(RunResult beam, RunResult local) {
    assertThat(beam.files()).isEqualTo(local.files());
    assertThat(beam.filesFailed()).isEqualTo(local.filesFailed());
    assertThat(beam.recordsRead()).isEqualTo(local.recordsRead());
    assertThat(beam.recordsPassed()).isEqualTo(local.recordsPassed());
    assertThat(beam.recordsFiltered()).isEqualTo(local.recordsFiltered());
    assertThat(beam.recordsRejected()).isEqualTo(local.recordsRejected());
    assertThat(beam.recordsWritten()).isEqualTo(local.recordsWritten());
    assertThat(beam.bytesRead()).isEqualTo(local.bytesRead());
    assertThat(beam.bytesWritten()).isEqualTo(local.bytesWritten());
    assertThat(beam.warnings()).isEqualTo(local.warnings());
    assertThat(beam.rejectsByType()).isEqualTo(local.rejectsByType());
  }
}
