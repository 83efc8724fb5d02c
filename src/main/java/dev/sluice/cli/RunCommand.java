package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
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
import dev.sluice.internal.fs.ObjectStores;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
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
 * {@code sluice run}: the options of each section (mixins over {@code dev.sluice.internal.config}),
 * laid over a job file when {@code --job} names one, become one {@code JobConfig} and from it a
 * {@link PipelineSpec} ({@link #toSpec()}); the command runs it on the local engine or on Beam,
 * prints the summary and maps the outcome to an exit code. Steps are applied in the order their
 * options appear on the command line, read from picocli's parse result by {@link StepOptions}.
 * Around the run it logs the start and the end with counts (every line with the run id), one line
 * per file with rejects, and writes the run artifacts (reports, metrics) whether the run succeeded
 * or not.
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

  /** The spool and the join lock ({@link OutputJoins}), released when the command ends. */
  private @Nullable OutputJoins toClose;

  @Override
  public Integer call() throws IOException {
    RunArtifacts artifacts =
        new RunArtifacts(
            main != null ? main.runId : CliLogging.runId(), report, htmlReport, metricsFile);
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
      BeamLaunch beamLaunch = new BeamLaunch(engine, runner, beamArgs);
      // First, before standard input is read: an unknown option is refused (it would go to
      // Beam, which takes options only with --engine beam).
      boolean beam =
          beamLaunch.selected(commandSpec == null ? List.of() : commandSpec.optionsMap().keySet());
      // The job as given decides the joins (a job file may name a merged file); read before
      // standard input is, so that a bad setting never swallows the caller's data.
      OutputSection given = config().output();
      OutputJoins joins = openJoins(given);
      if (checkOnly() && given.dir() == null) {
        outputs.dir(Path.of(".sluice-check")); // never created: checking writes nothing
      }
      config = config();
      PipelineSpec spec = toSpec(config);
      ColumnMatch match =
          joins.columnMatch(
              config.output().columnMatchGiven() ? config.output().columnMatch() : null,
              outputs.columnMatchGiven(),
              spec);
      warnUnusedHashKey(config, spec);
      if (checkOnly()) {
        RunResult checked = execute(CheckReport.spec(spec, rejects));
        return CheckReport.print(checked, rejects, common.quiet, out());
      }
      if (dryRun) {
        return DryRun.print(
            Sluice.plan(beam ? spec.toBuilder().stateDir(null).build() : spec), out());
      }
      joins.prepare(spec);
      String name = jobName(config);
      artifacts.logStart(name, config.source(), spec, main != null && main.installShutdownHook);
      PipelineSpec.Builder run = spec.toBuilder().rejectListener(rejects);
      RunResult result;
      if (beam) {
        // Beam workers write the reject files; a listener would only run on the launcher.
        result = beamLaunch.run(spec.toBuilder().stateDir(null).build());
      } else {
        run.threadFactory(CliLogging.mdcThreadFactory());
        if (progress != null ? progress : !common.quiet && Terminal.stderrIsTerminal()) {
          run.listener(new ProgressLine(err()));
        }
        result = execute(run.build());
      }
      rejects.log();
      joins.join(spec, match, column -> headerName(spec, column), System.out);
      closeResources(); // before success is reported: the spooled raw input must be gone
      artifacts.writeReports(result);
      int code =
          result.recordsRejected() > 0 || result.filesFailed() > 0
              ? ExitCodes.REJECTS
              : ExitCodes.OK;
      for (String w : result.firstWarnings()) {
        log.warn("warning: {}", Main.oneLine(w));
      }
      if (!common.quiet) {
        // With --output - the data goes to stdout, so the summary goes to stderr.
        PrintWriter out = joins.toStdout() ? err() : out();
        out.println("sluice: done, output in " + joins.destination(spec));
        out.println(result.summary());
        out.println("run: " + artifacts.runId() + ", job: " + name);
        out.flush();
      }
      artifacts.logFinished(code, result);
      artifacts.writeMetrics(name, code, result);
      return code;
    } catch (RuntimeException | IOException e) {
      closeAfter(e);
      int code = ExitCodes.of(e);
      rejects.log();
      artifacts.logFailure(code, e);
      artifacts.writeMetrics(jobName(config), code, RunArtifacts.partialResult(e));
      throw e;
    } finally {
      closeAfter(null); // an Error on the way out: still nothing left behind
    }
  }

  /**
   * Releases the join lock and removes the spooled files; throws if the files cannot be removed.
   */
  private void closeResources() throws IOException {
    OutputJoins j = toClose;
    toClose = null;
    if (j != null) {
      j.close();
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
   * Opens the command's {@link OutputJoins} ({@code --input -}, {@code --output -}, {@code
   * --merge-output}, {@code --partition-by}) and points the options at what replaces them: a {@code
   * -} input at the spooled copy of standard input, {@code --output} at the directory the run
   * writes its parts to.
   */
  private OutputJoins openJoins(OutputSection given) throws IOException {
    // Check writes nothing, so it joins nothing either (a job file's merged file is ignored).
    boolean joinsAny = !checkOnly();
    Path merge = given.mergeFile();
    if (merge != null && ObjectStores.isObjectStore(merge)) {
      // Its parts, journal and lock live next to it, and object storage has neither locks nor
      // appends: join locally, and copy the joined file up if it must live there.
      throw new UsageException(
          "--merge-output: object storage cannot hold a merged file's parts and lock;"
              + " merge into a local file");
    }
    Path dir = given.dir();
    if (given.partitionBy() != null && dir != null && ObjectStores.isObjectStore(dir)) {
      throw new UsageException(
          "--partition-by: object storage cannot hold the partitions' parts and lock;"
              + " give a local --output directory");
    }
    OutputJoins joins =
        new OutputJoins(
            joinsAny ? given.mergeFile() : null,
            joinsAny ? given.partitionBy() : null,
            main != null && main.installShutdownHook);
    toClose = joins;
    Path stdin =
        joins.streams(
            input.readsStdin(),
            given.dir(),
            input.extension(),
            errors.skips(),
            errors.rejectDir(),
            System.in);
    if (stdin != null) {
      input.replaceStdin(stdin);
      // Standard input is new data every time and its spooled copy has a new path on every run
      // (a path the job fingerprint includes): nothing can be resumed, so every run processes
      // everything, as --full does, and replaces its own earlier outputs under the lock.
      state.full(true);
    }
    Path stdoutDir = joins.stdoutDir();
    if (stdoutDir != null) {
      outputs.dir(stdoutDir);
      state.disable(); // a pipe has nothing to resume
    }
    Path mergeParts = joins.merge(given.dir(), given.overwrite());
    if (mergeParts != null) {
      outputs.dir(mergeParts);
      outputs.overwrite(true); // the parts directory is ours
    }
    Path partitionParts = joins.partition(stdoutDir != null ? stdoutDir : given.dir());
    if (partitionParts != null) {
      outputs.dir(partitionParts);
      outputs.overwrite(true); // the parts directory is ours
    }
    return joins;
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

  private RunResult execute(PipelineSpec spec) {
    Main m = main;
    Pipeline pipeline = m != null ? m.pipelines.create(spec) : Sluice.pipeline(spec);
    ShutdownGuard guard = null;
    if (m != null && m.installShutdownHook) {
      guard = ShutdownGuard.install(pipeline, m.runId);
      m.guard = guard; // Main.run releases it after the last output line
      OutputJoins j = toClose;
      if (j != null) {
        j.running(); // a signal now stops the run first; the command then removes the spool
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

  /** Whether this is {@code sluice check}: validate, write nothing. */
  boolean checkOnly() {
    return false;
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
      // An object-store prefix is no object, so only the listing can tell whether it has any.
      if (!isGlob(in.toString())
          && !ObjectStores.isObjectStore(in)
          && !Files.exists(in)
          && !Files.isSymbolicLink(in)) {
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
