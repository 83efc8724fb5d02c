package dev.sluice.api;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The output and format section of a {@link PipelineSpec}: where outputs go, the input and output
 * formats, and whether existing outputs are replaced or nothing is written at all.
 *
 * <p>Immutable and thread-safe. Serializable: the output directory travels as an absolute URI.
 *
 * @since 0.3
 */
public final class OutputSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Path output;
  private final Format inputFormat;
  private final Format outputFormat;
  private final boolean overwrite;
  private final boolean discardOutput;

  private OutputSettings(Builder b) {
    if (b.output == null) {
      throw new ConfigurationException("no output directory: set output(Path)");
    }
    if (b.inputFormat.kind() == Format.Kind.JSONL) {
      throw new ConfigurationException(
          "JSON Lines is an output format only: choose csv, tsv or lines for input");
    }
    this.output = b.output;
    this.inputFormat = b.inputFormat;
    this.outputFormat = b.outputFormat != null ? b.outputFormat : defaultOutput(b.inputFormat);
    this.overwrite = b.overwrite;
    this.discardOutput = b.discardOutput;
  }

  private static Format defaultOutput(Format in) {
    return in.toBuilder().columns(null).header(in.kind() != Format.Kind.LINES).build();
  }

  /** A builder with the defaults (CSV in and out); set at least the output directory. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this section. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /** The output directory; output files mirror the inputs' relative paths under it. */
  public Path output() {
    return output;
  }

  /** The input format. */
  public Format inputFormat() {
    return inputFormat;
  }

  /** The output format (by default the input format with a header for CSV/TSV). */
  public Format outputFormat() {
    return outputFormat;
  }

  /** Whether existing output files are replaced. */
  public boolean overwrite() {
    return overwrite;
  }

  /** Whether outputs are computed but not written. See {@link PipelineSpec#discardOutput()}. */
  public boolean discardOutput() {
    return discardOutput;
  }

  private Object writeReplace() {
    return new Form(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("OutputSettings travels as its serial form");
  }

  /** The serial form: the output directory as a URI. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String output;
    private final Format inputFormat;
    private final Format outputFormat;
    private final boolean overwrite;
    private final boolean discardOutput;

    Form(OutputSettings s) {
      this.output = Objects.requireNonNull(SerialForms.uri(s.output));
      this.inputFormat = s.inputFormat;
      this.outputFormat = s.outputFormat;
      this.overwrite = s.overwrite;
      this.discardOutput = s.discardOutput;
    }

    private Object readResolve() {
      return builder()
          .output(Objects.requireNonNull(SerialForms.path(output)))
          .inputFormat(inputFormat)
          .outputFormat(outputFormat)
          .overwrite(overwrite)
          .discardOutput(discardOutput)
          .build();
    }
  }

  /**
   * Builds an {@link OutputSettings}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private @Nullable Path output;
    private Format inputFormat = Format.csv();
    private @Nullable Format outputFormat;
    private boolean overwrite;
    private boolean discardOutput;

    private Builder() {}

    private Builder from(OutputSettings s) {
      output = s.output;
      inputFormat = s.inputFormat;
      // The derived output format is kept as set, as a copy of the job should write the same.
      outputFormat = s.outputFormat;
      overwrite = s.overwrite;
      discardOutput = s.discardOutput;
      return this;
    }

    /** The output directory (created if missing). */
    public Builder output(Path output) {
      this.output = Objects.requireNonNull(output, "output");
      return this;
    }

    /** The input format (default {@link Format#csv()}). */
    public Builder inputFormat(Format format) {
      this.inputFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /** The output format (default: the input format, with a header for CSV/TSV). */
    public Builder outputFormat(Format format) {
      this.outputFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Whether existing output files are replaced (default false: the run refuses). */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** Compute but do not write outputs (default false). */
    public Builder discardOutput(boolean discard) {
      this.discardOutput = discard;
      return this;
    }

    /** The section. @throws ConfigurationException if the settings are invalid */
    public OutputSettings build() {
      return new OutputSettings(this);
    }
  }
}
