package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import picocli.CommandLine.Option;

/**
 * Options every subcommand has: output volume and error detail. Not thread-safe: one instance per
 * parsed command.
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

  /** Validates the combination and sets the log level; call first in a command's {@code call()}. */
  void apply() {
    if (quiet && verbose) {
      throw new UsageException("--quiet and --verbose are mutually exclusive");
    }
    CliLogging.level(quiet ? Level.ERROR : verbose ? Level.INFO : Level.WARN);
  }
}
