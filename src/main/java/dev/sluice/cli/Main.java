package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.PipelineFactory;
import dev.sluice.api.SluiceException;
import dev.sluice.internal.config.Values;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ThreadLocalRandom;
import org.jspecify.annotations.Nullable;
import org.slf4j.MDC;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.IVersionProvider;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;

/**
 * The {@code sluice} command: {@code sluice run} runs a job, {@code sluice generate} makes
 * synthetic order files. {@link #main} only exits with the code that {@link #run} returns, so
 * tests, scripts and cron share one path:
 *
 * <pre>{@code
 * StringWriter out = new StringWriter();
 * StringWriter err = new StringWriter();
 * int code = Main.run(new PrintWriter(out), new PrintWriter(err),
 *     "run", "--input", "in", "--output", "out", "--filter", "amount > 100");
 * }</pre>
 *
 * <p>Exit codes: 0 success; 1 the run failed; 2 usage or configuration error; 3 finished but some
 * records were rejected; 4 another run holds the lock; 130/143 interrupted (SIGINT) or terminated
 * (SIGTERM). Results go to {@code out}, diagnostics and log lines to {@code err}.
 *
 * <p>Thread-safety: {@link #run} may be called from any thread, but not concurrently: logging is
 * configured globally for the process on every call.
 *
 * @since 0.1
 */
