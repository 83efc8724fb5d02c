package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * Options every subcommand has: output volume, logging and error detail. Not thread-safe: one
 * instance per parsed command.
 */
final class CommonOptions {
  @Option(
      names = {"-q", "--quiet"},
      order = 90,
      description = "Print nothing on success (for cron); errors still go to stderr.")
  boolean quiet;

  @Option(
      names = {"-v", "--verbose"},
      order = 91,
      description = "Log progress (INFO) to stderr.")
  boolean verbose;

  @Option(
      names = {"-x", "--stacktrace"},
      order = 92,
      description = "Print the stack trace of an error, not only its one-line message.")
  boolean stacktrace;

  @Option(
      names = "--log-file",
      paramLabel = "FILE",
      order = 93,
      description =
          "Also append log lines to FILE (created if missing), at INFO whatever --quiet says: run"
              + " start and end with counts, rejects, warnings, the error. Every line carries the run id.")
  @Nullable String logFile;

  @Option(
      names = "--log-format",
      paramLabel = "FORMAT",
      order = 94,
      description =
          "Log lines as text (default) or json (one object per line) on stderr and in --log-file;"
              + " the one-line error message stays text.")
  @Nullable String logFormat;

  /** Validates the combination and sets up logging; call first in a command's {@code call()}. */
  void apply() {
    if (quiet && verbose) {
      throw new UsageException("--quiet and --verbose are mutually exclusive");
    }
    CliLogging.LogFormat format =
        logFormat == null ? CliLogging.LogFormat.TEXT : CliLogging.format(logFormat);
    Path file = null;
    if (logFile != null) {
      try {
        file = Path.of(logFile);
      } catch (InvalidPathException e) {
        throw new UsageException("--log-file: invalid path '" + logFile + "': " + e.getReason());
      }
    }
    CliLogging.apply(quiet ? Level.ERROR : verbose ? Level.INFO : Level.WARN, format, file);
  }
}
