package dev.sluice.beam;

import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunListener;
import dev.sluice.api.RunPlan;
import dev.sluice.api.RunResult;
import dev.sluice.api.SluiceException;
import dev.sluice.api.Stage;
import dev.sluice.api.Verdict;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.Split;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.fs.ObjectStores;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.UUID;
import org.apache.beam.sdk.Pipeline;
import org.apache.beam.sdk.PipelineResult;
import org.apache.beam.sdk.coders.KvCoder;
import org.apache.beam.sdk.coders.SerializableCoder;
import org.apache.beam.sdk.coders.StringUtf8Coder;
import org.apache.beam.sdk.metrics.MetricQueryResults;
import org.apache.beam.sdk.metrics.MetricResult;
import org.apache.beam.sdk.metrics.StringSetResult;
import org.apache.beam.sdk.options.PipelineOptions;
import org.apache.beam.sdk.options.PipelineOptionsFactory;
import org.apache.beam.sdk.transforms.Create;
import org.apache.beam.sdk.transforms.GroupByKey;
import org.apache.beam.sdk.transforms.ParDo;
import org.apache.beam.sdk.transforms.Reshuffle;
import org.apache.beam.sdk.values.KV;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs a Sluice job on Apache Beam, on any runner (Direct, Flink, Spark, Dataflow): the same {@link
 * PipelineSpec} as for the local engine, and byte-identical outputs.
 *
 * <pre>{@code
 * PipelineSpec spec = PipelineSpec.builder()
 *     .input(Path.of("/shared/in"))
 *     .output(Path.of("/shared/out"))
 *     .step(Steps.filter("status == SHIPPED"))
 *     .step(Steps.hash("email"))
 *     .build();
 * RunResult result = BeamEngine.run(spec, "--runner=FlinkRunner", "--flinkMaster=jm:8081");
 * System.out.println(result.summary());
 * }</pre>
 *
 * <p>How it works: {@link #plan} lists the input files on the launcher by the local engine's rules
 * and checks the planned outputs (an existing output without {@code overwrite(true)}, or two inputs
 * writing one output, is a {@link ConfigurationException} before anything runs). The Beam pipeline
 * has one element per input file; a worker processes it with {@code Sluice.processFile}, one file
 * per element, so every output keeps its input's record order and is committed by an atomic rename
 * (a retried element replaces the file with the same bytes). The counts come back as Beam metrics
 * and make up the {@link RunResult}.
 *
 * <p>A file that the local engine would cut into splits (see {@link
 * dev.sluice.api.Format#splitSize()}) is instead one element per split, planned on the launcher
 * with the local engine's own code so that the ranges are the same. Workers process the ranges in
 * parallel, each committing its formatted output and its rejects to hidden parts next to the file's
 * output ({@code .<name>.<run id>.part-00003.sluice-tmp}, the same names on a retry); a {@code
 * GroupByKey} on the file then gives one worker every range, and it joins the parts in order with
 * the local writer's code (one gzip stream for gzip output, reject lines made file lines), commits
 * the file by an atomic rename. The output and reject file are byte-identical to the local
 * engine's, and the file counts once. Error thresholds are checked on the file's totals at the join
 * (a count threshold that one range alone exceeds fails that range at once); the parts stay until
 * {@link #run()} deletes them at the end of the run (a retried join needs them).
 *
 * <p>URL inputs ({@link PipelineSpec#inputUrls()}) are elements too, named as the local engine
 * names them; a worker fetches its URL itself with the spec's {@link PipelineSpec#http() HTTP
 * options} (retries, timeouts, headers: they travel inside the pipeline, so treat a serialized
 * pipeline holding an {@code Authorization} header as the secret it is). As locally, a URL is
 * fetched again by every run. A custom TLS context cannot travel to the workers.
 *
 * <p>Differences from the local engine: a file that cannot be split (gzip, a URL, under the split
 * size) is processed by one worker; a percentage threshold is checked on a split file's total at
 * its join only, not while its records are read; inputs, output and reject directory must be on a
 * file system every worker sees under the same path (NFS, or a {@code java.nio} file-system
 * provider installed on the launcher and the workers); the run-wide {@code maxErrors} is checked
 * per file while running and on the total at the end (it cannot stop other workers early); {@code
 * timeout} needs a runner that runs asynchronously; there is no state directory (no resume, no
 * lock) and no reject listener. Thread counts, the thread factory and virtual readers are ignored:
 * each file is processed with one thread per stage, and the runner decides the parallelism. The
 * result has no stage statistics or progress samples.
 *
 * <p>Not thread-safe: plan and run from one thread; each instance runs once. The static {@code run}
 * methods are thread-safe.
 *
 * @since 0.1
 */
public final class BeamEngine {
  private static final Logger log = LoggerFactory.getLogger(BeamEngine.class);

  /** As many warning messages as the local engine keeps. */
  private static final int MAX_WARNING_MESSAGES = 20;

  private final PipelineSpec spec;
  private final Pipeline pipeline;
  private final List<String> files;
  private final List<String> listingWarnings;

  /** The first range of each file processed range by range: where to look for parts left. */
  private final List<FileRange> splitFiles;

  /** Names this run to the DoFns that run in this JVM, so that {@link #run()} can wait for them. */
  private final String runId;

  private boolean ran;

  private BeamEngine(
      PipelineSpec spec,
      Pipeline pipeline,
      List<String> files,
      List<String> listingWarnings,
      List<FileRange> splitFiles,
      String runId) {
    this.spec = spec;
    this.splitFiles = splitFiles;
    this.runId = runId;
    this.pipeline = pipeline;
    this.files = files;
    this.listingWarnings = listingWarnings;
  }

  /**
   * Checks {@code spec}, lists its inputs and builds the Beam pipeline, without running it.
   *
   * @throws ConfigurationException if the job cannot run on Beam: a step that cannot be serialized
   *     (the message names the step and the value that is not serializable), a missing input, an
   *     existing output without {@code overwrite(true)}, two inputs writing one output, a state
   *     directory, a reject listener, or URL inputs with a custom TLS context
   */
  public static BeamEngine plan(PipelineSpec spec, PipelineOptions options) {
    if (spec.stateDir() != null) {
      throw new ConfigurationException(
          "the Beam engine keeps no state directory (no resume, no lock): build the spec with stateDir(null)");
    }
    if (spec.rejectListener() != null) {
      throw new ConfigurationException(
          "a reject listener cannot run on Beam workers: remove it and read the reject files under "
              + spec.rejectDir());
    }
    if (!spec.inputUrls().isEmpty() && spec.http().sslContext() != null) {
      throw new ConfigurationException(
          "a custom TLS context (HttpOptions.sslContext) cannot be sent to Beam workers: leave it out and"
              + " give the workers' JVMs a trust store (-Djavax.net.ssl.trustStore=...)");
    }
    StepCheck.requireSerializable(spec.steps());
    Formats.input(spec.inputFormat()); // format errors now, not on a worker
    Formats.output(spec.outputFormat());
    // The local engine's own listing and output checks (conflicts, foreign files, links), so both
    // engines choose the same files and refuse the same jobs.
    RunPlan plan = Sluice.plan(spec);
    List<String> warnings = plan.warnings();

    List<KV<String, String>> elements = new ArrayList<>();
    List<KV<String, FileRange>> ranges = new ArrayList<>();
    List<FileRange> splitFiles = new ArrayList<>();
    List<String> names = new ArrayList<>();
    InputFormatProvider provider = Formats.input(spec.inputFormat());
    for (RunPlan.Entry f : plan.files()) {
      names.add(f.relativeName());
      // A URL keeps the name the local engine's listing gave it, so the outputs match.
      URI url = f.url();
      List<Split> splits = url != null ? List.of() : splits(provider, f);
      if (splits.size() > 1) {
        for (Split s : splits) {
          ranges.add(KV.of(f.relativeName(), FileRange.of(s)));
        }
        splitFiles.add(FileRange.of(splits.get(0)));
        continue;
      }
      elements.add(
          KV.of(f.relativeName(), url != null ? url.toString() : Locations.uri(f.input())));
    }
    String runId = UUID.randomUUID().toString();
    Pipeline p = Pipeline.create(options);
    p.apply(
            "ListInputs",
            Create.of(elements).withCoder(KvCoder.of(StringUtf8Coder.of(), StringUtf8Coder.of())))
        // Breaks fusion with the listing, so that runners spread the files over their workers.
        .apply("SpreadFiles", Reshuffle.viaRandomKey())
        .apply("ProcessFiles", ParDo.of(new ProcessFileFn(spec, runId)));
    if (!ranges.isEmpty()) {
      p.apply(
              "ListRanges",
              Create.of(ranges)
                  .withCoder(
                      KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(FileRange.class))))
          // As for files: the ranges of one file spread over the workers.
          .apply("SpreadRanges", Reshuffle.viaRandomKey())
          .apply("ProcessRanges", ParDo.of(new ProcessRangeFn(spec, runId)))
          .setCoder(KvCoder.of(StringUtf8Coder.of(), SerializableCoder.of(RangeDone.class)))
          // Every range of a file, on one worker, once they are all done.
          .apply("GatherRanges", GroupByKey.create())
          .apply("JoinRanges", ParDo.of(new JoinRangesFn(spec, runId)));
    }
    return new BeamEngine(
        spec, p, List.copyOf(names), List.copyOf(warnings), List.copyOf(splitFiles), runId);
  }

  /**
   * The ranges the local engine would cut file {@code f} into ({@code InputFormatProvider.plan}, as
   * its split feed does), or none when planning fails: the file then goes whole to a worker, whose
   * reader reports the problem with the file's name, as locally.
   */
  private static List<Split> splits(InputFormatProvider provider, RunPlan.Entry f) {
    try {
      return provider.plan(new InputFile(0, f.input(), f.relativeName(), Files.size(f.input())));
    } catch (IOException | RuntimeException e) {
      log.debug(
          "cannot plan the ranges of {}, processing it whole: {}", f.relativeName(), e.toString());
      return List.of();
    }
  }

  /**
   * Plans and runs {@code spec} with the given Beam options, and waits for the end.
   *
   * @throws ConfigurationException if the job cannot run on Beam (see {@link #plan})
   * @throws PipelineException if the run failed; a failure of Sluice's own code on a worker is
   *     rethrown as it was thrown there (with its file, line and record) when the runner passes
   *     exceptions back, as the Direct runner does
   */
  public static RunResult run(PipelineSpec spec, PipelineOptions options) {
    return plan(spec, options).run();
  }

  /**
   * Like {@link #run(PipelineSpec, PipelineOptions)}, with Beam options given as command-line
   * arguments such as {@code --runner=FlinkRunner}; the runner must be on the class path (without
   * {@code --runner}, Beam uses the Direct runner if it is there).
   *
   * @throws ConfigurationException if Beam rejects the arguments, or as for {@link #plan}
   */
  public static RunResult run(PipelineSpec spec, String... beamArgs) {
    PipelineOptions options;
    try {
      options = PipelineOptionsFactory.fromArgs(beamArgs).withValidation().create();
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigurationException("bad Beam options: " + e.getMessage(), e);
    }
    return run(spec, options);
  }

  /** The Beam pipeline, to inspect or extend before {@link #run()}. */
  public Pipeline pipeline() {
    return pipeline;
  }

  /**
   * The input files' relative names, in listing order (one pipeline element each, or one per range
   * for a file larger than the split size).
   */
  public List<String> files() {
    return files;
  }

  /** Test access: the number of ranges of each file processed range by range. */
  Map<String, Integer> ranges() {
    Map<String, Integer> m = new java.util.LinkedHashMap<>();
    splitFiles.forEach(f -> m.put(f.relativeName, f.count));
    return m;
  }

  /**
   * Runs the pipeline and waits for the end. Calls the spec's listeners' {@link
   * RunListener#onFinish} with the result (never {@code onProgress}).
   *
   * <p>When it returns or throws, no file of the run is still being processed in this JVM (as with
   * the Direct runner): after a failure or a timeout, the files still running are interrupted (they
   * fail and delete their temp files, as locally) and waited for up to {@code stopTimeout}; files
   * the runner would start later are refused. Workers in other processes are stopped by their
   * runner's own cancellation.
   *
   * @throws PipelineException if the run failed or exceeded {@code maxErrors}
   * @throws IllegalStateException if this plan already ran
   */
  public RunResult run() {
    if (ran) {
      throw new IllegalStateException("run() was already called: plan the job again");
    }
    ran = true;
    long t0 = System.nanoTime();
    try {
      // As locally: the output directory exists after a run, even one with no input file.
      if (!ObjectStores.isObjectStore(spec.output())) {
        Files.createDirectories(spec.output()); // a prefix needs no making
      }
    } catch (IOException e) {
      throw ApiAccess.pipelineException(
          Stage.WRITER,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "cannot create output directory " + spec.output(),
          e);
    }
    InProcessWorkers.Run workers = InProcessWorkers.open(runId);
    PipelineResult r;
    try {
      r = pipeline.run();
      waitFor(r);
    } catch (RuntimeException e) {
      // The Direct runner throws at the first failed file while others are still being processed.
      SluiceException failure = e instanceof SluiceException ? (SluiceException) e : unwrap(e);
      stopWorkers(workers, failure);
      deleteParts(failure);
      throw failure;
    } catch (Error e) {
      stopWorkers(workers, e);
      deleteParts(e);
      throw e;
    }
    // The pipeline is DONE, so every file has been processed: this only closes the run.
    stopWorkers(workers, null);
    deleteParts(null); // the joins leave their parts, for a retried join: the run is over now
    RunResult result = result(r.metrics().allMetrics(), Duration.ofNanos(System.nanoTime() - t0));
    if (spec.maxErrors().exceeded(result.recordsRejected(), result.recordsRead(), true)) {
      PipelineException tooMany =
          ApiAccess.pipelineException(
              Stage.COORDINATOR,
              null,
              -1,
              -1,
              Thread.currentThread().getName(),
              String.format(
                  Locale.ROOT,
                  "too many rejected records: %,d of %,d read exceed --max-errors %s",
                  result.recordsRejected(),
                  result.recordsRead(),
                  spec.maxErrors()),
              null);
      finished(result);
      throw ApiAccess.withResult(tooMany, result);
    }
    finished(result);
    return result;
  }

  private void waitFor(PipelineResult r) {
    Duration timeout = spec.timeout();
    PipelineResult.State state =
        timeout == null
            ? r.waitUntilFinish()
            : r.waitUntilFinish(org.joda.time.Duration.millis(timeout.toMillis()));
    if (state == null || !state.isTerminal()) {
      try {
        r.cancel();
      } catch (IOException | RuntimeException e) {
        // The timeout is what the caller must hear about; a failed cancel rides along.
        throw failure("run timed out after " + timeout + " and could not be cancelled", e);
      }
      throw failure("run timed out after " + timeout + "; the Beam pipeline was cancelled", null);
    }
    if (state != PipelineResult.State.DONE) {
      throw failure("the Beam pipeline ended in state " + state, null);
    }
  }

  /**
   * Closes the run to the workers in this JVM and waits for the files they are still processing,
   * interrupting them first if the run failed. Workers that do not stop within {@code stopTimeout}
   * (user code that ignores interrupts) are reported: added to {@code failure}, or thrown.
   */
  private void stopWorkers(InProcessWorkers.Run workers, @Nullable Throwable failure) {
    PipelineException notStopped;
    try {
      List<String> left = workers.close(failure != null, spec.stopTimeout());
      if (left.isEmpty()) {
        return;
      }
      notStopped =
          failure(
              "Beam workers in this JVM still processing files "
                  + spec.stopTimeout()
                  + " after the run ended (a step that ignores interrupts?): "
                  + left,
              null);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      notStopped = failure("interrupted while waiting for the Beam workers in this JVM to stop", e);
    } catch (IllegalStateException e) {
      notStopped = failure("cannot stop the HTTP clients of the Beam workers in this JVM", e);
    }
    if (failure == null) {
      throw notStopped;
    }
    failure.addSuppressed(notStopped);
  }

  /**
   * Deletes the parts of the ranges of large files still there once the workers in this JVM have
   * stopped: after a failure, those of the ranges that finished before it (or of a join that
   * failed). Parts that cannot be deleted are added to {@code failure}, or thrown.
   */
  private void deleteParts(@Nullable Throwable failure) {
    PipelineException notDeleted = null;
    OutputFormatProvider output = Formats.output(spec.outputFormat());
    for (FileRange f : splitFiles) {
      try {
        LocalEngine.deleteRangeParts(spec, output, f.file(), f.count, runId);
      } catch (IOException e) {
        if (notDeleted == null) {
          notDeleted =
              ApiAccess.pipelineException(
                  Stage.COORDINATOR,
                  f.relativeName,
                  -1,
                  -1,
                  Thread.currentThread().getName(),
                  "cannot delete the parts of the ranges of " + f.relativeName,
                  e);
        } else {
          notDeleted.addSuppressed(e);
        }
      }
    }
    if (notDeleted == null) {
      return;
    }
    if (failure == null) {
      throw notDeleted;
    }
    failure.addSuppressed(notDeleted);
  }

  private void finished(RunResult result) {
    for (RunListener l : spec.listeners()) {
      try {
        l.onFinish(result);
      } catch (RuntimeException e) {
        // A listener's failure must not turn a finished run into a failed one (as locally).
        log.warn("a run listener failed: {}", e.toString());
      }
    }
  }

  /**
   * The Sluice exception a worker threw, found in Beam's wrapping (the Direct runner passes the
   * original exception as the cause); otherwise a {@link PipelineException} wrapping Beam's.
   */
  static SluiceException unwrap(RuntimeException e) {
    int depth = 0;
    for (Throwable t = e; t != null && depth++ < 32; t = t.getCause()) {
      if (t instanceof SluiceException) {
        return (SluiceException) t;
      }
    }
    Throwable cause =
        e instanceof Pipeline.PipelineExecutionException && e.getCause() != null ? e.getCause() : e;
    return failure("the Beam pipeline failed", cause);
  }

  private static PipelineException failure(String what, @Nullable Throwable cause) {
    return ApiAccess.pipelineException(
        Stage.COORDINATOR, null, -1, -1, Thread.currentThread().getName(), what, cause);
  }

  private RunResult result(MetricQueryResults metrics, Duration elapsed) {
    Map<String, Long> counters = new HashMap<>();
    for (MetricResult<Long> c : metrics.getCounters()) {
      if (c.getName().getNamespace().equals(ProcessFileFn.NAMESPACE)) {
        // Committed values leave out attempts that failed and were retried; not every runner has
        // them.
        Long v = c.hasCommitted() ? c.getCommitted() : c.getAttempted();
        counters.merge(c.getName().getName(), v == null ? 0L : v, Long::sum);
      }
    }
    TreeSet<String> rejectFiles = new TreeSet<>();
    TreeSet<String> warningMessages = new TreeSet<>();
    for (MetricResult<StringSetResult> s : metrics.getStringSets()) {
      if (!s.getName().getNamespace().equals(ProcessFileFn.NAMESPACE)) {
        continue;
      }
      StringSetResult v = s.hasCommitted() ? s.getCommitted() : s.getAttempted();
      if (v == null) {
        continue;
      }
      if (s.getName().getName().equals(ProcessFileFn.REJECT_FILES)) {
        rejectFiles.addAll(v.getStringSet());
      } else if (s.getName().getName().equals(ProcessFileFn.WARNING_MESSAGES)) {
        warningMessages.addAll(v.getStringSet());
      }
    }
    Map<ErrorType, Long> byType = new EnumMap<>(ErrorType.class);
    for (ErrorType t : ErrorType.values()) {
      long n = counters.getOrDefault(ProcessFileFn.REJECTS_PREFIX + t.name(), 0L);
      if (n > 0) {
        byType.put(t, n);
      }
    }
    List<String> firstWarnings = new ArrayList<>(listingWarnings);
    warningMessages.stream()
        .limit(Math.max(0, MAX_WARNING_MESSAGES - firstWarnings.size()))
        .forEach(firstWarnings::add);
    List<Path> rejectPaths = new ArrayList<>();
    for (String uri : rejectFiles) {
      rejectPaths.add(Path.of(URI.create(uri)));
    }
    return RunResult.builder()
        .files(counters.getOrDefault(ProcessFileFn.FILES, 0L))
        .filesFailed(counters.getOrDefault(ProcessFileFn.FILES_FAILED, 0L))
        .filesSkipped(0)
        .recordsRead(counters.getOrDefault(ProcessFileFn.RECORDS_READ, 0L))
        .recordsPassed(counters.getOrDefault(ProcessFileFn.RECORDS_PASSED, 0L))
        .recordsFiltered(counters.getOrDefault(ProcessFileFn.RECORDS_FILTERED, 0L))
        .recordsRejected(counters.getOrDefault(ProcessFileFn.RECORDS_REJECTED, 0L))
        .recordsAbandoned(0)
        .recordsWritten(counters.getOrDefault(ProcessFileFn.RECORDS_WRITTEN, 0L))
        .bytesRead(counters.getOrDefault(ProcessFileFn.BYTES_READ, 0L))
        .bytesWritten(counters.getOrDefault(ProcessFileFn.BYTES_WRITTEN, 0L))
        .warnings(counters.getOrDefault(ProcessFileFn.WARNINGS, 0L) + listingWarnings.size())
        .firstWarnings(firstWarnings)
        .rejectsByType(byType)
        .rejectFiles(rejectPaths)
        .stages(List.of())
        .verdict(new Verdict(null, "not measured on Beam", 1, 1, 1))
        .samples(List.of())
        .elapsed(elapsed)
        .readers(1)
        .transformers(1)
        .writers(1)
        .runner(RunnerInfo.of(pipeline.getOptions()))
        .build();
  }
}