@Command(
    name = "sluice",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    synopsisSubcommandLabel = "COMMAND",
    description = "Processes sets of CSV, TSV or text files (gzip or not) in parallel stages.",
    subcommands = {
      RunCommand.class,
      CheckCommand.class,
      GenerateCommand.class,
      CommandLine.HelpCommand.class
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
    footer = {
      "",
      "Run 'sluice COMMAND --help' for the options of a command.",
      "./run.sh without arguments runs a demo job over sample-data/."
    })
public final class Main implements Callable<Integer> {
  final PrintWriter out;
  final PrintWriter err;

  /** Whether this is the process's own {@code main}: then Ctrl-C aborts a run cleanly. */
  final boolean installShutdownHook;

  /** Makes the run's pipeline: the local engine, or a test's stand-in. */
  final PipelineFactory pipelines;

  /** The id of this command's run, on every log line and in the summary. */
  final String runId;

  /**
   * Set by {@code sluice run} while a shutdown hook guards its pipeline; released by {@link #run}.
   */
  @Nullable ShutdownGuard guard;

  private Main(
      PrintWriter out,
      PrintWriter err,
      boolean installShutdownHook,
      PipelineFactory pipelines,
      String runId) {
    this.out = out;
    this.err = err;
    this.installShutdownHook = installShutdownHook;
    this.pipelines = pipelines;
    this.runId = runId;
  }

  static {
    // As RunContext does for the engine: initialise what printing a failure needs (regex, Unicode
    // tables) before a run can fill the heap, so an OutOfMemoryError is reported as itself.
    if (oneLine(" w\u00e4rm\u2026 \n x ").isEmpty()
        || describe(new OutOfMemoryError("w")).isEmpty()) {
      throw new AssertionError("no failure message");
    }
  }

  /** Runs the command line and exits the JVM with its exit code. */
  public static void main(String[] a) {
    // Before the run: a signal's name decides between exit 130 and 143.
    Signals.install();
    int code = ExitCodes.FAILED;
    try {
      PrintWriter out = new PrintWriter(System.out);
      PrintWriter err = new PrintWriter(System.err);
      code = run(out, err, true, Sluice::pipeline, a);
    } catch (Throwable t) {
      // run() handles everything it can; this is the last resort (no memory even for that): exit
      // 1 instead of leaving the JVM to wait for threads that may never end.
      try {
        System.err.println("sluice: unexpected error: " + t);
      } catch (Throwable ignored) {
        // Nothing left to report with; the exit code still says the run failed.
      }
    }
    // While a signal's shutdown is under way this blocks until the hooks return; the JVM then
    // exits with the signal's status (130 or 143), which is also what run() returned.
    System.exit(code);
  }

  /**
   * Runs the command line {@code args}, printing results to {@code out} and diagnostics to {@code
   * err} (both are flushed before this returns), and returns the exit code. Never calls {@code
   * System.exit}.
   */
  public static int run(PrintWriter out, PrintWriter err, String... args) {
    return run(out, err, false, Sluice::pipeline, args);
  }

  /** For tests: like {@link #run(PrintWriter, PrintWriter, String...)} with another engine. */
  static int run(PrintWriter out, PrintWriter err, PipelineFactory pipelines, String... args) {
    return run(out, err, false, pipelines, args);
  }

  static int run(
      PrintWriter out,
      PrintWriter err,
      boolean installShutdownHook,
      PipelineFactory pipelines,
      String... args) {
    String runId = newRunId();
    Main main = new Main(out, err, installShutdownHook, pipelines, runId);
    try {
      // Before anything logs: Logback's fallback configuration would print DEBUG lines to stdout.
      CliLogging.configure(err, runId);
      CommandLine cl = new CommandLine(main);
      cl.setOut(out);
      cl.setErr(err);
      cl.setColorScheme(CommandLine.Help.defaultColorScheme(CommandLine.Help.Ansi.OFF));
      cl.setParameterExceptionHandler(main::onParameterException);
      // Every path option takes an object-store location too (s3://bucket/prefix), as --input does.
      cl.registerConverter(Path.class, s -> Values.path(s, "path"));
      // A bad value for run or check is reported by the command itself, so that a cron job's
      // metrics file still says the run failed (RunCommand.call rethrows the first error).
      for (String name : List.of("run", "check")) {
        CommandLine sub = java.util.Objects.requireNonNull(cl.getSubcommands().get(name), name);
        sub.getCommandSpec().parser().collectErrors(true);
        GroupedHelp.install(sub);
      }
      cl.setExecutionExceptionHandler(main::onExecutionException);
      return cl.execute(args);
    } catch (Error e) {
      // picocli hands only Exceptions to the handler; an Error of the command itself (out of
      // memory while writing a report, say) fails the run like any other failure: exit 1.
      ShutdownGuard g = main.guard;
      int code = g != null && g.triggered() ? Signals.exitCode() : ExitCodes.FAILED;
      return main.error("unexpected error: " + describe(e), null, code);
    } finally {
      out.flush();
      err.flush();
      CliLogging.closeFile();
      MDC.remove(CliLogging.RUN_KEY);
      ShutdownGuard g = main.guard;
      if (g != null) {
        // Last: once released, a shutdown hook that is waiting lets the JVM halt.
        g.release();
      }
    }
  }

  /** A short random id for one command: 8 hex digits. */
  static String newRunId() {
    return String.format(Locale.ROOT, "%08x", ThreadLocalRandom.current().nextInt());
  }

  /** {@code sluice} without a command is a usage error. */
  @Override
  public Integer call() {
    throw new UsageException("missing command: use 'sluice run' or 'sluice generate'");
  }

  private int onParameterException(ParameterException ex, String[] args) {
    String message = conversionMessage(String.valueOf(ex.getMessage()));
    if (ex instanceof CommandLine.UnmatchedArgumentException) {
      List<String> unmatched = ((CommandLine.UnmatchedArgumentException) ex).getUnmatched();
      if (!unmatched.isEmpty()) {
        message +=
            OptionSuggestions.hint(
                unmatched.get(0), ex.getCommandLine().getCommandSpec().optionsMap().keySet());
      }
    }
    return usageError(message, ex.getCommandLine().getCommandSpec(), null);
  }

  private static final java.util.regex.Pattern INVALID_VALUE =
      java.util.regex.Pattern.compile(
          "Invalid value for option '([^']+)': (.*)", java.util.regex.Pattern.DOTALL);

  /**
   * picocli's "Invalid value for option '--readers': must be >= 1 (got 0)" as the command line's
   * other messages read: "--readers must be >= 1 (got 0)". The problem text is the one job files
   * report for the same setting ({@link dev.sluice.internal.config.Values}).
   */
  static String conversionMessage(String message) {
    java.util.regex.Matcher m = INVALID_VALUE.matcher(message);
    return m.matches()
        ? new dev.sluice.internal.config.BadValue(m.group(2)).at(m.group(1))
        : message;
  }

  private int onExecutionException(Exception ex, CommandLine cl, ParseResult parsed) {
    if (ex instanceof ParameterException) {
      return onParameterException(
          (ParameterException) ex, parsed.originalArgs().toArray(new String[0]));
    }
    CommandSpec where = cl.getCommandSpec();
    Throwable trace = stacktraceRequested(cl) ? ex : null;
    int code = ExitCodes.of(ex);
    if (code == ExitCodes.USAGE) {
      return usageError(ex.getMessage(), where, trace);
    }
    // SluiceException covers PipelineException, LockHeldException and the command's own failures.
    if (ex instanceof InterruptedRunException || ex instanceof SluiceException) {
      return error(ex.getMessage(), trace, code);
    }
    if (ex instanceof IOException || ex instanceof UncheckedIOException) {
      return error("I/O error: " + describe(ex), trace, code);
    }
    // Likely a bug rather than a user error: -x shows where.
    return error("unexpected error: " + describe(ex), trace, code);
  }

  private static boolean stacktraceRequested(CommandLine cl) {
    Object command = cl.getCommand();
    return command instanceof HasCommonOptions && ((HasCommonOptions) command).common().stacktrace;
  }

  private int usageError(@Nullable String message, CommandSpec where, @Nullable Throwable trace) {
    error(message, trace, ExitCodes.USAGE);
    err.println("Try '" + where.qualifiedName() + " --help' for more information.");
    return ExitCodes.USAGE;
  }

  private int error(@Nullable String message, @Nullable Throwable trace, int code) {
    err.println("sluice: " + oneLine(message));
    if (trace != null) {
      trace.printStackTrace(err);
    }
    err.flush();
    return code;
  }

  static String describe(Throwable t) {
    String m = t.getMessage();
    return m == null || m.isBlank()
        ? t.getClass().getName()
        : t.getClass().getSimpleName() + ": " + m;
  }

  /** Messages from parsers and user code may span lines; cron mails and log scrapers want one. */
  static String oneLine(@Nullable String message) {
    if (message == null || message.isBlank()) {
      return "failed (no message)";
    }
    return message.strip().replaceAll("\\s*\\R\\s*", " | ");
  }

  /** The version from the jar manifest's {@code Implementation-Version}, or {@code dev}. */
  static String version() {
    Package p = Main.class.getPackage();
    String v = p == null ? null : p.getImplementationVersion();
    return v == null || v.isBlank() ? "dev" : v;
  }

  /** Supplies {@code --version}. Immutable. */
  static final class Version implements IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "sluice " + version(),
        "Java "
            + System.getProperty("java.version")
            + " ("
            + System.getProperty("java.vm.name")
            + ")"
      };
    }
  }
}
