package dev.sluice.api;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The error section of a {@link PipelineSpec}: what the run does with bad input, how many rejects
 * it allows, and where reject files go.
 *
 * <p>Immutable and thread-safe. Serializable: thresholds travel as their text, the reject directory
 * as an absolute URI.
 *
 * @since 0.3
 */
public final class ErrorSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final ErrorPolicy onError;
  private final ErrorThreshold maxErrors;
  private final ErrorThreshold maxErrorsPerFile;
  private final @Nullable Path rejectDir;

  private ErrorSettings(Builder b) {
    this.onError = b.onError;
    this.maxErrors = b.maxErrors;
    this.maxErrorsPerFile = b.maxErrorsPerFile;
    this.rejectDir = b.rejectDir;
  }

  /** A builder with the defaults: fail on the first bad record. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this section. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /** What the run does with bad input (default {@link ErrorPolicy#FAIL}). */
  public ErrorPolicy onError() {
    return onError;
  }

  /** Rejected records allowed in the whole run under {@link ErrorPolicy#SKIP} (default none). */
  public ErrorThreshold maxErrors() {
    return maxErrors;
  }

  /** Rejected records allowed per input file under {@link ErrorPolicy#SKIP} (default none). */
  public ErrorThreshold maxErrorsPerFile() {
    return maxErrorsPerFile;
  }

  /**
   * The reject directory as set, or null for the default under the output directory (see {@link
   * PipelineSpec#rejectDir()}, which resolves it).
   */
  public @Nullable Path rejectDir() {
    return rejectDir;
  }

  private Object writeReplace() {
    return new Form(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("ErrorSettings travels as its serial form");
  }

  /** The serial form. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ErrorPolicy onError;
    private final String maxErrors;
    private final String maxErrorsPerFile;
    private final @Nullable String rejectDir;

    Form(ErrorSettings s) {
      this.onError = s.onError;
      this.maxErrors = SerialForms.threshold(s.maxErrors);
      this.maxErrorsPerFile = SerialForms.threshold(s.maxErrorsPerFile);
      this.rejectDir = SerialForms.uri(s.rejectDir);
    }

    private Object readResolve() {
      return builder()
          .onError(onError)
          .maxErrors(SerialForms.threshold(maxErrors))
          .maxErrorsPerFile(SerialForms.threshold(maxErrorsPerFile))
          .rejectDir(SerialForms.path(rejectDir))
          .build();
    }
  }

  /**
   * Builds an {@link ErrorSettings}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private ErrorPolicy onError = ErrorPolicy.FAIL;
    private ErrorThreshold maxErrors = ErrorThreshold.none();
    private ErrorThreshold maxErrorsPerFile = ErrorThreshold.none();
    private @Nullable Path rejectDir;

    private Builder() {}

    private Builder from(ErrorSettings s) {
      onError = s.onError;
      maxErrors = s.maxErrors;
      maxErrorsPerFile = s.maxErrorsPerFile;
      rejectDir = s.rejectDir;
      return this;
    }

    /** What to do with bad input (default FAIL: the first bad record fails the run). */
    public Builder onError(ErrorPolicy policy) {
      this.onError = Objects.requireNonNull(policy, "policy");
      return this;
    }

    /** Rejected records allowed in the run under SKIP (default none). */
    public Builder maxErrors(ErrorThreshold threshold) {
      this.maxErrors = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /** Rejected records allowed per input file under SKIP (default none). */
    public Builder maxErrorsPerFile(ErrorThreshold threshold) {
      this.maxErrorsPerFile = Objects.requireNonNull(threshold, "threshold");
      return this;
    }

    /** Where reject files go (default {@code <output>/_rejects}). */
    public Builder rejectDir(@Nullable Path dir) {
      this.rejectDir = dir;
      return this;
    }

    /** The section. */
    public ErrorSettings build() {
      return new ErrorSettings(this);
    }
  }
}
