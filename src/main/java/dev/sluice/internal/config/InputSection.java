package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.Format;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineSpec;
import dev.sluice.internal.io.http.UrlList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.Charset;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * The input section ({@link dev.sluice.api.InputSettings} and the input {@link Format}): what is
 * read and how it is parsed. Job file object {@code "input"}. See {@link Section}.
 *
 * <p>Inputs are given as a whole: inputs on the command line (paths or URLs) replace all of the job
 * file's.
 */
public final class InputSection extends Section<InputSection> {
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
      names = "--input-urls",
      paramLabel = "FILE",
      order = 1,
      description =
          "Read the HTTP(S) URLs listed in FILE, one per line ('#' comments and blank lines are"
              + " ignored). Repeatable; --input also takes a URL. Each reader fetches one URL at a"
              + " time: use --readers N (or --virtual-readers) for N requests in flight.")
  List<Path> inputUrlFiles = new ArrayList<>();

  /** Directories, files, globs and URLs; relative paths resolve against the job file. */
  @JsonProperty("paths")
  @JsonDeserialize(using = JobJson.NonEmptyStrings.class)
  @Nullable List<String> paths;

  /** A file listing URLs, one per line. */
  @JsonProperty("urlsFile")
  @Nullable Path urlsFile;

  @Option(
      names = "--from",
      paramLabel = "FORMAT",
      order = 10,
      converter = Converters.InputKind.class,
      description = "Input format: csv, tsv or lines (default: csv).")
  @JsonProperty("format")
  @JsonDeserialize(using = JobJson.InputKind.class)
  Format.@Nullable Kind format;

  @Option(
      names = "--delimiter",
      paramLabel = "C",
      order = 12,
      converter = Converters.Delimiter.class,
      description = "Field delimiter, one character; '\\t' or 'tab' for a tab (default: , or tab).")
  @JsonProperty("delimiter")
  @JsonDeserialize(using = JobJson.Delimiter.class)
  @Nullable Character delimiter;

  @Option(
      names = "--quote",
      paramLabel = "C",
      order = 13,
      converter = Converters.OneChar.class,
      description = "Quote character (default: \").")
  @JsonProperty("quote")
  @JsonDeserialize(using = JobJson.OneChar.class)
  @Nullable Character quote;

  @JsonProperty("header")
  @Nullable Boolean header;

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
  @JsonProperty("columns")
  @JsonDeserialize(using = JobJson.NonEmptyStrings.class)
  @Nullable List<String> columns;

  @Option(
      converter = Converters.CharsetName.class,
      names = "--charset",
      paramLabel = "NAME",
      order = 16,
      description = "Character set of input and output (default: UTF-8).")
  @JsonProperty("charset")
  @Nullable Charset charset;

  @Option(
      names = "--max-record-size",
      paramLabel = "SIZE",
      order = 64,
      converter = Converters.IntSize.class,
      description =
          "Longest record accepted, in characters, e.g. 1m (default: 4m); longer records are"
              + " rejected (RECORD_TOO_LARGE) without being read into memory.")
  @JsonProperty("maxRecordSize")
  @JsonDeserialize(using = JobJson.IntSize.class)
  @Nullable Integer maxRecordSize;

  @Option(
      converter = Converters.Malformed.class,
      names = "--malformed-input",
      paramLabel = "ACTION",
      order = 65,
      description =
          "Bytes invalid in the charset: report (default: the record is rejected as"
              + " INVALID_ENCODING) or replace (they become U+FFFD and the record is kept).")
  @JsonProperty("malformedInput")
  Format.@Nullable MalformedInput malformedInput;

  @Option(
      converter = Converters.Parser.class,
      names = "--csv-parser",
      paramLabel = "PARSER",
      order = 65,
      description =
          "CSV/TSV parser: bytes (default: fields found in the bytes of UTF-8, ASCII and"
              + " ISO-8859-1 input), commons (Apache Commons CSV, the reference) or fastcsv; all"
              + " give the same records, line numbers and rejects.")
  @JsonProperty("csvParser")
  Format.@Nullable Parser csvParser;

  @Option(
      names = "--allow-short-records",
      order = 66,
      description =
          "Pad records with fewer fields than the header with empty strings instead of"
              + " rejecting them (WRONG_FIELD_COUNT).")
  @JsonProperty("allowShortRecords")
  @Nullable Boolean allowShortRecords;

  @Option(
      converter = Converters.BlankLines.class,
      names = "--blank-lines",
      paramLabel = "ACTION",
      order = 66,
      description =
          "Blank lines in CSV/TSV input: skip (default: not records; counted, one warning per"
              + " file), fail (each is a WRONG_FIELD_COUNT reject) or keep (RFC 4180: one empty"
              + " field, an empty value in a one-column file). Lines input keeps them as records.")
  @JsonProperty("blankLines")
  Format.@Nullable BlankLines blankLines;

  @Option(
      names = "--split-size",
      paramLabel = "SIZE",
      order = 48,
      converter = Converters.SizeOrZero.class,
      description =
          "Cut plain CSV, TSV and lines files larger than 1.5 times SIZE into splits that several"
              + " readers parse at once, e.g. 16m, 256m (default: 8m); 0 reads every file whole."
              + " The output is the same.")
  @JsonProperty("splitSize")
  @JsonDeserialize(using = JobJson.SizeOrZero.class)
  @Nullable Long splitSize;

  @Option(
      names = "--follow-symlinks",
      order = 8,
      description =
          "Follow symbolic links that lead outside the input directories (by default they are"
              + " skipped with a warning; links inside are followed, loops skipped).")
  @JsonProperty("followSymlinks")
  @Nullable Boolean followSymlinks;

  @Option(
      names = "--on-success",
      paramLabel = "ACTION",
      order = 72,
      converter = Converters.Action.class,
      description =
          "keep (default), delete or move:DIR: what happens to an input once its output and manifest"
              + " entry are committed.")
  @JsonProperty("onSuccess")
  @Nullable InputAction onSuccess;

  @Option(
      names = "--on-failure",
      paramLabel = "ACTION",
      order = 73,
      converter = Converters.Action.class,
      description =
          "keep (default) or move:DIR: what happens to an input that failed whole under --on-error skip.")
  @JsonProperty("onFailure")
  @Nullable InputAction onFailure;

  // The inputs as read from wherever they were given; null when none were.
  private @Nullable List<Path> resolvedPaths;
  private @Nullable List<URI> resolvedUrls;

  @Override
  protected InputSection empty() {
    return new InputSection();
  }

  /**
   * Folds the command line's inputs and flags into the settings.
   *
   * @throws BadValue naming the option at fault
   */
  public void fold() {
    if (noHeader) {
      header = false;
    }
    List<String> all = new ArrayList<>(inputs);
    all.addAll(positionalInputs);
    List<Path> ps = new ArrayList<>();
    List<URI> us = new ArrayList<>();
    for (String in : all) {
      if (UrlList.looksLikeUrl(in)) {
        us.add(UrlList.parse(in.strip(), "--input"));
      } else {
        ps.add(Values.path(in, "--input"));
      }
    }
    for (Path list : inputUrlFiles) {
      us.addAll(readUrls(list, "--input-urls: ", "URL list "));
    }
    if (!ps.isEmpty() || !us.isEmpty()) {
      resolvedPaths = ps;
      resolvedUrls = us;
    }
  }

  /**
   * Resolves the job file's {@code paths} (against {@code base}) and reads its {@code urlsFile}.
   *
   * @param where the file and ": " for messages
   */
  void resolve(Path base, String where) {
    List<Path> ps = new ArrayList<>();
    List<URI> us = new ArrayList<>();
    if (paths != null) {
      for (int i = 0; i < paths.size(); i++) {
        String key = "input.paths[" + i + "]";
        String s = paths.get(i);
        // The command line's rule (--input), so a job file and a command line read one entry
        // alike.
        if (UrlList.looksLikeUrl(s)) {
          us.add(UrlList.parse(s.strip(), where + key));
        } else {
          try {
            ps.add(JobJson.resolve(base, s));
          } catch (BadValue e) {
            throw new BadValue(e.at(key));
          }
        }
      }
    }
    if (urlsFile != null) {
      us.addAll(readUrls(urlsFile, "input.urlsFile: ", ""));
    }
    if (!ps.isEmpty() || !us.isEmpty()) {
      resolvedPaths = ps;
      resolvedUrls = us;
    }
  }

  private static List<URI> readUrls(Path list, String key, String what) {
    try {
      return UrlList.read(list);
    } catch (UncheckedIOException e) {
      IOException cause = e.getCause();
      Path abs = list.toAbsolutePath().normalize();
      throw new BadValue(
          key
              + (cause instanceof NoSuchFileException
                  ? what + "not found: " + abs
                  : "cannot read " + (what.isEmpty() ? "" : "the " + what) + abs + ": " + cause));
    } catch (dev.sluice.api.ConfigurationException e) {
      throw new BadValue(key + e.getMessage());
    }
  }

  @Override
  protected void adjust(InputSection base, InputSection top, InputSection merged) {
    InputSection from = top.resolvedPaths != null ? top : base;
    merged.resolvedPaths = from.resolvedPaths;
    merged.resolvedUrls = from.resolvedUrls;
  }

  /** Whether an input is {@code -}: standard input. */
  public boolean readsStdin() {
    return inputs.contains("-") || positionalInputs.contains("-");
  }

  /** Replaces the input {@code -} by {@code file}, where standard input was spooled. */
  public void replaceStdin(Path file) {
    inputs.replaceAll(i -> i.equals("-") ? file.toString() : i);
    positionalInputs.replaceAll(i -> i.equals("-") ? file.toString() : i);
  }

  /** The file name extension of the input format given on the command line (csv by default). */
  public String extension() {
    return (format != null ? format : Format.Kind.CSV).extension();
  }

  /** The input paths, possibly empty. */
  public List<Path> inputPaths() {
    return resolvedPaths == null ? List.of() : List.copyOf(resolvedPaths);
  }

  /** The HTTP(S) inputs, possibly empty. */
  public List<URI> inputUrls() {
    return resolvedUrls == null ? List.of() : List.copyOf(resolvedUrls);
  }

  /** The input format this section describes. */
  public Format format() {
    Format.Builder f = Format.builder(format != null ? format : Format.Kind.CSV);
    if (charset != null) {
      f.charset(charset);
    }
    if (maxRecordSize != null) {
      f.maxRecordSize(maxRecordSize);
    }
    if (malformedInput != null) {
      f.malformedInput(malformedInput);
    }
    if (csvParser != null) {
      f.parser(csvParser);
    }
    f.allowShortRecords(Boolean.TRUE.equals(allowShortRecords));
    if (blankLines != null) {
      f.blankLines(blankLines);
    }
    if (splitSize != null) {
      f.splitSize(splitSize);
    }
    if (delimiter != null) {
      f.delimiter(delimiter);
    }
    if (quote != null) {
      f.quote(quote);
    }
    if (header != null) {
      f.header(header);
    }
    if (columns != null) {
      f.columns(columns);
      // Named columns mean the first line is data.
      f.header(false);
    }
    return f.build();
  }

  /** Sets the inputs and the input settings on {@code b}. */
  public void applyTo(PipelineSpec.Builder b) {
    b.inputs(inputPaths());
    b.inputUrls(inputUrls());
    b.followSymlinks(Boolean.TRUE.equals(followSymlinks));
    if (onSuccess != null) {
      b.onSuccess(onSuccess);
    }
    if (onFailure != null) {
      if (onFailure.isDelete()) {
        throw new BadValue(
            "--on-failure delete (input.onFailure) would lose the only copy of a bad input: use"
                + " move:DIR or keep");
      }
      b.onFailure(onFailure);
    }
  }
}
