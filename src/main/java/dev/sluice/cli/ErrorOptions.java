package dev.sluice.cli;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.job.JobDefinition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of the error section ({@link dev.sluice.api.ErrorSettings}): what the run does with
 * bad input, how many rejects it allows, and where reject files go. Each one, when given, is laid
 * over the job file's value.
 *
 * <p>Not thread-safe: one instance per parsed command.
 */
final class ErrorOptions {
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
          "With --on-error skip: fail the run (exit 1) once more than N records, or more than P%%"
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

  /** Lays the options given over {@code b}. @throws UsageException for a bad value */
  void applyTo(JobDefinition.Builder b) {
    if (onError != null) {
      ErrorPolicy policy = ErrorPolicy.byName(onError);
      if (policy == null) {
        throw new UsageException("--on-error must be fail or skip (got '" + onError + "')");
      }
      b.onError(policy);
    }
    if (maxErrors != null) {
      b.maxErrors(RunCommand.threshold("--max-errors", maxErrors));
    }
    if (maxErrorsPerFile != null) {
      b.maxErrorsPerFile(RunCommand.threshold("--max-errors-per-file", maxErrorsPerFile));
    }
    if (rejectDir != null) {
      b.rejectDir(RunCommand.path("--reject-dir", rejectDir));
    }
  }
}
