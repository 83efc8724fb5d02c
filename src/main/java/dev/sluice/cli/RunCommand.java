package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.Format;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunPlan;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.internal.config.BadValue;
import dev.sluice.internal.config.ColumnMatch;
import dev.sluice.internal.config.ErrorSection;
import dev.sluice.internal.config.HttpSection;
import dev.sluice.internal.config.InputSection;
import dev.sluice.internal.config.JobConfig;
import dev.sluice.internal.config.JobReader;
import dev.sluice.internal.config.OutputSection;
import dev.sluice.internal.config.SizingSection;
import dev.sluice.internal.config.StateSection;
import dev.sluice.internal.config.Values;
import dev.sluice.internal.report.HtmlReport;
import dev.sluice.internal.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.ParseResult;

/**
 * {@code sluice run}: maps the options, laid over a job file when {@code --job} names one ({@link
 * JobDefinition#overriddenBy}), to a {@link PipelineSpec} ({@link #toSpec()}), runs it on the local
 * engine, prints the summary, and maps the outcome to an exit code. Steps are applied in the order
 * their options appear on the command line: picocli calls the annotated setter methods in that
 * order, and each setter appends to {@link #stepOptions}. Around the run it logs the start and the
 * end with counts (every line with the run id), one line per file with rejects, and writes the
 * metrics file, whether the run succeeded or not.
 *
 * <p>Not thread-safe: one instance per parsed command line.
 */
