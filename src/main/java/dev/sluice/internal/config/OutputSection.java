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

  @Option(
      names = "--merge-output",
      paramLabel = "FILE",
      order = 68,
      description =
          "Write all inputs into one FILE: one header, columns matched by name (--column-match),"
              + " records in listing order then input order, committed atomically at the end"
              + " (gzipped with --gzip-output). Each input's part is kept in .FILE.parts/ with"
              + " the usual manifest, so a rerun redoes only what is missing.")
  @JsonProperty("mergeFile")
  @Nullable Path mergeFile;

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
  @JsonProperty("partitionBy")
  @Nullable String partitionBy;

  @Override
  protected OutputSection empty() {
    return new OutputSection();
  }

  @Override
  protected void adjust(OutputSection base, OutputSection top, OutputSection merged) {
    // One merged file or one directory: a layer that names one drops the other's of the layer
    // below (a command line's --output over a job file's mergeFile, and the reverse).
    if (top.dir != null && top.mergeFile == null) {
      merged.mergeFile = null;
    }
    if (top.mergeFile != null && top.dir == null) {
      merged.dir = null;
    }
  }

  /** {@code --merge-output} / {@code output.mergeFile}: the one file all inputs go to, or null. */
  public @Nullable Path mergeFile() {
    return mergeFile;
  }

  /** {@code --partition-by} / {@code output.partitionBy}: the column, or null. */
  public @Nullable String partitionBy() {
    return partitionBy;
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
