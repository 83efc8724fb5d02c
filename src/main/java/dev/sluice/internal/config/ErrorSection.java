package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The error section ({@link dev.sluice.api.ErrorSettings}): what the run does with bad input, how
 * many rejects it allows, and where reject files go. Job file object {@code "errors"}. See {@link
 * Section}.
 */
public final class ErrorSection extends Section<ErrorSection> {
  @Option(
      converter = Converters.Policy.class,
      names = "--on-error",
      paramLabel = "POLICY",
      order = 60,
      description =
          "fail (default): the first bad record or file fails the run (exit 1). skip: bad records"
              + " go to reject files and the run goes on (exit 3 when anything was rejected).")
  @JsonProperty("onError")
  @Nullable ErrorPolicy onError;

  @Option(
      converter = Converters.Threshold.class,
      names = "--max-errors",
      paramLabel = "N|P%",
      order = 61,
      description =
          "With --on-error skip: fail the run (exit 1) once more than N records, or more than P%%"
              + " of the records read (checked after 1,000 records and at the end), are rejected.")
  @JsonProperty("maxErrors")
  @Nullable ErrorThreshold maxErrors;

  @Option(
      converter = Converters.Threshold.class,
      names = "--max-errors-per-file",
      paramLabel = "N|P%",
      order = 62,
      description = "Like --max-errors, for each input file.")
  @JsonProperty("maxErrorsPerFile")
  @Nullable ErrorThreshold maxErrorsPerFile;

  @Option(
      names = "--reject-dir",
      paramLabel = "DIR",
      order = 63,
      description =
          "Where reject files go: one per input file with rejects, <name>.rejects.csv (default:"
              + " <output>/_rejects).")
  @JsonProperty("rejectDir")
  @Nullable Path rejectDir;

  @Override
  protected ErrorSection empty() {
    return new ErrorSection();
  }

  /** Whether the policy given is skip. */
  public boolean skips() {
    return onError == ErrorPolicy.SKIP;
  }

  /** The reject directory given, or null. */
  public @Nullable Path rejectDir() {
    return rejectDir;
  }

  /**
   * Sets what this section holds on {@code b}.
   *
   * @param where the job file and ": ", or "", for the message of a threshold without skip
   */
  public void applyTo(PipelineSpec.Builder b, String where) {
    if (onError != null) {
      b.onError(onError);
    }
    if ((maxErrors != null || maxErrorsPerFile != null) && onError != ErrorPolicy.SKIP) {
      throw new ConfigurationException(
          where
              + "maxErrors and maxErrorsPerFile need the skip policy (--on-error skip, or"
              + " errors.onError: \"skip\" in a job file)");
    }
    if (maxErrors != null) {
      b.maxErrors(maxErrors);
    }
    if (maxErrorsPerFile != null) {
      b.maxErrorsPerFile(maxErrorsPerFile);
    }
    b.rejectDir(rejectDir);
  }
}
