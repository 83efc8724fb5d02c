package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.InputAction;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.internal.io.http.UrlList;
import dev.sluice.job.CustomSteps;
import dev.sluice.job.JobDefinition;
import dev.sluice.job.JobDefinition.ColumnMatch;
import dev.sluice.job.JobFile;
import dev.sluice.job.Units;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

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
      names = {"-i", "--input"},
      paramLabel = "PATH",
      order = 1,
      description =
          "Input directory (read recursively), file or glob such as 'in/**/*.csv'. Repeatable;"
              + " paths may also follow the options.")
  List<String> inputs = new ArrayList<>();

  @Parameters(paramLabel = "PATH", arity = "0..*", description = "More inputs, as for --input.")
  List<String> positionalInputs = new ArrayList<>();

  @Option(
      names = "--input-urls",
      paramLabel = "FILE",
      order = 1,
      description =
          "Read the HTTP(S) URLs listed in FILE, one per line ('#' comments and blank lines are"
              + " ignored). Repeatable; --input also takes a URL. Each reader fetches one URL at a"
              + " time: use --readers N (or --virtual-readers) for N requests in flight.")
  List<String> inputUrlFiles = new ArrayList<>();

  @Option(
      names = "--http-header",
      paramLabel = "'NAME: VALUE'",
      order = 1,
      description =
          "A header sent with every URL request (e.g. 'Authorization: Bearer ...'). Repeatable."
              + " Other users can see it in the process list: prefer --http-header-file for secrets.")
  List<String> httpHeaders = new ArrayList<>();

  @Option(
      names = "--http-header-file",
      paramLabel = "FILE",
      order = 1,
      description = "Headers for URL requests, one 'Name: value' per line ('#' comments ignored).")
  @Nullable String httpHeaderFile;

  @Option(
      names = "--http-timeout",
      paramLabel = "DURATION",
      order = 1,
      description =
          "How long a URL request waits for the response, and at most between two pieces of its"
              + " body (default: 30s).")
  @Nullable String httpTimeout;

  @Option(
      names = "--http-connect-timeout",
      paramLabel = "DURATION",
      order = 1,
      description = "How long a URL request waits for a connection (default: 10s).")
  @Nullable String httpConnectTimeout;

  @Option(
      names = "--http-retries",
      paramLabel = "N",
      order = 1,
      description =
          "Retries of a URL after a connection error, a timeout, 5xx, 408 or 429, with exponential"
              + " backoff and jitter; Retry-After is honoured (default: 4; 0: none).")
  @Nullable Integer httpRetries;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      order = 2,
      description = "Output directory (created if missing). Required.")
  @Nullable String output;

  @Option(
      names = "--overwrite",
      order = 3,
      description = "Replace existing output files (by default the run refuses).")
  boolean overwrite;

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

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      order = 70,
      description =
          "Where the job keeps its manifest (files done, for resuming) and lock (default:"
              + " <output>/.sluice).")
  @Nullable String stateDir;

  @Option(
      names = "--no-state",
      order = 71,
      description = "Run without state: no manifest (every file is processed), no lock.")
  boolean noState;

  @Option(
      names = "--full",
      order = 72,
      description =
          "Ignore the manifest and process every file again (also needed after the job changed).")
  boolean full;

  @Option(
      names = "--identity",
      paramLabel = "stat|hash",
      order = 73,
      description =
          "How the manifest recognises a file done before: stat (path, size, modification time;"
              + " default) or hash (path and SHA-256 of the content).")
  @Nullable String identity;

  @Option(
      names = "--wait-lock",
      paramLabel = "DURATION",
      order = 74,
      description =
          "If another run holds the lock, wait up to DURATION (30s, 5m, 1h30m, PT10M) before"
              + " giving up with exit 4 (default: give up at once).")
  @Nullable String waitLock;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      order = 75,
      description =
          "Stop the run after DURATION (30s, 5m, 1h30m, PT10M) and exit 1; files already done"
              + " stay recorded, so the next run resumes.")
  @Nullable String timeout;

  // ---- formats

  @Option(
      names = "--from",
      paramLabel = "FORMAT",
      order = 10,
      description = "Input format: csv, tsv or lines (default: csv).")
  @Nullable String from;

  @Option(
      names = "--to",
      paramLabel = "FORMAT",
      order = 11,
      description = "Output format: csv, tsv, lines or jsonl (default: the input format).")
  @Nullable String to;

  @Option(
      names = "--delimiter",
      paramLabel = "C",
      order = 12,
      description = "Field delimiter, one character; '\\t' or 'tab' for a tab (default: , or tab).")
  @Nullable String delimiter;

  @Option(
      names = "--quote",
      paramLabel = "C",
      order = 13,
      description = "Quote character (default: \").")
  @Nullable String quote;

  @Option(
      names = "--no-header",
      order = 14,
      description = "The input files have no header row (columns are c1..cn, or --columns).")
  boolean noHeader;

  @Option(
      names = "--columns",
      paramLabel = "NAMES",
      split = ",",
      order = 15,
      description = "Column names for headerless input, e.g. id,name,email (implies --no-header).")
  @Nullable List<String> columns;

  @Option(
      names = "--charset",
      paramLabel = "NAME",
      order = 16,
      description = "Character set of input and output (default: UTF-8).")
  @Nullable String charset;

  @Option(names = "--crlf", order = 17, description = "End output lines with CRLF (default: LF).")
  boolean crlf;

  @Option(
      names = "--gzip-output",
      order = 18,
      description = "Gzip the output files (adds .gz to their names).")
  boolean gzipOutput;

  // ---- steps: setters, so that the steps keep their command-line order

  /** One step option as given, in command-line order; turned into a {@link Step} by toSpec. */
  record StepOption(String option, List<String> args) {}

  final List<StepOption> stepOptions = new ArrayList<>();

  /** Values already seen per multi-value option: picocli passes the accumulated list each time. */
  private final Map<String, Integer> consumed = new HashMap<>();

  private void added(String option, List<String> all, int perStep) {
    int from = consumed.getOrDefault(option, 0);
    if (all.size() <= from) {
      return; // picocli first passes the fresh empty list
    }
    List<String> fresh = List.copyOf(all.subList(from, all.size()));
    consumed.put(option, all.size());
    if (perStep == 0) {
      stepOptions.add(new StepOption(option, fresh));
    } else {
      for (int i = 0; i + perStep <= fresh.size(); i += perStep) {
        stepOptions.add(new StepOption(option, fresh.subList(i, i + perStep)));
      }
    }
  }

  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      order = 20,
      description = {
        "Keep the records for which EXPR is true, e.g. 'status == SHIPPED', 'amount > 100'.",
        "Repeatable; every step option below is applied in command-line order."
      })
  void filter(List<String> all) {
    added("--filter", all, 1);
  }

  @Option(
      names = "--select",
      paramLabel = "COLS",
      split = ",",
      order = 21,
      description = "Keep only these columns, in this order.")
  void select(List<String> all) {
    added("--select", all, 0);
  }

  @Option(
      names = "--drop",
      paramLabel = "COLS",
      split = ",",
      order = 22,
      description = "Remove these columns.")
  void drop(List<String> all) {
    added("--drop", all, 0);
  }

  @Option(
      names = "--rename",
      paramLabel = "OLD=NEW",
      split = ",",
      order = 23,
      description = "Rename columns: old=new[,old2=new2].")
  void rename(List<String> all) {
    added("--rename", all, 1);
  }

  @Option(
      names = "--upper",
      paramLabel = "COLS",
      split = ",",
      order = 24,
      description = "Upper-case these columns.")
  void upper(List<String> all) {
    added("--upper", all, 0);
  }

  @Option(
      names = "--lower",
      paramLabel = "COLS",
      split = ",",
      order = 25,
      description = "Lower-case these columns.")
  void lower(List<String> all) {
    added("--lower", all, 0);
  }

  @Option(
      names = "--trim",
      paramLabel = "COLS",
      split = ",",
      order = 26,
      description = "Strip leading and trailing white space from these columns.")
  void trim(List<String> all) {
    added("--trim", all, 0);
  }

  @Option(
      names = "--replace",
      arity = "3",
      paramLabel = "COLUMN REGEX REPLACEMENT",
      hideParamSyntax = true,
      order = 27,
      description = "Replace every match of REGEX in COLUMN ($1 refers to a group).")
  void replace(List<String> all) {
    added("--replace", all, 3);
  }

  @Option(
      names = "--hash",
      paramLabel = "COLS",
      split = ",",
      order = 28,
      description = "Replace these columns with a hash of their value (pseudonymise).")
  void hash(List<String> all) {
    added("--hash", all, 0);
  }

  @Option(
      names = "--step",
      paramLabel = "CLASS",
      order = 29,
      description = {
        "Apply a custom step: a class implementing dev.sluice.api.Step with a public"
            + " no-argument constructor. Put its jar on the class path:",
        "java -cp sluice-cli.jar:steps.jar dev.sluice.cli.Main run ..."
      })
  void step(List<String> all) {
    added("--step", all, 1);
  }

  // ---- engine sizing

  @Mixin SizingOptions sizing = new SizingOptions();

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
      names = "--column-match",
      paramLabel = "MODE",
      order = 68,
      description = {
        "With --merge-output, --partition-by or --output -: how the inputs' columns are joined,"
            + " always matched by name (a file with the same columns in another order is reordered).",
        "strict (default): every file must have the first file's columns; fill: a file may lack"
            + " some of them (empty cells); union: every column of every file, in first-seen order"
            + " (missing cells empty). A mismatch fails the run (exit 1) before anything is written."
      })
  @Nullable String columnMatch;

  @Option(
      names = "--json-types",
      paramLabel = "TYPES",
      order = 69,
      description =
          "With --to jsonl: strings (default: every value a JSON string) or infer (plain numbers"
              + " as numbers, true/false as booleans, empty as null; leading zeros stay strings).")
  @Nullable String jsonTypes;

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
      names = "--on-success",
      paramLabel = "ACTION",
      order = 72,
      description =
          "keep (default), delete or move:DIR: what happens to an input once its output and manifest"
              + " entry are committed.")
  @Nullable String onSuccess;

  @Option(
      names = "--on-failure",
      paramLabel = "ACTION",
      order = 73,
      description =
          "keep (default) or move:DIR: what happens to an input that failed whole under --on-error skip.")
  @Nullable String onFailure;

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

  @Mixin ErrorOptions errors = new ErrorOptions();

  @Option(
      names = "--max-record-size",
      paramLabel = "SIZE",
      order = 64,
      description =
          "Longest record accepted, in characters, e.g. 1m (default: 4m); longer records are"
              + " rejected (RECORD_TOO_LARGE) without being read into memory.")
  @Nullable String maxRecordSize;

  @Option(
      names = "--malformed-input",
      paramLabel = "ACTION",
      order = 65,
      description =
          "Bytes invalid in the charset: report (default: the record is rejected as"
              + " INVALID_ENCODING) or replace (they become U+FFFD and the record is kept).")
  @Nullable String malformedInput;

  @Option(
      names = "--csv-parser",
      paramLabel = "PARSER",
      order = 65,
      description =
          "CSV/TSV parser: commons (default) or fastcsv (faster; the same records, line numbers"
              + " and rejects).")
  @Nullable String csvParser;

  @Option(
      names = "--allow-short-records",
      order = 66,
      description =
          "Pad records with fewer fields than the header with empty strings instead of"
              + " rejecting them (WRONG_FIELD_COUNT).")
  boolean allowShortRecords;

  @Option(
      names = "--blank-lines",
      paramLabel = "ACTION",
      order = 66,
      description =
          "Blank lines in CSV/TSV input: skip (default: not records; counted, one warning per"
              + " file), fail (each is a WRONG_FIELD_COUNT reject) or keep (RFC 4180: one empty"
              + " field, an empty value in a one-column file). Lines input keeps them as records.")
  @Nullable String blankLines;

  @Option(
      names = "--follow-symlinks",
      order = 8,
      description =
          "Follow symbolic links that lead outside the input directories (by default they are"
              + " skipped with a warning; links inside are followed, loops skipped).")
  boolean followSymlinks;

  @Option(
      names = "--escape-formulas",
      order = 67,
      description =
          "Neutralise cells starting with = + - @ (or tab, CR) by prefixing a ' so spreadsheets"
              + " do not run them as formulas (CSV injection); plain numbers such as -12.5 stay.")
  boolean escapeFormulas;

  @Option(
      names = "--split-size",
      paramLabel = "SIZE",
      order = 48,
      description =
          "Cut plain CSV, TSV and lines files larger than 1.5 times SIZE into splits that several"
              + " readers parse at once, e.g. 16m, 256m (default: 8m); 0 reads every file whole."
              + " The output is the same.")
  @Nullable String splitSize;

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
    JobDefinition definition = null;
    RejectSummary rejects = new RejectSummary();
    try {
      common.apply();
      OutputJoins joins = openJoins();
      if (checkOnly() && output == null && job == null) {
        output = ".sluice-check"; // never created: checking writes nothing
      }
      definition = definition();
      PipelineSpec spec = toSpec(definition);
      BeamLaunch beamLaunch = new BeamLaunch(engine, runner, beamArgs);
      // Also refuses unknown options: they go to Beam, and only with --engine beam.
      boolean beam =
          beamLaunch.selected(commandSpec == null ? List.of() : commandSpec.optionsMap().keySet());
      ColumnMatch match = joins.columnMatch(definition.columnMatch(), columnMatch != null, spec);
      warnUnusedHashKey(definition, spec);
      if (checkOnly()) {
        RunResult checked = execute(CheckReport.spec(spec, rejects));
        return CheckReport.print(checked, rejects, common.quiet, out());
      }
      if (dryRun) {
        return DryRun.print(
            Sluice.plan(beam ? spec.toBuilder().stateDir(null).build() : spec), out());
      }
      joins.prepare(spec);
      String name = jobName(definition);
      artifacts.logStart(name, definition.source(), spec, main != null && main.installShutdownHook);
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
      artifacts.writeMetrics(jobName(definition), code, RunArtifacts.partialResult(e));
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
  private OutputJoins openJoins() throws IOException {
    OutputJoins joins =
        new OutputJoins(mergeOutput, partitionBy, main != null && main.installShutdownHook);
    toClose = joins;
    Path stdin =
        joins.streams(
            inputs.contains("-") || positionalInputs.contains("-"),
            output,
            from,
            errors.onError,
            errors.rejectDir,
            System.in);
    if (stdin != null) {
      inputs.replaceAll(i -> i.equals("-") ? stdin.toString() : i);
      positionalInputs.replaceAll(i -> i.equals("-") ? stdin.toString() : i);
      // Standard input is new data every time and its spooled copy has a new path on every run
      // (a path the job fingerprint includes): nothing can be resumed, so every run processes
      // everything, as --full does, and replaces its own earlier outputs under the lock.
      full = true;
    }
    Path stdoutDir = joins.stdoutDir();
    if (stdoutDir != null) {
      output = stdoutDir.toString();
      noState = true; // a pipe has nothing to resume
    }
    Path mergeParts = joins.merge(output, overwrite);
    if (mergeParts != null) {
      output = mergeParts.toString();
      overwrite = true; // the parts directory is ours
    }
    Path partitionParts = joins.partition(output);
    if (partitionParts != null) {
      output = partitionParts.toString();
      overwrite = true; // the parts directory is ours
    }
    return joins;
  }

  /**
   * A hash key without any hash step keys nothing: say so (a job's steps may have been replaced).
   */
  private void warnUnusedHashKey(JobDefinition definition, PipelineSpec spec) {
    if (definition.hashKeyFile() != null
        && spec.steps().stream().noneMatch(s -> s.describe().startsWith("hmac("))) {
      log.warn(
          "the hash key {} is not used: the job has no hash step",
          definition.hashKeyFile().toAbsolutePath().normalize());
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
  String jobName(@Nullable JobDefinition definition) {
    if (jobName != null && !jobName.isBlank()) {
      return jobName.strip();
    }
    if (definition != null && definition.name() != null) {
      return definition.name();
    }
    if (job != null) {
      String n = Path.of(job).getFileName().toString();
      int dot = n.lastIndexOf('.');
      return dot > 0 ? n.substring(0, dot) : n;
    }
    Path out = definition != null ? definition.output() : null;
    if (out == null && output != null) {
      try {
        out = Path.of(output);
      } catch (InvalidPathException e) {
        out = null;
      }
    }
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

  /** {@code --http-*}: headers, timeouts and retries for URL inputs, over {@code base}. */
  private HttpOptions httpOptions(HttpOptions base) {
    HttpOptions.Builder h = base.toBuilder();
    for (String header : httpHeaders) {
      h.header(header);
    }
    if (httpHeaderFile != null) {
      Path file = path("--http-header-file", httpHeaderFile);
      try {
        h.headerFile(file);
      } catch (java.io.UncheckedIOException e) {
        throw new UsageException(
            "--http-header-file: " + unreadable("header file", file, e.getCause()));
      } catch (ConfigurationException e) {
        throw new UsageException("--http-header-file " + e.getMessage());
      }
    }
    if (httpTimeout != null) {
      h.requestTimeout(positiveDuration("--http-timeout", httpTimeout));
    }
    if (httpConnectTimeout != null) {
      h.connectTimeout(positiveDuration("--http-connect-timeout", httpConnectTimeout));
    }
    if (httpRetries != null) {
      if (httpRetries < 0) {
        throw new UsageException("--http-retries must be >= 0 (got " + httpRetries + ")");
      }
      h.retries(httpRetries);
    }
    return h.build();
  }

  private static Duration positiveDuration(String option, String value) {
    Duration d = duration(option, value);
    if (d.isZero() || d.isNegative()) {
      throw new UsageException(option + " must be positive (got '" + value + "')");
    }
    return d;
  }

  private PrintWriter err() {
    return main != null ? main.err : new PrintWriter(System.err, true);
  }

  private PrintWriter out() {
    return main != null ? main.out : new PrintWriter(System.out, true);
  }

  /**
   * The job the options describe, without running it.
   *
   * @throws UsageException if an option value is invalid or an input path does not exist
   * @throws dev.sluice.api.ConfigurationException if the job file or the spec rejects the settings
   */
  PipelineSpec toSpec() {
    return toSpec(definition());
  }

  /** The job file, if any, with the command line's options laid over it. */
  JobDefinition definition() {
    JobDefinition flags = flagDefinition();
    if (job == null) {
      return flags;
    }
    return JobFile.read(path("--job", job)).overriddenBy(flags);
  }

  private PipelineSpec toSpec(JobDefinition definition) {
    String orJob = job != null ? " (or set them in the job file)" : "";
    if (definition.inputs().isEmpty() && definition.inputUrls().isEmpty()) {
      throw new UsageException("no input: give --input PATH, or paths after the options" + orJob);
    }
    for (Path in : definition.inputs()) {
      // A broken link or a loop is left to the listing, which says which it is.
      if (!isGlob(in.toString()) && !Files.exists(in) && !Files.isSymbolicLink(in)) {
        throw new UsageException("input not found: " + in.toAbsolutePath().normalize());
      }
    }
    if (definition.output() == null) {
      throw new UsageException("missing required option --output=DIR" + orJob);
    }
    return withRunFlags(definition.toSpecBuilder().build());
  }

  /** The options given on the command line, and only those, as a job definition. */
  private JobDefinition flagDefinition() {
    JobDefinition.Builder b = JobDefinition.builder();
    List<String> all = new ArrayList<>(inputs);
    all.addAll(positionalInputs);
    for (String in : all) {
      if (UrlList.looksLikeUrl(in)) {
        b.inputUrl(UrlList.parse(in.strip(), "--input"));
      } else {
        b.input(path("--input", in));
      }
    }
    for (String f : inputUrlFiles) {
      Path list = path("--input-urls", f);
      try {
        UrlList.read(list).forEach(b::inputUrl);
      } catch (java.io.UncheckedIOException e) {
        throw new UsageException("--input-urls: " + unreadable("URL list", list, e.getCause()));
      }
    }
    if (output != null) {
      b.output(path("--output", output));
    }
    if (jobName != null && !jobName.isBlank()) {
      b.name(jobName.strip());
    }
    formatFlags(b);
    for (StepOption s : stepOptions) {
      if (s.option().equals("--hash")) {
        b.hash(s.args().toArray(new String[0])); // keyed by --hash-key-file or the job file's key
      } else {
        b.step(toStep(s));
      }
    }
    if (hashKeyFile != null) {
      try {
        b.hashKeyFile(path("--hash-key-file", hashKeyFile));
      } catch (ConfigurationException e) {
        throw new UsageException("--hash-key-file: " + e.getMessage());
      }
    }
    if (columnMatch != null) {
      JobDefinition.ColumnMatch m = JobDefinition.ColumnMatch.byName(columnMatch);
      if (m == null) {
        throw new UsageException(
            "--column-match must be strict, fill or union (got '" + columnMatch + "')");
      }
      b.columnMatch(m);
    }
    sizing.applyTo(b);
    // A boolean flag can only switch a setting on: absent, the job file's value stays.
    b.overwrite(overwrite ? Boolean.TRUE : null);
    b.followSymlinks(followSymlinks ? Boolean.TRUE : null);
    b.escapeFormulas(escapeFormulas ? Boolean.TRUE : null);
    errors.applyTo(b);
    stateFlags(b);
    return b.build();
  }

  private void stateFlags(JobDefinition.Builder b) {
    if (noState && stateDir != null) {
      throw new UsageException("--no-state and --state-dir are mutually exclusive");
    }
    if (noState) {
      b.state(false);
    }
    if (stateDir != null) {
      b.stateDir(path("--state-dir", stateDir));
    }
    b.full(full ? Boolean.TRUE : null);
    if (identity != null) {
      switch (identity.strip().toLowerCase(Locale.ROOT)) {
        case "stat":
          b.identity(PipelineSpec.Identity.STAT);
          break;
        case "hash":
          b.identity(PipelineSpec.Identity.HASH);
          break;
        default:
          throw new UsageException("--identity must be stat or hash (got '" + identity + "')");
      }
    }
    if (waitLock != null) {
      b.waitLock(duration("--wait-lock", waitLock));
    }
    if (timeout != null) {
      Duration d = duration("--timeout", timeout);
      if (d.isZero()) {
        throw new UsageException(
            "--timeout must be positive (got '" + timeout + "'); leave it out for none");
      }
      b.timeout(d);
    }
  }

  private static Duration duration(String option, String value) {
    try {
      return Units.duration(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(option + ": " + e.getMessage() + " (use 30s, 5m, 1h30m or PT10M)");
    }
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  static Path path(String option, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(option + ": invalid path '" + value + "': " + e.getReason());
    }
  }

  private void formatFlags(JobDefinition.Builder b) {
    if (from != null) {
      Format.Kind kind = kind("--from", from);
      if (kind == Format.Kind.JSONL) {
        throw new UsageException(
            "--from must be csv, tsv or lines (jsonl is an output format only)");
      }
      b.inputFormat(kind);
    }
    if (charset != null) {
      b.charset(charset(charset));
    }
    if (maxRecordSize != null) {
      long n = size("--max-record-size", maxRecordSize);
      if (n > Integer.MAX_VALUE) {
        throw new UsageException(
            "--max-record-size must be at most 2g characters (got " + maxRecordSize + ")");
      }
      b.maxRecordSize((int) n);
    }
    if (malformedInput != null) {
      switch (malformedInput.strip().toLowerCase(Locale.ROOT)) {
        case "report":
          b.malformedInput(Format.MalformedInput.REPORT);
          break;
        case "replace":
          b.malformedInput(Format.MalformedInput.REPLACE);
          break;
        default:
          throw new UsageException(
              "--malformed-input must be report or replace (got '" + malformedInput + "')");
      }
    }
    if (csvParser != null) {
      Format.Parser named = Format.Parser.byName(csvParser);
      if (named == null) {
        throw new UsageException(
            "--csv-parser must be commons or fastcsv (got '" + csvParser + "')");
      }
      b.csvParser(named);
    }
    b.allowShortRecords(allowShortRecords ? Boolean.TRUE : null);
    if (blankLines != null) {
      Format.BlankLines named = Format.BlankLines.byName(blankLines);
      if (named == null) {
        throw new UsageException(
            "--blank-lines must be skip, fail or keep (got '" + blankLines + "')");
      }
      b.blankLines(named);
    }
    if (splitSize != null) {
      b.splitSize(splitSize.strip().equals("0") ? 0 : size("--split-size", splitSize));
    }
    if (delimiter != null) {
      b.delimiter(delimiterChar(delimiter));
    }
    if (quote != null) {
      b.quote(singleChar("--quote", quote));
    }
    if (noHeader) {
      b.header(false);
    }
    if (columns != null) {
      // Named columns mean the first line is data: --columns implies --no-header.
      b.columns(List.copyOf(columns));
    }
    if (to != null) {
      b.outputFormat(kind("--to", to));
    }
    b.crlf(crlf ? Boolean.TRUE : null);
    b.gzip(gzipOutput ? Boolean.TRUE : null);
  }

  private static Format.Kind kind(String option, String name) {
    Format.Kind k = Format.Kind.byName(name);
    if (k == null) {
      throw new UsageException(
          option
              + " must be csv, tsv, lines"
              + ("--to".equals(option) ? " or jsonl" : "")
              + " (got '"
              + name
              + "')");
    }
    return k;
  }

  private static Charset charset(String charset) {
    try {
      return Charset.forName(charset.strip());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new UsageException(
          "unknown charset '" + charset + "' for --charset (try UTF-8, ISO-8859-1, windows-1252)");
    }
  }

  static char delimiterChar(String value) {
    if (value.equals("\\t") || value.equalsIgnoreCase("tab")) {
      return '\t';
    }
    return singleChar("--delimiter", value);
  }

  private static char singleChar(String option, String value) {
    if (value.length() != 1) {
      throw new UsageException(
          option
              + " must be one character"
              + ("--delimiter".equals(option) ? ", \\t or tab" : "")
              + " (got '"
              + value
              + "')");
    }
    return value.charAt(0);
  }

  static boolean isAuto(String value) {
    return value.strip().equalsIgnoreCase("auto");
  }

  static int count(String option, String value) {
    try {
      return Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new UsageException(option + " must be a number >= 1 or auto (got '" + value + "')");
    }
  }

  static int positive(String option, int n) {
    if (n < 1) {
      throw new UsageException(option + " must be >= 1 (got " + n + ")");
    }
    return n;
  }

  /** {@code column} as the output's header row spells it (escaped under --escape-formulas). */
  private static String headerName(PipelineSpec spec, String column) {
    return spec.steps().contains(Steps.escapeFormulas()) ? Steps.escapeFormula(column) : column;
  }

  static ErrorThreshold threshold(String option, String value) {
    try {
      return ErrorThreshold.parse(value);
    } catch (ConfigurationException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  static long size(String option, String value) {
    long n;
    try {
      n = Sizes.parseBytes(value);
    } catch (IllegalArgumentException e) {
      throw new UsageException(
          option + ": " + e.getMessage() + " (use bytes or a k, m, g suffix: 65536, 64k, 64m, 1g)");
    }
    if (n < 1) {
      throw new UsageException(option + " must be >= 1 byte (got " + value + ")");
    }
    return n;
  }

  /** "URL list not found: /abs/urls.txt", or why it cannot be read. */
  private static String unreadable(String what, Path file, @Nullable Throwable cause) {
    Path abs = file.toAbsolutePath().normalize();
    if (cause instanceof java.nio.file.NoSuchFileException) {
      return what + " not found: " + abs;
    }
    return "cannot read the "
        + what
        + " "
        + abs
        + ": "
        + (cause == null ? "unknown error" : Main.describe(cause));
  }

  /** The options that only the command line has (not job files), laid over the spec. */
  private PipelineSpec withRunFlags(PipelineSpec spec) {
    PipelineSpec.Builder b = spec.toBuilder();
    b.http(httpOptions(spec.http()));
    if (jsonTypes != null) {
      Format.JsonTypes t;
      switch (jsonTypes.strip().toLowerCase(Locale.ROOT)) {
        case "strings":
          t = Format.JsonTypes.STRINGS;
          break;
        case "infer":
          t = Format.JsonTypes.INFER;
          break;
        default:
          throw new UsageException(
              "--json-types must be strings or infer (got '" + jsonTypes + "')");
      }
      if (spec.outputFormat().kind() != Format.Kind.JSONL) {
        throw new UsageException("--json-types needs JSON Lines output: add --to jsonl");
      }
      b.outputFormat(spec.outputFormat().toBuilder().jsonTypes(t).build());
    }
    if (limit != null) {
      if (limit < 1) {
        throw new UsageException("--limit must be >= 1 (got " + limit + ")");
      }
      b.limit(limit);
    }
    if (onSuccess != null) {
      b.onSuccess(action("--on-success", onSuccess));
    }
    if (onFailure != null) {
      InputAction a = action("--on-failure", onFailure);
      if (a.isDelete()) {
        throw new UsageException(
            "--on-failure delete would lose the only copy of a bad input: use move:DIR or keep");
      }
      b.onFailure(a);
    }
    return b.build();
  }

  private static InputAction action(String option, String value) {
    try {
      return InputAction.parse(value);
    } catch (ConfigurationException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  private static Step toStep(StepOption s) {
    String[] a = s.args().toArray(new String[0]);
    switch (s.option()) {
      case "--filter":
        return Steps.filter(a[0]);
      case "--select":
        return Steps.select(a);
      case "--drop":
        return Steps.drop(a);
      case "--rename":
        int eq = a[0].indexOf('=');
        if (eq <= 0 || eq == a[0].length() - 1) {
          throw new UsageException("--rename expects OLD=NEW (got '" + a[0] + "')");
        }
        return Steps.rename(a[0].substring(0, eq).strip(), a[0].substring(eq + 1).strip());
      case "--upper":
        return Steps.upper(a);
      case "--lower":
        return Steps.lower(a);
      case "--trim":
        return Steps.trim(a);
      case "--replace":
        return Steps.replace(a[0], a[1], a[2]);
      case "--hash":
        return Steps.hash(a);
      case "--step":
        return customStep(a[0]);
      default:
        throw new IllegalStateException("unmapped step option " + s.option());
    }
  }

  static Step customStep(String className) {
    try {
      return CustomSteps.load(className);
    } catch (ConfigurationException e) {
      throw new UsageException("--step: " + e.getMessage());
    }
  }
}
