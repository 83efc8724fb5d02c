package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Step;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Collectors;
import org.apache.commons.io.file.PathUtils;
import org.assertj.core.api.SoftAssertions;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The concurrency proof: a seeded sample of the matrix readers × transformers × writers ∈ {1, 2, 8,
 * 64}, queue capacity ∈ {1, 4, 1024}, budget ∈ {one batch, default}, splits per file ∈ {1, 3},
 * fixed or automatic sizing (threads grown and retired at random, or by the real rules, every
 * millisecond while the run goes), small batches, and a failure injected in a random stage at a
 * random point (or none), as an exception or as an Error, with a step that swallows interrupts or
 * not, every run under seeded {@link ChaosHooks} and a {@link Watchdog}.
 *
 * <p>Each run must either write every output byte for byte or throw the one injected exception from
 * the right stage, and in both cases leave no {@code sluice-*} thread, no temporary file, no
 * incomplete output and no permit missing from any reader's pool. Every run goes on whatever the
 * previous one did; the test fails at the end with every problem, each with its replay flags.
 *
 * <p>System properties: {@code sluice.stress.runs} (default {@value #DEFAULT_RUNS}, 60-75 s on two
 * cores), {@code sluice.stress.seed} (default {@value #DEFAULT_SEED}), {@code sluice.stress.only}
 * (run indexes, comma-separated: replays just those runs of the seed), {@code
 * sluice.stress.bound.seconds} (watchdog bound per run, default {@value #DEFAULT_BOUND_SECONDS}).
 *
 * <pre>
 * mvn -B -o test -Dgroups=stress -DexcludedGroups=none -Dtest=StressMatrixTest \
 *     -Dsluice.stress.seed=20261126 -Dsluice.stress.only=17
 * </pre>
 */
@Tag("stress")
@Timeout(value = 30, unit = TimeUnit.MINUTES)
class StressMatrixTest {
  static final long DEFAULT_SEED = 20261126L;
  static final int DEFAULT_RUNS = 2000;
  static final long DEFAULT_BOUND_SECONDS = 30;

  /** Runs that may time out before the rest are skipped. */
  static final int MAX_TIMEOUTS = 3;

  /**
   * How long to wait for a timed-out run after the abort: the engine's stop bound (30 s by default)
   * plus slack.
   */
  private static final Duration AFTER_ABORT = Duration.ofSeconds(45);

  @TempDir Path tmp;

  /** What one run came to; counted in the summary line. */
  enum Verdict {
    SUCCEEDED,
    FAILED_AS_INJECTED,
    PROBLEM,
    TIMED_OUT
  }

  /** Threads of timed-out runs that were still alive: later runs' leak checks skip them. */
  private final Set<Thread> zombies = Collections.newSetFromMap(new IdentityHashMap<>());

  @Test
  void shouldWriteExactOutputsOrFailWithTheInjectedCauseAndLeaveNothingBehindInEverySampledRun()
      throws Exception {
    long seed = Long.getLong("sluice.stress.seed", DEFAULT_SEED);
    int runs = Integer.getInteger("sluice.stress.runs", DEFAULT_RUNS);
    long bound = Long.getLong("sluice.stress.bound.seconds", DEFAULT_BOUND_SECONDS);
    String only = System.getProperty("sluice.stress.only", "").trim();

    List<StressCombo> plan = StressCombo.plan(seed, runs);
    Map<String, Set<Object>> planned = StressCombo.coverage(plan);
    for (Map.Entry<String, List<?>> d : StressCombo.DIMENSIONS.entrySet()) {
      assertThat(planned.get(d.getKey()))
          .as("seed %d, %d runs: values of %s covered", seed, plan.size(), d.getKey())
          .containsExactlyElementsOf(d.getValue());
    }
    List<StressCombo> selected = only.isEmpty() ? plan : select(seed, only);

    Watchdog watchdog = new Watchdog(seed, Duration.ofSeconds(bound), AFTER_ABORT);
    Map<Verdict, Integer> verdicts = new EnumMap<>(Verdict.class);
    List<String> problems = new ArrayList<>();
    long yields = 0;
    long pauses = 0;
    long resizes = 0;
    long t0 = System.nanoTime();
    int executed = 0;
    for (StressCombo c : selected) {
      if (verdicts.getOrDefault(Verdict.TIMED_OUT, 0) >= MAX_TIMEOUTS) {
        // A hang that repeats is one bug; the reports so far say enough, and each costs a bound.
        problems.add(
            "gave up after "
                + MAX_TIMEOUTS
                + " timeouts: "
                + (selected.size() - executed)
                + " runs not executed");
        break;
      }
      Ran r = runOne(c, watchdog, problems);
      executed++;
      verdicts.merge(r.verdict, 1, Integer::sum);
      yields += r.yields;
      pauses += r.pauses;
      resizes += r.resizes;
    }
    double seconds = (System.nanoTime() - t0) / 1e9;

    List<StressCombo> ran = selected.subList(0, executed);
    long injected = ran.stream().filter(c -> c.failure != StressCombo.Failure.NONE).count();
    System.out.println(
        String.format(
            Locale.ROOT,
            "STRESS seed=%d runs=%d of %d%s succeeded=%d failures-injected=%d (as-injected=%d) problems=%d timeouts=%d"
                + " chaos-yields=%d chaos-pauses=%d auto-resizes=%d covered=%s time=%.1fs",
            seed,
            executed,
            selected.size(),
            only.isEmpty() ? "" : " (only " + only + ")",
            verdicts.getOrDefault(Verdict.SUCCEEDED, 0),
            injected,
            verdicts.getOrDefault(Verdict.FAILED_AS_INJECTED, 0),
            verdicts.getOrDefault(Verdict.PROBLEM, 0),
            verdicts.getOrDefault(Verdict.TIMED_OUT, 0),
            yields,
            pauses,
            resizes,
            StressCombo.coverage(ran),
            seconds));
    if (!problems.isEmpty()) {
      String all = String.join("\n\n", problems);
      throw new AssertionError(
          problems.size()
              + " problem(s) in "
              + executed
              + " stress runs (seed "
              + seed
              + "):\n\n"
              + all);
    }
  }

  private static List<StressCombo> select(long seed, String only) {
    List<StressCombo> out = new ArrayList<>();
    for (String s : only.split(",")) {
      out.add(StressCombo.of(seed, Integer.parseInt(s.trim())));
    }
    return out;
  }

  /** A run's verdict and how much chaos it saw. */
  private record Ran(Verdict verdict, long yields, long pauses, long resizes) {}

  private Ran runOne(StressCombo c, Watchdog watchdog, List<String> problems) throws Exception {
    EngineFixture fx = new EngineFixture(tmp.resolve("run-" + c.index));
    for (int f = 0; f < c.files(); f++) {
      List<String> lines = new ArrayList<>(c.records[f]);
      for (int r = 0; r < c.records[f]; r++) {
        lines.add(StressCombo.value(f, r));
      }
      fx.file(StressCombo.fileName(f), lines);
    }

    FakeFormat format = new FakeFormat(c.splits);
    Throwable injected = c.failure == StressCombo.Failure.NONE ? null : injected(c);
    AtomicBoolean fired = new AtomicBoolean();
    EngineHooks injector = EngineHooks.NONE;
    String victimValue =
        c.victimRecord < 0 ? null : StressCombo.value(c.victimFile, c.victimRecord);
    switch (c.failure) {
      case READER:
        format.onRecord =
            (split, r) -> {
              if (split.file().id() == c.victimFile
                  && r == c.victimRecord
                  && fired.compareAndSet(false, true)) {
                throw sneaky(injected);
              }
            };
        break;
      case WRITER_TAKE:
      case WRITER_COMMIT:
        EngineHooks.Point at =
            c.failure == StressCombo.Failure.WRITER_TAKE
                ? EngineHooks.Point.WRITER_TAKE
                : EngineHooks.Point.WRITER_COMMIT;
        // seq repeats in every split of a file: fire once, at whichever split gets there first.
        injector =
            (point, fileId, seq) -> {
              if (point == at
                  && fileId == c.victimFile
                  && (at == EngineHooks.Point.WRITER_COMMIT || seq == c.victimSeq)
                  && fired.compareAndSet(false, true)) {
                throw sneaky(injected);
              }
            };
        break;
      default:
        break;
    }
    // Every run has a step, so the chain is exercised; only a transformer run has a victim for it.
    Step step =
        (row, out) -> {
          if (c.swallowsInterrupts) {
            Thread
                .interrupted(); // what a step that catches and ignores InterruptedException leaves
          }
          if (victimValue != null
              && c.failure == StressCombo.Failure.TRANSFORMER
              && row.get(0).equals(victimValue)
              && fired.compareAndSet(false, true)) {
            throw sneaky(injected);
          }
          out.emit(row);
        };
    ChaosHooks chaos = new ChaosHooks(c.chaosSeed, injector);
    format.onOpen = (split, r) -> chaos.perturb();

    PipelineSpec.Builder b =
        fx.spec()
            .threads(c.readers, c.transformers, c.writers)
            .queueCapacity(c.queueCapacity)
            .batchSize(c.batchSize)
            .step(step);
    if (c.budget == StressCombo.Budget.ONE_BATCH) {
      b.maxInFlight(1);
    }
    // On Java 21+ every other run reads on virtual threads (the engine's reader mode there).
    boolean virtual = VirtualThreads.available() && c.index % 2 == 1;
    b.virtualReaders(virtual);
    if (c.sizing == StressCombo.Sizing.AUTO) {
      b.autoThreads().threadBudget(c.readers + c.transformers + 2);
    }
    DefaultPipeline pipeline = new DefaultPipeline(b.build(), format, format, chaos);
    if (c.sizing == StressCombo.Sizing.AUTO) {
      StressCombo.Rng moves = new StressCombo.Rng(StressCombo.mix(c.chaosSeed ^ 0x512E));
      AutoSizer.Move[] all = AutoSizer.Move.values();
      // Called under the sizer's lock, so the generator is used by one thread at a time. Half the
      // runs move at random; the other half use the real rules (with their retire-then-grow moves
      // and the nudge of a retired thread), judged on windows however short.
      AutoSizer.Policy policy =
          (c.chaosSeed & 1) == 0
              ? (r, t, readers, transformers) -> all[moves.nextInt(all.length)]
              : (r, t, readers, transformers) ->
                  java.util.Objects.requireNonNull(pipeline.sizer())
                      .decide(r, t, readers, transformers);
      pipeline.sizerInterval(Duration.ofMillis(1)).sizerPolicy(policy);
    }

    Watchdog.Outcome<RunResult> o =
        watchdog.run(c.index, c.toString(), pipeline::run, pipeline::abort);

    if (!o.timedOut() && pipeline.threads().stream().anyMatch(Thread::isAlive)) {
      problems.add(
          c + (virtual ? " (virtual readers)" : "") + ": a pipeline thread outlived run()");
    }
    if (o.timedOut()) {
      problems.add(o.timeoutReport);
      for (Thread t : Thread.getAllStackTraces().keySet()) {
        if (t.isAlive() && t.getName().startsWith("sluice-")) {
          zombies.add(t);
        }
      }
      return new Ran(Verdict.TIMED_OUT, chaos.yields.sum(), chaos.pauses.sum(), 0);
    }
    List<String> alive = aliveSluiceThreads(); // right after run() has returned or thrown
    AutoSizer sizer = pipeline.sizer();
    long resized = sizer == null ? 0 : sizer.resizes();
    SoftAssertions softly = new SoftAssertions();
    softly.assertThat(alive).as("sluice threads alive after run()").isEmpty();
    checkEnd(softly, pipeline, fx);
    if (injected == null) {
      checkSuccess(softly, c, o, fx);
    } else {
      checkFailure(softly, c, o, fx, injected, fired.get());
    }
    try {
      softly.assertAll();
    } catch (AssertionError e) {
      problems.add(
          "PROBLEM in "
              + c
              + "\nreplay: "
              + c.replay()
              + "\nfiles (until the test ends): "
              + fx.in.getParent()
              + "\n"
              + e.getMessage());
      return new Ran(Verdict.PROBLEM, chaos.yields.sum(), chaos.pauses.sum(), resized);
    }
    // Thousands of runs: keep only the trees of runs that went wrong (@TempDir removes those at the
    // end).
    PathUtils.deleteDirectory(fx.in.getParent());
    Verdict v = injected == null ? Verdict.SUCCEEDED : Verdict.FAILED_AS_INJECTED;
    return new Ran(v, chaos.yields.sum(), chaos.pauses.sum(), resized);
  }

  /** A distinct exception (or Error) per run, so that the cause can be checked by identity. */
  private static Throwable injected(StressCombo c) {
    String what = "injected by stress run " + c.index + ": " + c.failureText();
    if (c.thrown == StressCombo.Thrown.ERROR) {
      return new InjectedError(what);
    }
    return c.failure == StressCombo.Failure.TRANSFORMER
        ? new IllegalStateException(what)
        : new IOException(what);
  }

  /** An Error of the stress matrix's own, standing for an OutOfMemoryError and its kind. */
  static final class InjectedError extends Error {
    private static final long serialVersionUID = 1L;

    InjectedError(String message) {
      super(message);
    }
  }

  /** Throws {@code t} from a lambda that may only throw Exceptions (Errors need no declaring). */
  @SuppressWarnings("unchecked")
  private static <T extends Throwable> RuntimeException sneaky(Throwable t) throws T {
    throw (T) t;
  }

  private void checkEnd(SoftAssertions softly, DefaultPipeline pipeline, EngineFixture fx) {
    RunContext ctx = pipeline.context();
    softly.assertThat(ctx).as("run context").isNotNull();
    if (ctx != null) {
      for (int i = 0; i < ctx.pools.size(); i++) {
        PermitPool pool = ctx.pools.get(i);
        softly
            .assertThat(pool.available())
            .as("permits of reader %d's pool back", i + 1)
            .isEqualTo(pool.capacity());
      }
      for (int i = 0; i < ctx.files.size(); i++) {
        softly
            .assertThat(ctx.files.get(i).relativeName())
            .as("listing order of file %d", i)
            .isEqualTo(StressCombo.fileName(i));
      }
    }
    softly.check(fx::assertNoTempFiles);
  }

  private static void checkSuccess(
      SoftAssertions softly, StressCombo c, Watchdog.Outcome<RunResult> o, EngineFixture fx) {
    softly
        .assertThat(o.failure)
        .as("failure of a run without injection\n%s", stackTrace(o.failure))
        .isNull();
    RunResult r = o.value;
    if (r == null) {
      return;
    }
    softly.check(fx::assertOutputsMatchInputs);
    softly.assertThat(r.files()).as("files").isEqualTo(c.files());
    softly.assertThat(r.recordsRead()).as("records read").isEqualTo(c.totalRecords());
    softly
        .assertThat(r.recordsPassed() + r.recordsFiltered())
        .as("passed + filtered")
        .isEqualTo(r.recordsRead());
    softly.assertThat(r.recordsWritten()).as("records written").isEqualTo(c.totalRecords());
  }

  private static void checkFailure(
      SoftAssertions softly,
      StressCombo c,
      Watchdog.Outcome<RunResult> o,
      EngineFixture fx,
      Throwable injected,
      boolean fired) {
    softly.assertThat(fired).as("injection point reached").isTrue();
    softly.assertThat(o.value).as("result of a run that should have failed").isNull();
    softly
        .assertThat(o.failure)
        .as("thrown\n%s", stackTrace(o.failure))
        .isInstanceOf(PipelineException.class);
    if (o.failure instanceof PipelineException) {
      PipelineException e = (PipelineException) o.failure;
      softly
          .assertThat(e.getCause())
          .as("cause is the injected instance\n%s", stackTrace(e))
          .isSameAs(injected);
      softly.assertThat(e.stage()).as("stage").isEqualTo(stageOf(c.failure));
      softly.assertThat(e.file()).as("file").isEqualTo(StressCombo.fileName(c.victimFile));
    }
    String victim = StressCombo.fileName(c.victimFile);
    softly.assertThat(fx.out.resolve(victim)).as("output of the failed file").doesNotExist();
    // Files committed before the failure are complete: the rename comes only after the last byte.
    for (Map.Entry<String, List<String>> f : fx.expected.entrySet()) {
      Path out = fx.out.resolve(f.getKey());
      if (!f.getKey().equals(victim) && Files.exists(out)) {
        List<String> want = new ArrayList<>();
        if (!f.getValue().isEmpty()) {
          want.add("v"); // an empty input has no columns, so no header either
          want.addAll(f.getValue());
        }
        softly.check(
            () ->
                assertThat(Files.readAllLines(out, StandardCharsets.UTF_8))
                    .as("committed %s", f.getKey())
                    .isEqualTo(want));
      }
    }
  }

  private static Stage stageOf(StressCombo.Failure f) {
    switch (f) {
      case READER:
        return Stage.READER;
      case TRANSFORMER:
        return Stage.TRANSFORMER;
      case WRITER_TAKE:
      case WRITER_COMMIT:
        return Stage.WRITER;
      default:
        throw new AssertionError(f);
    }
  }

  /** {@link NoLeakedThreads#alive()}, minus the threads of runs that timed out earlier. */
  private List<String> aliveSluiceThreads() {
    if (zombies.isEmpty()) {
      return NoLeakedThreads.alive();
    }
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("sluice-") && !zombies.contains(t))
        .map(Thread::getName)
        .sorted()
        .collect(Collectors.toList());
  }

  private static String stackTrace(@Nullable Throwable t) {
    if (t == null) {
      return "";
    }
    StringWriter w = new StringWriter();
    t.printStackTrace(new PrintWriter(w));
    return w.toString();
  }
}
