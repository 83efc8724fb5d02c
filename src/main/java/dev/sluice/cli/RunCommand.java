package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.report.JsonReport;
import java.io.IOException;
import java.io.PrintWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Modifier;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
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
 * {@code sluice run}: maps the options to a {@link PipelineSpec} ({@link #toSpec()}), runs it on
 * the local engine and prints the summary. Steps are applied in the order their options appear on
 * the command line: picocli calls the annotated setter methods in that order, and each setter
 * appends to {@link #stepOptions}.
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
    footerHeading = "%nExample:%n",
    footer = {
      "  sluice run --input sample-data --output out \\",
      "      --filter 'status == SHIPPED' --filter 'amount > 100' \\",
      "      --select order_id,customer_name,email,country,amount \\",
      "      --upper country --lower email --hash email --overwrite"
    })
final class RunCommand implements Callable<Integer>, HasCommonOptions {
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

  // ---- formats

  @Option(
      names = "--from",
      paramLabel = "FORMAT",
      order = 10,
      defaultValue = "csv",
      description = "Input format: csv, tsv or lines (default: ${DEFAULT-VALUE}).")
  String from = "csv";

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
      defaultValue = "UTF-8",
      description = "Character set of input and output (default: ${DEFAULT-VALUE}).")
  String charset = "UTF-8";

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

  @Option(
      names = "--threads",
      paramLabel = "N",
      order = 40,
      description = "Set readers, transformers and writers to N (the three options below win).")
  @Nullable Integer threads;

  @Option(
      names = "--readers",
      paramLabel = "N",
      order = 41,
      description = "Reader threads (default: cores, at least 2).")
  @Nullable Integer readers;

  @Option(
      names = "--transformers",
      paramLabel = "N",
      order = 42,
      description = "Transformer threads (default: cores).")
  @Nullable Integer transformers;

  @Option(
      names = "--writers",
      paramLabel = "N",
      order = 43,
      description = "Writer threads (default: half the cores, at least 1).")
  @Nullable Integer writers;

  @Option(
      names = "--on-error",
      paramLabel = "POLICY",
      order = 60,
      description =
          "fail (default): the first bad record or file fails the run (exit 1). skip: bad records"
              + " go to reject files and the run goes on (exit 3 when anything was rejected).")
  @Nullable String onError;

  @Option(
      names = "--max-errors",
      paramLabel = "N|P%",
      order = 61,
      description =
          "With --on-error skip: fail the run (exit 1) once more than N records, or more than P%"
              + " of the records read (checked after 1,000 records and at the end), are rejected.")
  @Nullable String maxErrors;

  @Option(
      names = "--max-errors-per-file",
      paramLabel = "N|P%",
      order = 62,
      description = "Like --max-errors, for each input file.")
  @Nullable String maxErrorsPerFile;

  @Option(
      names = "--reject-dir",
      paramLabel = "DIR",
      order = 63,
      description =
          "Where reject files go: one per input file with rejects, <name>.rejects.csv (default:"
              + " <output>/_rejects).")
  @Nullable String rejectDir;

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
      names = "--allow-short-records",
      order = 66,
      description =
          "Pad records with fewer fields than the header with empty strings instead of"
              + " rejecting them (WRONG_FIELD_COUNT).")
  boolean allowShortRecords;

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
      names = "--virtual-readers",
      order = 47,
      description =
          "Run the readers on virtual threads (Java 21+), so that hundreds of readers can wait on"
              + " slow storage without a platform thread each.")
  boolean virtualReaders;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      order = 44,
      description = "Batches per queue between stages (default: 16).")
  @Nullable Integer queueCapacity;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      order = 45,
      description = "Records per batch (default: 1000).")
  @Nullable Integer batchSize;

  @Option(
      names = "--max-in-flight",
      paramLabel = "SIZE",
      order = 46,
      description =
          "Budget of bytes between reading and writing, e.g. 65536, 64k, 64m, 1g, 64MiB"
              + " (k, m, g are powers of 1024; default: 64m).")
  @Nullable String maxInFlight;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Override
  public Integer call() throws IOException {
    common.apply();
    PipelineSpec spec = toSpec();
    if (log.isInfoEnabled()) {
      log.info("job: {}", spec);
      for (Step s : spec.steps()) {
        log.info("step: {}", s.describe());
      }
    }
    RunResult result;
    try {
      result = execute(spec);
    } catch (RuntimeException e) {
      writeFailureReport(e);
      throw e;
    }
    if (report != null) {
      JsonReport.write(result, Path.of(report));
    }
    if (!common.quiet) {
      PrintWriter out = out();
      out.println("sluice: done, output in " + spec.output());
      out.println(result.summary());
      out.flush();
      PrintWriter err = err();
      for (String w : result.firstWarnings()) {
        err.println("sluice: warning: " + Main.oneLine(w));
      }
      err.flush();
    }
    return result.recordsRejected() > 0 ? ExitCodes.REJECTS : ExitCodes.OK;
  }

  private RunResult execute(PipelineSpec spec) {
    Pipeline pipeline = Sluice.pipeline(spec);
    ShutdownGuard guard =
        main != null && main.installShutdownHook ? ShutdownGuard.install(pipeline) : null;
    try (pipeline) {
      return pipeline.run();
    } catch (PipelineException e) {
      if (guard != null && guard.triggered()) {
        throw new InterruptedRunException("the run was stopped; no partial output is kept", e);
      }
      throw e;
    } finally {
      if (guard != null) {
        guard.finished();
      }
    }
  }

  private void writeFailureReport(RuntimeException failure) {
    if (report == null) {
      return;
    }
    try {
      JsonReport.writeFailure(failure, Path.of(report));
    } catch (IOException | RuntimeException e) {
      // The run's own failure is what the user must see; the report is secondary.
      log.warn("cannot write the failure report {}: {}", report, Main.describe(e));
    }
  }

  private PrintWriter out() {
    return main != null ? main.out : new PrintWriter(System.out, true);
  }

  private PrintWriter err() {
    return main != null ? main.err : new PrintWriter(System.err, true);
  }

  /**
   * The job the options describe, without running it.
   *
   * @throws UsageException if an option value is invalid or an input path does not exist
   * @throws dev.sluice.api.ConfigurationException if the spec itself rejects the settings
   */
  PipelineSpec toSpec() {
    PipelineSpec.Builder b = PipelineSpec.builder();
    List<String> all = new ArrayList<>(inputs);
    all.addAll(positionalInputs);
    if (all.isEmpty()) {
      throw new UsageException("no input: give --input PATH, or paths after the options");
    }
    for (String in : all) {
      b.input(inputPath(in));
    }
    if (output == null) {
      throw new UsageException("missing required option --output=DIR");
    }
    b.output(path("--output", output));
    Format in = inputFormat();
    b.inputFormat(in);
    b.outputFormat(outputFormat(in));
    for (StepOption s : stepOptions) {
      b.step(toStep(s));
    }
    if (threads != null) {
      int n = positive("--threads", threads);
      b.threads(n, n, n);
    }
    if (readers != null) {
      b.readers(positive("--readers", readers));
    }
    if (transformers != null) {
      b.transformers(positive("--transformers", transformers));
    }
    if (writers != null) {
      b.writers(positive("--writers", writers));
    }
    if (queueCapacity != null) {
      b.queueCapacity(positive("--queue-capacity", queueCapacity));
    }
    if (batchSize != null) {
      b.batchSize(positive("--batch-size", batchSize));
    }
    if (maxInFlight != null) {
      b.maxInFlight(size("--max-in-flight", maxInFlight));
    }
    b.overwrite(overwrite);
    b.virtualReaders(virtualReaders);
    b.followSymlinks(followSymlinks);
    if (escapeFormulas) {
      b.step(Steps.escapeFormulas()); // last, so no later step can reintroduce a formula
    }
    if (onError != null) {
      switch (onError.strip().toLowerCase(Locale.ROOT)) {
        case "fail":
          b.onError(ErrorPolicy.FAIL);
          break;
        case "skip":
          b.onError(ErrorPolicy.SKIP);
          break;
        default:
          throw new UsageException("--on-error must be fail or skip (got '" + onError + "')");
      }
    }
    if (maxErrors != null) {
      b.maxErrors(threshold("--max-errors", maxErrors));
    }
    if (maxErrorsPerFile != null) {
      b.maxErrorsPerFile(threshold("--max-errors-per-file", maxErrorsPerFile));
    }
    if ((maxErrors != null || maxErrorsPerFile != null) && (onError == null || !onError.strip().equalsIgnoreCase("skip"))) {
      throw new UsageException("--max-errors and --max-errors-per-file need --on-error skip");
    }
    if (rejectDir != null) {
      b.rejectDir(path("--reject-dir", rejectDir));
    }
    return b.build();
  }

  private static Path inputPath(String in) {
    Path p = path("--input", in);
    if (!isGlob(in) && !Files.exists(p)) {
      throw new UsageException("input not found: " + in);
    }
    return p;
  }

  private static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  private static Path path(String option, String value) {
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new UsageException(option + ": invalid path '" + value + "': " + e.getReason());
    }
  }

  private Format inputFormat() {
    Format.Kind kind = kind("--from", from);
    if (kind == Format.Kind.JSONL) {
      throw new UsageException("--from must be csv, tsv or lines (jsonl is an output format only)");
    }
    Format.Builder f = Format.builder(kind).charset(charset());
    if (maxRecordSize != null) {
      long n = size("--max-record-size", maxRecordSize);
      if (n > Integer.MAX_VALUE) {
        throw new UsageException("--max-record-size must be at most 2g characters (got " + maxRecordSize + ")");
      }
      f.maxRecordSize((int) n);
    }
    if (malformedInput != null) {
      switch (malformedInput.strip().toLowerCase(Locale.ROOT)) {
        case "report":
          f.malformedInput(Format.MalformedInput.REPORT);
          break;
        case "replace":
          f.malformedInput(Format.MalformedInput.REPLACE);
          break;
        default:
          throw new UsageException("--malformed-input must be report or replace (got '" + malformedInput + "')");
      }
    }
    f.allowShortRecords(allowShortRecords);
    if (delimiter != null) {
      f.delimiter(delimiterChar(delimiter));
    }
    if (quote != null) {
      f.quote(singleChar("--quote", quote));
    }
    if (noHeader) {
      f.header(false);
    }
    if (columns != null) {
      f.columns(List.copyOf(columns));
      // Named columns mean the first line is data: --columns implies --no-header.
      f.header(false);
    }
    return f.build();
  }

  private Format outputFormat(Format in) {
    Format.Kind kind = to == null ? in.kind() : kind("--to", to);
    Format.Builder f;
    if (kind == in.kind()) {
      f = in.toBuilder().columns(null);
    } else {
      // Another kind brings its own delimiter; the quote and charset carry over.
      f = Format.builder(kind).quote(in.quote()).charset(in.charset());
    }
    return f.header(kind != Format.Kind.LINES).crlf(crlf).gzip(gzipOutput).build();
  }

  private static Format.Kind kind(String option, String name) {
    switch (name.strip().toLowerCase(Locale.ROOT)) {
      case "csv":
        return Format.Kind.CSV;
      case "tsv":
        return Format.Kind.TSV;
      case "lines":
      case "txt":
        return Format.Kind.LINES;
      case "jsonl":
        return Format.Kind.JSONL;
      default:
        throw new UsageException(
            option
                + " must be csv, tsv, lines"
                + ("--to".equals(option) ? " or jsonl" : "")
                + " (got '"
                + name
                + "')");
    }
  }

  private Charset charset() {
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

  private static int positive(String option, int n) {
    if (n < 1) {
      throw new UsageException(option + " must be >= 1 (got " + n + ")");
    }
    return n;
  }

  private static ErrorThreshold threshold(String option, String value) {
    try {
      return ErrorThreshold.parse(value);
    } catch (ConfigurationException e) {
      throw new UsageException(option + ": " + e.getMessage());
    }
  }

  private static long size(String option, String value) {
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
    ClassLoader loader = Thread.currentThread().getContextClassLoader();
    if (loader == null) {
      loader = RunCommand.class.getClassLoader();
    }
    Class<?> c;
    try {
      c = Class.forName(className.strip(), true, loader);
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "--step: class " + className + " not found; add its jar to the classpath (java -cp)");
    } catch (LinkageError e) {
      throw new UsageException("--step: cannot load class " + className + ": " + Main.describe(e));
    }
    if (!Step.class.isAssignableFrom(c)) {
      throw new UsageException(
          "--step: " + className + " does not implement " + Step.class.getName());
    }
    if (Modifier.isAbstract(c.getModifiers())) {
      throw new UsageException("--step: " + className + " is abstract; name a concrete class");
    }
    try {
      return (Step) c.getConstructor().newInstance();
    } catch (NoSuchMethodException e) {
      throw new UsageException("--step: " + className + " has no public no-argument constructor");
    } catch (InvocationTargetException e) {
      throw new UsageException(
          "--step: the constructor of " + className + " threw " + Main.describe(e.getCause()));
    } catch (ReflectiveOperationException e) {
      throw new UsageException("--step: cannot create " + className + ": " + Main.describe(e));
    }
  }
}