@Command(
    name = "run",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    customSynopsis = "sluice run [OPTIONS] --output=DIR [--input=PATH]... [PATH]...",
    description = {
      "Reads the input files, applies the steps in the order given on the command line, and"
          + " writes one output file per input file under --output, mirroring the input paths.",
      "Gzip input is detected automatically. Output files appear complete or not at all."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {
      ExitCodes.OK_TEXT,
      ExitCodes.FAILED_TEXT,
      ExitCodes.USAGE_TEXT,
      ExitCodes.REJECTS_TEXT,
      ExitCodes.LOCKED_TEXT,
      ExitCodes.INTERRUPTED_TEXT,
      ExitCodes.TERMINATED_TEXT
    },
    footerHeading = "%nExamples:%n",
    footer = {
      "  sluice run --input 'in/**/*.csv' --output out \\",
      "      --filter 'status == SHIPPED' --filter 'amount > 100' \\",
      "      --select order_id,customer_name,email,country,amount \\",
      "      --upper country --lower email --hash email --overwrite",
      "",
      "  sluice run --job sample-data/jobs/demo.job        (the ./run.sh demo as a job file)",
      "",
      "  sluice run --job /etc/sluice/nightly.job --quiet --wait-lock 30m \\",
      "      --metrics-file /var/lib/node_exporter/textfile_collector/sluice-nightly.prom \\",
      "      --log-file /var/log/sluice/nightly.log       (from cron: see docs/CRON.md)"
    })
class RunCommand implements Callable<Integer>, HasCommonOptions {
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  @ParentCommand @Nullable Main main;

  @Mixin CommonOptions common = new CommonOptions();

  // ---- inputs and outputs

  @Option(
      names = "--report",
      paramLabel = "FILE",
      order = 4,
      description = "Also write a JSON report of the run (or of its failure) to FILE.")
  @Nullable String report;

  @Option(
      names = "--job",
      paramLabel = "FILE",
      order = 0,
      description = {
        "Read the job from FILE (JSON, see docs/JOB-FILE.md); relative paths in it resolve against"
            + " its directory. Options given here override it: each option replaces the file's"
            + " setting; any step option replaces all of the file's steps; any input replaces all"
            + " of the file's inputs."
      })
  @Nullable String job;

  @Option(
      names = "--job-name",
      paramLabel = "NAME",
      order = 5,
      description =
          "The job's name in logs and metrics (default: the job file's name, else the output"
              + " directory's name).")
  @Nullable String jobName;

  @Option(
      names = "--metrics-file",
      paramLabel = "PATH",
      order = 6,
      description =
          "Write the run's metrics in the Prometheus text format to PATH, replaced atomically after"
              + " every run, failed or not (e.g. into node_exporter's textfile directory).")
  @Nullable String metricsFile;

  // ---- state: resume, lock, timeout

  // ---- formats

  // ---- the sections of a job: each a mixin that is also the section's job file object

  @Mixin InputSection input = new InputSection();

  @Mixin OutputSection outputs = new OutputSection();

  @Mixin StepOptions steps = new StepOptions();

  @Mixin SizingSection sizing = new SizingSection();

  @Mixin StateSection state = new StateSection();

  @Mixin HttpSection http = new HttpSection();

  @Option(
      names = "--hash-key-file",
      paramLabel = "FILE",
      order = 30,
      description =
          "Make --hash a keyed HMAC-SHA256 with the key in FILE (raw bytes, at least 32 random"
              + " bytes), a job file's hash steps too (a job file names its own with hashKeyFile)."
              + " A plain SHA-256 of an e-mail address can be reversed by hashing a list of"
              + " known addresses; without the key it cannot.")
  @Nullable String hashKeyFile;

  @Option(
      names = "--merge-output",
      paramLabel = "FILE",
      order = 68,
      description =
          "Write all inputs into one FILE: one header, columns matched by name (--column-match),"
              + " records in listing order then input order, committed atomically at the end"
              + " (gzipped with --gzip-output). Each input's part is kept in .FILE.parts/ with"
              + " the usual manifest, so a rerun redoes only what is missing.")
  @Nullable String mergeOutput;

  @Option(
      names = "--partition-by",
      paramLabel = "COLUMN",
      order = 68,
      description =
          "One output file per distinct value of COLUMN: DIR/COLUMN=VALUE/part.csv, records in"
              + " listing order then input order, columns matched by name (--column-match), every"
              + " file committed at the end (CSV and TSV output). VALUE is made safe (/, \\, control"
              + " characters become _; empty is __empty__; values that clash or are too long get a"
              + " hash suffix). Partitions of values that no longer occur are removed. Each input's"
              + " part is kept in DIR/.parts/ with its manifest.")
  @Nullable String partitionBy;

  @Option(
      names = "--limit",
      paramLabel = "N",
      order = 70,
      description = "Process only the first N records of each file (to try a job).")
  @Nullable Long limit;

  @Option(
      names = "--dry-run",
      order = 71,
      description =
          "List what would be processed, skipped (done by an earlier run) and written; write nothing.")
  boolean dryRun;

  @Option(
      names = "--html-report",
      paramLabel = "FILE",
      order = 74,
      description =
          "Also write a self-contained HTML report: verdict, stage table, charts of throughput,"
              + " queue fill and stage utilisation over time.")
  @Nullable String htmlReport;

  @Option(
      names = "--progress",
      order = 75,
      negatable = true,
      description =
          "Live progress on stderr (files, records/s, MB/s, ETA, queue and budget fill); on by"
              + " default when stderr is a terminal and not --quiet.")
  @Nullable Boolean progress;

  @Option(
      names = "--engine",
      paramLabel = "ENGINE",
      order = 76,
      description =
          "local (default: threads on this machine) or beam (Apache Beam; needs the Beam bundle,"
              + " see docs/BEAM.md).")
  String engine = "local";

  @Option(
      names = "--runner",
      paramLabel = "NAME",
      order = 77,
      description =
          "With --engine beam: the Beam runner, e.g. FlinkRunner, SparkRunner, DirectRunner."
              + " Other options Sluice does not know (--name=value) go to Beam too.")
  @Nullable String runner;

  /** This command as picocli sees it: its option names for the did-you-mean of an unknown one. */
  @picocli.CommandLine.Spec picocli.CommandLine.Model.@Nullable CommandSpec commandSpec;

  /**
   * Options for Beam ({@code --name=value}), which Sluice does not know; only with --engine beam.
   */
  @picocli.CommandLine.Unmatched List<String> beamArgs = new ArrayList<>();

  @Mixin ErrorSection errors = new ErrorSection();

  @Override
  public CommonOptions common() {
    return common;
  }

  /**
   * {@code --input -} / {@code --output -}: the temporary directory, removed when the command ends.
   */
  private @Nullable StreamSpool spool;

  /** {@code --output -}: the outputs go to standard output. */
  private static final Path STDOUT = Path.of("-");

  /** Whether the outputs go to standard output ({@code --output -}). */
  private boolean toStdout;

  /** Held from before the run until the merged file or the partition tree is committed. */
  private @Nullable JoinLock joinLock;

  @Override
  public Integer call() throws IOException {
    long start = System.nanoTime();
    JobConfig config = null;
    RejectSummary rejects = new RejectSummary();
    try {
      ParseResult parsed = parseResult();
      if (parsed != null && !parsed.errors().isEmpty()) {
        // Collected rather than thrown by picocli (see Main): reported from here, metrics written.
        Exception first = parsed.errors().get(0);
        throw first instanceof RuntimeException
            ? (RuntimeException) first
            : new UsageException(String.valueOf(first.getMessage()));
      }
      common.apply();
      streams();
      Path merged = mergeTarget();
      Path partitionRoot = partitionRoot();
      if (checkOnly() && outputs.dir() == null && job == null) {
        outputs.dir(Path.of(".sluice-check")); // never created: checking writes nothing
      }
      config = config();
      PipelineSpec spec = toSpec(config);
      boolean beam = engine(); // also refuses unknown options
      ColumnMatch match = columnMatch(config, spec, merged, partitionRoot);
      warnUnusedHashKey(config, spec);
      if (checkOnly()) {
        return check(spec, rejects);
      }
      if (dryRun) {
        return dryRun(beam ? spec.toBuilder().stateDir(null).build() : spec);
      }
      if (merged != null || partitionRoot != null) {
        lockJoin(spec, merged, partitionRoot);
      }
      RunPlan joinPlan =
          toStdout || merged != null || partitionRoot != null ? Parts.plan(spec) : null;
      if (joinPlan != null && (merged != null || partitionRoot != null)) {
        // Inputs moved by an interrupted run of this join are no longer listed, but still joined.
        joinPlan = JoinJournal.begin(spec.output().toAbsolutePath().normalize(), joinPlan);
      }
      String name = jobName(config);
      logStart(name, config, spec);
      PipelineSpec.Builder run = spec.toBuilder().rejectListener(rejects);
      RunResult result;
      if (beam) {
        // Beam workers write the reject files; a listener would only run on the launcher.
        result = executeOnBeam(spec.toBuilder().stateDir(null).build());
      } else {
        run.threadFactory(CliLogging.mdcThreadFactory());
        if (progress != null ? progress : !common.quiet && Terminal.stderrIsTerminal()) {
          run.listener(new ProgressLine(err()));
        }
        result = execute(run.build());
      }
      rejects.log();
      // Each join reads every part's header first: a column mismatch fails before anything is
      // written.
      if (toStdout) {
        Parts.of(joinPlan, spec, match, "--output -").copyTo(System.out);
      }
      if (merged != null) {
        MergedOutput.write(Parts.of(joinPlan, spec, match, "--merge-output"), merged);
      }
      if (partitionRoot != null) {
        Parts parts = Parts.of(joinPlan, spec, match, "--partition-by");
        int n =
            new Partitions(
                    partitionRoot, headerName(spec, partitionBy.strip()), spec.outputFormat())
                .write(parts);
        log.info("partitions written: {} under {}", n, partitionRoot);
      }
      if (merged != null || partitionRoot != null) {
        JoinJournal.finish(spec.output().toAbsolutePath().normalize());
      }
      closeResources(); // before success is reported: the spooled raw input must be gone
      if (report != null) {
        JsonReport.write(result, Path.of(report));
      }
      if (htmlReport != null) {
        HtmlReport.write(result, Path.of(htmlReport));
      }
      int code =
          result.recordsRejected() > 0 || result.filesFailed() > 0
              ? ExitCodes.REJECTS
              : ExitCodes.OK;
      for (String w : result.firstWarnings()) {
        log.warn("warning: {}", Main.oneLine(w));
      }
      if (!common.quiet) {
        // With --output - the data goes to stdout, so the summary goes to stderr.
        PrintWriter out = toStdout ? err() : out();
        out.println(
            "sluice: done, output in "
                + (toStdout
                    ? "standard output"
                    : merged != null
                        ? merged
                        : partitionRoot != null ? partitionRoot : spec.output()));
        out.println(result.summary());
        out.println("run: " + runId() + ", job: " + name);
        out.flush();
      }
      log.info("run finished (exit {}): {}", code, counts(result));
      writeMetrics(name, start, code, result);
      return code;
    } catch (RuntimeException | IOException e) {
      closeAfter(e);
      int code = ExitCodes.of(e);
      RunResult partial = partialResult(e);
      rejects.log();
      // The command prints the one-line error on stderr itself: this line is for the log file.
      log.error(
          CliLogging.NOT_ON_STDERR, "run failed (exit {}): {}", code, Main.oneLine(e.getMessage()));
      if (partial != null) {
        log.info("before the failure: {}", counts(partial));
      }
      writeFailureReport(e);
      writeMetrics(jobName(config), start, code, partial);
      throw e;
    } finally {
      closeAfter(null); // an Error on the way out: still nothing left behind
    }
  }

  /**
   * Releases the join lock and removes the spooled files; throws if the files cannot be removed.
   */
  private void closeResources() throws IOException {
    JoinLock l = joinLock;
    joinLock = null;
    StreamSpool s = spool;
    spool = null;
    try {
      if (l != null) {
        l.close();
      }
    } finally {
      if (s != null) {
        s.close();
      }
    }
  }

  /**
   * {@link #closeResources} after {@code failure} (or an Error, when null): adds, never replaces.
   */
  private void closeAfter(@Nullable Throwable failure) {
    try {
      closeResources();
    } catch (IOException | RuntimeException e) {
      if (failure != null) {
        failure.addSuppressed(e);
      }
      log.error("{}", Main.describe(e));
    }
  }

  /**
   * The effective {@code --column-match} (or {@code output.columnMatch}), refused where nothing is
   * joined or the output has no columns to match; strict by default.
   */
  private ColumnMatch columnMatch(
      JobConfig config, PipelineSpec spec, @Nullable Path merged, @Nullable Path partitionRoot) {
    ColumnMatch m = config.output().columnMatchGiven() ? config.output().columnMatch() : null;
    String given =
        outputs.columnMatchGiven() ? "--column-match" : "output.columnMatch in the job file";
    if (m != null && merged == null && partitionRoot == null && !toStdout) {
      throw new UsageException(
          given
              + " joins the inputs' columns into one output: use it with --merge-output FILE,"
              + " --partition-by COLUMN or --output - (each input has its own output file here)");
    }
    if (m != null && !Parts.hasColumns(spec.outputFormat())) {
      throw new UsageException(
          given
              + " needs CSV or TSV output: "
              + (spec.outputFormat().kind() == Format.Kind.JSONL
                  ? "JSON Lines records name their own keys, so their files are joined as they are"
                  : "lines have no columns")
              + "; leave it out");
    }
    if (partitionRoot != null && !Parts.hasColumns(spec.outputFormat())) {
      throw new UsageException(
          "--partition-by works with CSV or TSV output (got "
              + spec.outputFormat().kind().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    return m != null ? m : ColumnMatch.STRICT;
  }

  /**
   * A hash key without any hash step keys nothing: say so (a job's steps may have been replaced).
   */
  private void warnUnusedHashKey(JobConfig config, PipelineSpec spec) {
    Path key = config.hashKeyFile();
    if (key != null && spec.steps().stream().noneMatch(s -> s.describe().startsWith("hmac("))) {
      log.warn(
          "the hash key {} is not used: the job has no hash step",
          key.toAbsolutePath().normalize());
    }
  }

  /**
   * Takes the {@link JoinLock} of a merged file or partition tree, then removes the temporary files
   * a killed join left there (only a lock holder may: another run's are in use).
   */
  private void lockJoin(PipelineSpec spec, @Nullable Path merged, @Nullable Path partitionRoot)
      throws IOException {
    Path parts = spec.output().toAbsolutePath().normalize();
    Files.createDirectories(parts);
    String what =
        merged != null ? "the merged file " + merged : "the partitions under " + partitionRoot;
    joinLock = JoinLock.acquire(parts.resolve(JoinLock.FILE), spec.waitLock(), what);
    int n =
        merged != null
            ? MergedOutput.removeOrphans(merged)
            : Partitions.removeOrphans(partitionRoot, parts);
    if (n > 0) {
      log.info("removed {} temporary file(s) an interrupted run left for {}", n, what);
    }
  }

  private void logStart(String name, JobConfig config, PipelineSpec spec) {
    if (!log.isInfoEnabled()) {
      return;
    }
    Path file = config.source();
    log.info(
        "run {} started: job {}{}, inputs {}, output {}, state {}",
        runId(),
        name,
        file != null ? " (" + file + ")" : "",
        spec.inputs(),
        spec.output(),
        spec.stateDir() != null ? spec.stateDir() : "none");
    if (main != null && main.installShutdownHook) {
      log.info("stop signals told apart: {}", Signals.installed());
    }
    log.info("job: {}", spec);
    for (Step s : spec.steps()) {
      log.info("step: {}", s.describe());
    }
  }

  private static String counts(RunResult r) {
    return String.format(
        Locale.ROOT,
        "files %d ok, %d failed, %d skipped; records %d read, %d passed, %d filtered, %d rejected,"
            + " %d abandoned, %d written; bytes %d read, %d written; %.3f s",
        r.files(),
        r.filesFailed(),
        r.filesSkipped(),
        r.recordsRead(),
        r.recordsPassed(),
        r.recordsFiltered(),
        r.recordsRejected(),
        r.recordsAbandoned(),
        r.recordsWritten(),
        r.bytesRead(),
        r.bytesWritten(),
        r.elapsed().toNanos() / 1e9);
  }

  /** What a failed run did before it failed, when the engine said. */
  private static @Nullable RunResult partialResult(Throwable e) {
    Throwable t = e instanceof InterruptedRunException ? e.getCause() : e;
    return t instanceof PipelineException ? ((PipelineException) t).result() : null;
  }

  private RunResult execute(PipelineSpec spec) {
    Main m = main;
    Pipeline pipeline = m != null ? m.pipelines.create(spec) : Sluice.pipeline(spec);
    ShutdownGuard guard = null;
    if (m != null && m.installShutdownHook) {
      guard = ShutdownGuard.install(pipeline, m.runId);
      m.guard = guard; // Main.run releases it after the last output line
      if (spool != null) {
        spool.running(); // a signal now stops the run first; the command then removes the spool
      }
    }
    try (pipeline) {
      return pipeline.run();
    } catch (RuntimeException e) {
      if (guard != null && guard.triggered()) {
        int code = Signals.exitCode();
        throw new InterruptedRunException(
            (code == ExitCodes.INTERRUPTED ? "interrupted" : "terminated")
                + " by "
                + Signals.describe()
                + ": the run was stopped; no partial output is kept, files finished before stay"
                + " recorded for the next run",
            code,
            e);
      }
      throw e;
    }
  }

  private void writeMetrics(String job, long startNanos, int code, @Nullable RunResult result) {
    if (metricsFile == null) {
      return;
    }
    Path file;
    try {
      file = Path.of(metricsFile);
    } catch (InvalidPathException e) {
      log.error("--metrics-file: invalid path '{}': {}", metricsFile, e.getReason());
      return;
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - startNanos);
    try {
      MetricsFile.write(file, new MetricsFile.Run(job, Instant.now(), elapsed, code, result));
    } catch (IOException | RuntimeException e) {
      // The run's own outcome stands; monitoring will see a stale file. ERROR shows even with -q.
      log.error("cannot write the metrics file {}: {}", metricsFile, Main.describe(e));
    }
  }

  private String runId() {
    return main != null ? main.runId : CliLogging.runId();
  }

  /**
   * The job's name for logs and metrics: {@code --job-name}, else the job file's name, else the
   * output directory's name.
   */
  String jobName(@Nullable JobConfig config) {
    if (jobName != null && !jobName.isBlank()) {
      return jobName.strip();
    }
    String named = config != null ? config.name() : null;
    if (named != null) {
      return named;
    }
    if (job != null) {
      String n = Path.of(job).getFileName().toString();
      int dot = n.lastIndexOf('.');
      return dot > 0 ? n.substring(0, dot) : n;
    }
    Path out = config != null ? config.output().dir() : outputs.dir();
    if (out != null) {
      Path name = out.toAbsolutePath().normalize().getFileName();
      if (name != null) {
        return name.toString();
      }
    }
    return "sluice";
  }

  private void writeFailureReport(Exception failure) {
    try {
      if (report != null) {
        JsonReport.writeFailure(failure, Path.of(report));
      }
      if (htmlReport != null) {
        HtmlReport.writeFailure(failure, Path.of(htmlReport));
      }
    } catch (IOException | RuntimeException e) {
      // The run's own failure is what the user must see; the report is secondary.
      log.warn("cannot write the failure report: {}", Main.describe(e));
    }
  }

  /**
   * {@code --input -} and {@code --output -}: standard input is spooled to a temporary file (one
   * input named {@code stdin}, with the input format's extension), and outputs are written to a
   * temporary directory and then joined to standard output in listing order ({@link Parts}), so
   * Sluice fits in a shell pipe. Spooled, not streamed: the run starts when standard input ends.
   * The directory ({@link StreamSpool}) is owner-only and removed when the command ends.
   */
  private void streams() throws IOException {
    boolean in = input.readsStdin();
    toStdout = STDOUT.equals(outputs.dir());
    if (!in && !toStdout) {
      return;
    }
    // Checked before standard input is read: a usage error must not swallow the caller's data.
    if (toStdout && errors.skips() && errors.rejectDir() == null) {
      throw new UsageException(
          "--output - with --on-error skip needs --reject-dir DIR for the reject files");
    }
    if (toStdout && (mergeOutput != null || partitionBy != null)) {
      throw new UsageException(
          "--output - cannot be combined with --merge-output or --partition-by");
    }
    spool = StreamSpool.create(main != null && main.installShutdownHook);
    if (in) {
      log.info("reading standard input into {} (removed when the command ends)", spool.dir());
      Path file = spool.spool(System.in, "stdin." + input.extension());
      input.replaceStdin(file);
      // Standard input is new data every time and its spooled copy has a new path on every run
      // (a path the job fingerprint includes): nothing can be resumed, so every run processes
      // everything, as --full does, and replaces its own earlier outputs under the lock.
      state.full(true);
    }
    if (toStdout) {
      outputs.dir(spool.outputDir());
      state.disable(); // a pipe has nothing to resume
    }
  }

  /**
   * {@code --merge-output FILE}: the run writes one part per input under {@code .FILE.parts/} (with
   * its manifest, so resume works per input), and the parts are joined into FILE at the end.
   */
  private @Nullable Path mergeTarget() {
    if (mergeOutput == null) {
      return null;
    }
    if (outputs.dir() != null) {
      throw new UsageException("--merge-output FILE replaces --output DIR: give one of them");
    }
    Path target = path("--merge-output", mergeOutput).toAbsolutePath().normalize();
    Path parts = target.resolveSibling("." + target.getFileName() + ".parts");
    if (Files.exists(target) && !outputs.overwrite() && !Files.isDirectory(parts)) {
      throw new UsageException(
          "output file exists: "
              + target
              + ": pass --overwrite to replace it, or choose another file");
    }
    outputs.dir(parts);
    outputs.overwrite(true); // the parts directory is ours
    return target;
  }

  /** {@code --partition-by}: the run writes its parts under DIR/.parts; returns DIR. */
  private @Nullable Path partitionRoot() {
    if (partitionBy == null) {
      return null;
    }
    Path dir = outputs.dir();
    if (dir == null || mergeOutput != null || STDOUT.equals(dir)) {
      throw new UsageException(
          "--partition-by needs --output DIR (and no --merge-output or --output -)");
    }
    if (partitionBy.isBlank()) {
      throw new UsageException("--partition-by needs a column name");
    }
    Path root = dir.toAbsolutePath().normalize();
    outputs.dir(root.resolve(".parts"));
    outputs.overwrite(true); // the parts directory is ours
    return root;
  }

  /** Whether this is {@code sluice check}: validate, write nothing. */
  boolean checkOnly() {
    return false;
  }

  /** Reads every input through the format and the steps, writes nothing, prints the rejects. */
  private int check(PipelineSpec spec, RejectSummary rejects) {
    RunResult r =
        execute(
            spec.toBuilder()
                .discardOutput(true)
                .onError(dev.sluice.api.ErrorPolicy.SKIP)
                .stateDir(null)
                .rejectListener(rejects)
                .threadFactory(CliLogging.mdcThreadFactory())
                .build());
    boolean bad = r.recordsRejected() > 0 || r.filesFailed() > 0;
    if (!common.quiet || bad) {
      PrintWriter out = out();
      rejects.lines().forEach(out::println);
      out.printf(
          Locale.ROOT,
          "sluice: check: %,d file(s), %,d record(s) read, %,d would be rejected%s; nothing was written%n",
          r.files() + r.filesFailed(),
          r.recordsRead(),
          r.recordsRejected(),
          r.filesFailed() > 0 ? " (" + r.filesFailed() + " file(s) unreadable as a whole)" : "");
      out.flush();
    }
    return bad ? ExitCodes.REJECTS : ExitCodes.OK;
  }

  /** Prints what a run would do; writes nothing. */
  private int dryRun(PipelineSpec spec) {
    RunPlan plan = Sluice.plan(spec);
    PrintWriter out = out();
    for (RunPlan.Entry e : plan.files()) {
      out.println(
          (e.process() ? "process " : "skip    ")
              + e.relativeName()
              + (e.process() ? " -> " + e.output() : " (" + e.reason() + ")"));
    }
    out.printf(
        Locale.ROOT,
        "sluice: dry run: %d file(s) to process, %d to skip; nothing was written%n",
        plan.toProcess(),
        plan.toSkip());
    out.flush();
    return ExitCodes.OK;
  }

  /** {@code --http-*}: headers, timeouts and retries for URL inputs, over {@code base}. */
  /** Whether --engine is beam; refuses Beam's options with the local engine. */
  private boolean engine() {
    switch (engine.strip().toLowerCase(Locale.ROOT)) {
      case "local":
        if (!beamArgs.isEmpty()) {
          String unknown = beamArgs.get(0);
          throw new UsageException(
              "Unknown option: '"
                  + unknown
                  + "'"
                  + OptionSuggestions.hint(
                      unknown, commandSpec == null ? List.of() : commandSpec.optionsMap().keySet())
                  + " (options for Beam need --engine beam)");
        }
        if (runner != null) {
          throw new UsageException("--runner: options for Beam need --engine beam");
        }
        return false;
      case "beam":
        return true;
      default:
        throw new UsageException("--engine must be local or beam (got '" + engine + "')");
    }
  }

  /** Runs {@code spec} on Apache Beam (no state directory: no resume, no lock). */
  private RunResult executeOnBeam(PipelineSpec spec) {
    try {
      Class.forName("org.apache.beam.sdk.Pipeline", false, RunCommand.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "--engine beam needs Apache Beam and a runner on the class path: run the bundle built by"
              + " ./mvnw -Pflink package (target/sluice-*-flink.jar); see docs/BEAM.md");
    }
    List<String> args = new ArrayList<>();
    if (runner != null) {
      args.add("--runner=" + runner.strip());
    }
    for (String a : beamArgs) {
      if (!a.startsWith("--")) {
        throw new UsageException("options for Beam take the form --name=value (got '" + a + "')");
      }
      args.add(a);
    }
    return dev.sluice.beam.BeamEngine.run(spec, args.toArray(new String[0]));
  }

  private PrintWriter err() {
    return main != null ? main.err : new PrintWriter(System.err, true);
  }

  private PrintWriter out() {
    return main != null ? main.out : new PrintWriter(System.out, true);
  }

  /**
   * The spec of this command: the job file, if any, with the command line's options laid over it.
   *
   * @throws UsageException if an option value is invalid or an input path does not exist
   * @throws dev.sluice.api.ConfigurationException if the job file or the spec rejects the settings
   */
  PipelineSpec toSpec() {
    return toSpec(config());
  }

  /** The job file, if any, with the command line's options laid over it. */
  JobConfig config() {
    JobConfig flags = flagConfig();
    if (job == null) {
      return flags;
    }
    return JobReader.read(Values.path(job, "--job")).over(flags);
  }

  private PipelineSpec toSpec(JobConfig config) {
    String orJob = job != null ? " (or set them in the job file)" : "";
    List<Path> inputs = config.input().inputPaths();
    if (inputs.isEmpty() && config.input().inputUrls().isEmpty()) {
      throw new UsageException("no input: give --input PATH, or paths after the options" + orJob);
    }
    for (Path in : inputs) {
      // A broken link or a loop is left to the listing, which says which it is.
      if (!isGlob(in.toString()) && !Files.exists(in) && !Files.isSymbolicLink(in)) {
        throw new UsageException("input not found: " + in.toAbsolutePath().normalize());
      }
    }
    if (config.output().dir() == null) {
      throw new UsageException("missing required option --output=DIR" + orJob);
    }
    return withRunFlags(config.toSpecBuilder(PipelineSpec.builder()).build());
  }

  /** The options given on the command line, and only those, as a job. */
  private JobConfig flagConfig() {
    try {
      input.fold();
      state.fold();
    } catch (BadValue e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
    Path key = hashKeyFile == null ? null : Values.path(hashKeyFile, "--hash-key-file");
    try {
      return JobConfig.of(
          input,
          outputs,
          sizing,
          errors,
          state,
          http,
          steps.steps(parseResult()),
          jobName != null && !jobName.isBlank() ? jobName.strip() : null,
          key);
    } catch (dev.sluice.api.ConfigurationException e) {
      throw new UsageException("--hash-key-file: " + e.getMessage());
    }
  }

  private @Nullable ParseResult parseResult() {
    CommandSpec spec = commandSpec;
    return spec == null ? null : spec.commandLine().getParseResult();
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  static Path path(String option, String value) {
    try {
      return Values.path(value, option);
    } catch (BadValue e) {
      throw new UsageException(String.valueOf(e.getMessage()));
    }
  }

  /** {@code column} as the output's header row spells it (escaped under --escape-formulas). */
  private static String headerName(PipelineSpec spec, String column) {
    return spec.steps().contains(Steps.escapeFormulas()) ? Steps.escapeFormula(column) : column;
  }

  /** The options that only the command line has (not job files), laid over the spec. */
  private PipelineSpec withRunFlags(PipelineSpec spec) {
    PipelineSpec.Builder b = spec.toBuilder();
    if (limit != null) {
      if (limit < 1) {
        throw new UsageException("--limit must be >= 1 (got " + limit + ")");
      }
      b.limit(limit);
    }
    return b.build();
  }
}
