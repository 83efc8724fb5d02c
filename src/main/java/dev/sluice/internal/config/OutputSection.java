package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The output section ({@link dev.sluice.api.OutputSettings} and the output {@link Format}): where
 * and how the results are written, and how parts are joined. Job file object {@code "output"}. See
 * {@link Section}.
 */
public final class OutputSection extends Section<OutputSection> {
  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      order = 2,
      description = "Output directory (created if missing). Required.")
  @JsonProperty("dir")
  @Nullable Path dir;

  @Option(
      names = "--to",
      paramLabel = "FORMAT",
      order = 11,
      converter = Converters.OutputKind.class,
      description = "Output format: csv, tsv, lines or jsonl (default: the input format).")
  @JsonProperty("format")
  @JsonDeserialize(using = JobJson.OutputKind.class)
  Format.@Nullable Kind format;

  @Option(names = "--crlf", order = 17, description = "End output lines with CRLF (default: LF).")
  @JsonProperty("crlf")
  @Nullable Boolean crlf;

  @Option(
      names = "--gzip-output",
      order = 18,
      description = "Gzip the output files (adds .gz to their names).")
  @JsonProperty("gzip")
  @Nullable Boolean gzip;

  @Option(
      names = "--overwrite",
      order = 3,
      description = "Replace existing output files (by default the run refuses).")
  @JsonProperty("overwrite")
  @Nullable Boolean overwrite;

  @Option(
      names = "--escape-formulas",
      order = 67,
      description =
          "Neutralise cells starting with = + - @ (or tab, CR) by prefixing a ' so spreadsheets"
              + " do not run them as formulas (CSV injection); plain numbers such as -12.5 stay.")
  @JsonProperty("escapeFormulas")
  @Nullable Boolean escapeFormulas;

  @Option(
      converter = Converters.Match.class,
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
  @JsonProperty("columnMatch")
  @Nullable ColumnMatch columnMatch;

  @Option(
      names = "--json-types",
      paramLabel = "TYPES",
      order = 69,
      converter = Converters.JsonTypes.class,
      description =
          "With --to jsonl: strings (default: every value a JSON string) or infer (plain numbers"
              + " as numbers, true/false as booleans, empty as null; leading zeros stay strings).")
  @JsonProperty("jsonTypes")
  Format.@Nullable JsonTypes jsonTypes;

  @Override
  protected OutputSection empty() {
    return new OutputSection();
  }

  /** The output directory, or null when not given. */
  public @Nullable Path dir() {
    return dir;
  }

  /** Sets the output directory (a join's parts directory, standard output's spool). */
  public void dir(Path dir) {
    this.dir = dir;
  }

  /** Whether existing outputs are replaced. */
  public boolean overwrite() {
    return Boolean.TRUE.equals(overwrite);
  }

  /** Replaces existing outputs: the parts directory of a join is the command's own. */
  public void overwrite(boolean replace) {
    overwrite = replace;
  }

  /** Whether a column match was given. */
  public boolean columnMatchGiven() {
    return columnMatch != null;
  }

  /** How parts are joined into one output: strict unless given. */
  public ColumnMatch columnMatch() {
    return columnMatch != null ? columnMatch : ColumnMatch.STRICT;
  }

  /** Whether formula escaping is on. */
  public boolean escapeFormulas() {
    return Boolean.TRUE.equals(escapeFormulas);
  }

  /** The output format: the input's, or another kind with the input's quote and charset. */
  public Format format(Format in) {
    Format.Kind kind = format != null ? format : in.kind();
    Format.Builder f;
    if (kind == in.kind()) {
      f = in.toBuilder().columns(null);
    } else {
      // Another kind brings its own delimiter; the quote and charset carry over.
      f = Format.builder(kind).quote(in.quote()).charset(in.charset());
    }
    if (jsonTypes != null) {
      if (kind != Format.Kind.JSONL) {
        throw new ConfigurationException(
            "--json-types (output.jsonTypes) needs JSON Lines output: add --to jsonl");
      }
      f.jsonTypes(jsonTypes);
    }
    return f.header(kind != Format.Kind.LINES)
        .crlf(Boolean.TRUE.equals(crlf))
        .gzip(Boolean.TRUE.equals(gzip))
        .build();
  }

  /** Sets the output settings on {@code b} (the directory must be given). */
  public void applyTo(PipelineSpec.Builder b, Path output) {
    b.output(output);
    b.overwrite(Boolean.TRUE.equals(overwrite));
  }
}
