package dev.sluice.api;

import java.io.Serializable;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * How records are laid out in a file: CSV, TSV, plain lines or JSON Lines, with delimiter, quote,
 * header, charset and line ending. Input and output formats are independent. Gzip input is detected
 * from the file's magic bytes, so it is not part of the format.
 *
 * <p>Immutable and thread-safe. Made by {@link #builder} or the shortcuts {@link #csv()}, {@link
 * #tsv()}, {@link #lines()}, {@link #jsonl()}:
 *
 * <pre>{@code
 * Format semicolons = Format.csv().toBuilder().delimiter(';').charset(ISO_8859_1).build();
 * }</pre>
 *
 * @since 0.1
 */
public final class Format implements Serializable {
  private static final long serialVersionUID = 1L;

  /** The kind of file. */
  public enum Kind {
    /** RFC 4180 comma-separated values (strict by default). */
    CSV("csv"),
    /** Tab-separated values: CSV parsing with a tab delimiter. */
    TSV("tsv"),
    /** One record per line, in a single column named {@code line}. */
    LINES("txt"),
    /** JSON Lines output: one object per record, keys from the columns. Output only. */
    JSONL("jsonl");

    private final String extension;

    Kind(String extension) {
      this.extension = extension;
    }

    /** The usual file extension, without the dot. */
    public String extension() {
      return extension;
    }

    /**
     * The kind named {@code csv}, {@code tsv}, {@code lines} (or {@code txt}) or {@code jsonl}, in
     * any case, or null for any other name.
     */
    public static @Nullable Kind byName(String name) {
      switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "csv":
          return CSV;
        case "tsv":
          return TSV;
        case "lines":
        case "txt":
          return LINES;
        case "jsonl":
          return JSONL;
        default:
          return null;
      }
    }
  }

  /** What a reader does with bytes that are not valid in the charset. */
  public enum MalformedInput {
    /** The record is rejected as {@link ErrorType#INVALID_ENCODING}, with its byte offset. */
    REPORT,
    /** Invalid bytes become U+FFFD and the record is kept. */
    REPLACE
  }

  /** How JSON Lines output writes values. */
  public enum JsonTypes {
    /** Every value is a JSON string (the default: nothing is guessed). */
    STRINGS,
    /**
     * Plain numbers become JSON numbers, {@code true}/{@code false} booleans and empty values
     * {@code null}; numbers with leading zeros (zip codes, ids) stay strings.
     */
    INFER
  }

  /**
   * Which library splits CSV and TSV records into fields. Both follow the same rules (the {@code
   * dev.sluice.internal.io.csv} package documentation) and give the same records, line numbers and
   * rejects.
   *
   * @since 0.1
   */
  public enum Parser {
    /**
     * Sluice's byte-level reader, the default: for UTF-8, US-ASCII and ISO-8859-1 input it finds
     * fields in the bytes and makes each value from its bytes, with no decoding pass; the first
     * record it would not read as plainly well-formed (a bad record, whitespace after a closing
     * quote, a wrong field count, ...) hands the rest of the file to Commons CSV, which reports it.
     * Other charsets, and remote inputs, are read by Commons CSV.
     *
     * @since 0.2
     */
    BYTES,
    /** Apache Commons CSV: the reference. */
    COMMONS,
    /**
     * FastCSV: about twice as fast as Commons CSV; a record it would read differently (whitespace
     * after a closing quote, a bare CR inside a quoted field) is read by Commons CSV.
     */
    FASTCSV;

    /** The parser named {@code bytes}, {@code commons} or {@code fastcsv}, in any case, or null. */
    public static @Nullable Parser byName(String name) {
      switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "bytes":
          return BYTES;
        case "commons":
          return COMMONS;
        case "fastcsv":
          return FASTCSV;
        default:
          return null;
      }
    }
  }

  /**
   * What CSV and TSV readers do with a blank line: a line with no character at all between two line
   * breaks (or before the first, or after the last), outside quotes. A line of spaces is not blank
   * (it is a record of one field holding the spaces, as RFC 4180 reads it), nor is a line holding
   * only {@code ""} (a record of one empty field). Plain {@link Kind#LINES} input keeps every empty
   * line as a record with an empty value, whatever this says.
   *
   * @since 0.2
   */
  public enum BlankLines {
    /**
     * Not a record: skipped, as nearly every CSV reader does, and counted (the engine warns once
     * per file with the count). The default. Line numbers of later records stay those of the file.
     */
    SKIP,
    /**
     * Bad input: a {@link ErrorType#WRONG_FIELD_COUNT} "blank line" reject with no fields, in a
     * file of any width (a one-column file included); before the header, a failure of the file.
     */
    FAIL,
    /**
     * RFC 4180's literal reading: a record of one empty field, so an empty value in a one-column
     * file and a {@link ErrorType#WRONG_FIELD_COUNT} reject (or, with {@link #allowShortRecords()},
     * a record of empty values) in a wider one.
     */
    KEEP;

    /** The setting named {@code skip}, {@code fail} or {@code keep}, in any case, or null. */
    public static @Nullable BlankLines byName(String name) {
      switch (name.strip().toLowerCase(java.util.Locale.ROOT)) {
        case "skip":
          return SKIP;
        case "fail":
          return FAIL;
        case "keep":
          return KEEP;
        default:
          return null;
      }
    }
  }

  /** Default {@link #maxRecordSize()}: 4 Mi characters. */
  public static final int DEFAULT_MAX_RECORD_SIZE = 4 * 1024 * 1024;

  /**
   * Default {@link #splitSize()}: 8 MiB. Splits are written in order, so a reader that is a split
   * ahead holds its records until the writer reaches them, within its share of the in-flight budget
   * ({@code 64m} over 2 readers is 32 MB, about 6 MB of CSV text as rows). A split larger than that
   * stalls its reader halfway: on one 823 MB file 32 MiB splits ran 1.15-1.2 x slower than 8 MiB
   * ones (4 MiB: no better). At 8 MiB a split's fixed costs (opening the file, reading the header,
   * checking one boundary) are still well under 1% of its parse time (BENCHMARKS.md).
   *
   * @since 0.1
   */
  public static final long DEFAULT_SPLIT_SIZE = 8L * 1024 * 1024;

  private final Kind kind;
  private final char delimiter;
  private final char quote;
  private final boolean header;
  private final @Nullable List<String> columns;
  private final String charset;
  private final boolean crlf;
  private final boolean gzip;
  private final int maxRecordSize;
  private final MalformedInput malformedInput;
  private final boolean allowShortRecords;
  private final JsonTypes jsonTypes;
  private final Parser parser;
  private final long splitSize;
  private final BlankLines blankLines;

  private Format(Builder b) {
    this.kind = b.kind;
    this.delimiter = b.delimiter != null ? b.delimiter : (b.kind == Kind.TSV ? '\t' : ',');
    this.quote = b.quote;
    this.header = b.header;
    this.columns = b.columns == null ? null : List.copyOf(b.columns);
    this.charset = b.charset.name();
    this.crlf = b.crlf;
    this.gzip = b.gzip;
    this.maxRecordSize = b.maxRecordSize;
    this.malformedInput = b.malformedInput;
    this.allowShortRecords = b.allowShortRecords;
    this.jsonTypes = b.jsonTypes;
    this.parser = b.parser;
    this.splitSize = b.splitSize;
    this.blankLines = b.blankLines;
    validate();
  }

  private void validate() {
    if (delimiter == quote) {
      throw new ConfigurationException(
          "delimiter and quote are both '" + delimiter + "': choose different characters");
    }
    if (delimiter == '\n' || delimiter == '\r' || quote == '\n' || quote == '\r') {
      throw new ConfigurationException("delimiter and quote cannot be line breaks");
    }
    if (maxRecordSize < 1) {
      throw new ConfigurationException("maxRecordSize < 1: " + maxRecordSize);
    }
    if (columns != null && columns.isEmpty()) {
      throw new ConfigurationException("columns is empty: name at least one column");
    }
    if (splitSize < 0) {
      throw new ConfigurationException(
          "splitSize < 0: " + splitSize + " (0 reads each file whole)");
    }
  }

  /** Strict RFC 4180 CSV with a header row, comma, double quote, UTF-8, LF. */
  public static Format csv() {
    return builder(Kind.CSV).build();
  }

  /** Tab-separated values with a header row. */
  public static Format tsv() {
    return builder(Kind.TSV).build();
  }

  /** Plain text, one record per line, one column named {@code line}, no header. */
  public static Format lines() {
    return builder(Kind.LINES).header(false).build();
  }

  /** JSON Lines (output only). */
  public static Format jsonl() {
    return builder(Kind.JSONL).build();
  }

  /** A builder for {@code kind} with that kind's defaults. */
  public static Builder builder(Kind kind) {
    return new Builder(kind);
  }

  /** A builder that starts from this format. */
  public Builder toBuilder() {
    return new Builder(this);
  }

  /** The kind of file. */
  public Kind kind() {
    return kind;
  }

  /** The field delimiter (CSV and TSV). */
  public char delimiter() {
    return delimiter;
  }

  /** The quote character (CSV and TSV). */
  public char quote() {
    return quote;
  }

  /** Whether the first record is a header (input) or a header is written (output). */
  public boolean header() {
    return header;
  }

  /** Column names for files without a header, or null for positional names {@code c1..cn}. */
  public @Nullable List<String> columns() {
    return columns;
  }

  /** The character set. */
  public Charset charset() {
    return Charset.forName(charset);
  }

  /** Whether output lines end in CRLF instead of LF. */
  public boolean crlf() {
    return crlf;
  }

  /** The output line ending. */
  public String lineSeparator() {
    return crlf ? "\r\n" : "\n";
  }

  /** Whether output is gzip-compressed (output formats only). */
  public boolean gzip() {
    return gzip;
  }

  /**
   * The longest record a reader accepts, in characters (fields, delimiters and quotes). A longer
   * record is rejected as {@link ErrorType#RECORD_TOO_LARGE} without being held in memory.
   */
  public int maxRecordSize() {
    return maxRecordSize;
  }

  /** What a reader does with bytes that are not valid in the charset (default REPORT). */
  public MalformedInput malformedInput() {
    return malformedInput;
  }

  /**
   * Whether a record with fewer fields than the header is padded with empty strings instead of
   * being rejected as {@link ErrorType#WRONG_FIELD_COUNT} (default false). Extra fields are always
   * an error.
   */
  public boolean allowShortRecords() {
    return allowShortRecords;
  }

  /** How JSON Lines output writes values (default STRINGS). */
  public JsonTypes jsonTypes() {
    return jsonTypes;
  }

  /** Which reader splits CSV and TSV input into fields (default BYTES). */
  public Parser parser() {
    return parser;
  }

  /**
   * The size in bytes of the pieces ("splits") a large input file is cut into, so that several
   * readers parse one file at once (default {@link #DEFAULT_SPLIT_SIZE}); 0 reads every file whole.
   * A hint: only plain (not gzip) files in an ASCII-compatible charset of at least 1.5 splits are
   * cut, at record boundaries the reader can prove; the output is the same either way.
   *
   * @since 0.1
   */
  public long splitSize() {
    return splitSize;
  }

  /**
   * What CSV and TSV readers do with blank lines (default {@link BlankLines#SKIP}); lines input
   * keeps them as records.
   *
   * @since 0.2
   */
  public BlankLines blankLines() {
    return blankLines;
  }

  @Override
  public boolean equals(Object o) {
    if (!(o instanceof Format)) {
      return false;
    }
    Format f = (Format) o;
    return kind == f.kind
        && delimiter == f.delimiter
        && quote == f.quote
        && header == f.header
        && Objects.equals(columns, f.columns)
        && charset.equals(f.charset)
        && crlf == f.crlf
        && gzip == f.gzip
        && maxRecordSize == f.maxRecordSize
        && malformedInput == f.malformedInput
        && allowShortRecords == f.allowShortRecords
        && jsonTypes == f.jsonTypes
        && parser == f.parser
        && splitSize == f.splitSize
        && blankLines == f.blankLines;
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        kind,
        delimiter,
        quote,
        header,
        columns,
        charset,
        crlf,
        gzip,
        maxRecordSize,
        malformedInput,
        allowShortRecords,
        jsonTypes,
        parser,
        splitSize,
        blankLines);
  }

  @Override
  public String toString() {
    return kind.extension()
        + "(delimiter="
        + (delimiter == '\t' ? "\\t" : String.valueOf(delimiter))
        + ", header="
        + header
        + ", charset="
        + charset
        + (crlf ? ", crlf" : "")
        + (gzip ? ", gzip" : "")
        + ")";
  }

  /**
   * Builds a {@link Format}. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private Kind kind;
    private @Nullable Character delimiter;
    private char quote = '"';
    private boolean header = true;
    private @Nullable List<String> columns;
    private Charset charset = StandardCharsets.UTF_8;
    private boolean crlf;
    private boolean gzip;
    private int maxRecordSize = DEFAULT_MAX_RECORD_SIZE;
    private MalformedInput malformedInput = MalformedInput.REPORT;
    private boolean allowShortRecords;
    private JsonTypes jsonTypes = JsonTypes.STRINGS;
    private Parser parser = Parser.BYTES;
    private long splitSize = DEFAULT_SPLIT_SIZE;
    private BlankLines blankLines = BlankLines.SKIP;

    private Builder(Kind kind) {
      this.kind = Objects.requireNonNull(kind, "kind");
      this.header = kind != Kind.LINES;
    }

    private Builder(Format f) {
      this.kind = f.kind;
      this.delimiter = f.delimiter;
      this.quote = f.quote;
      this.header = f.header;
      this.columns = f.columns;
      this.charset = f.charset();
      this.crlf = f.crlf;
      this.gzip = f.gzip;
      this.maxRecordSize = f.maxRecordSize;
      this.malformedInput = f.malformedInput;
      this.allowShortRecords = f.allowShortRecords;
      this.jsonTypes = f.jsonTypes;
      this.parser = f.parser;
      this.splitSize = f.splitSize;
      this.blankLines = f.blankLines;
    }

    /** Changes the kind; the delimiter follows the kind unless set explicitly. */
    public Builder kind(Kind kind) {
      if (this.kind != kind && delimiter != null && (delimiter == ',' || delimiter == '\t')) {
        delimiter = null;
      }
      this.kind = Objects.requireNonNull(kind, "kind");
      return this;
    }

    /** The field delimiter (default comma, or tab for TSV). */
    public Builder delimiter(char delimiter) {
      this.delimiter = delimiter;
      return this;
    }

    /** The quote character (default {@code "}). */
    public Builder quote(char quote) {
      this.quote = quote;
      return this;
    }

    /** Whether a header row is read or written (default true, false for lines). */
    public Builder header(boolean header) {
      this.header = header;
      return this;
    }

    /** Column names for headerless input. */
    public Builder columns(@Nullable List<String> columns) {
      this.columns = columns;
      return this;
    }

    /** The character set (default UTF-8). */
    public Builder charset(Charset charset) {
      this.charset = Objects.requireNonNull(charset, "charset");
      return this;
    }

    /** Whether output lines end in CRLF (default LF). */
    public Builder crlf(boolean crlf) {
      this.crlf = crlf;
      return this;
    }

    /** Whether output is gzip-compressed (default false). */
    public Builder gzip(boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /** The longest record accepted, in characters (default 4 Mi). */
    public Builder maxRecordSize(int chars) {
      this.maxRecordSize = chars;
      return this;
    }

    /** What to do with bytes invalid in the charset (default REPORT). */
    public Builder malformedInput(MalformedInput action) {
      this.malformedInput = Objects.requireNonNull(action, "action");
      return this;
    }

    /** How JSON Lines output writes values (default STRINGS). */
    public Builder jsonTypes(JsonTypes types) {
      this.jsonTypes = Objects.requireNonNull(types, "types");
      return this;
    }

    /** Which reader splits CSV and TSV input into fields (default BYTES). */
    public Builder parser(Parser parser) {
      this.parser = Objects.requireNonNull(parser, "parser");
      return this;
    }

    /**
     * The size of the splits a large input file is cut into, in bytes; 0 reads every file whole
     * (default {@link #DEFAULT_SPLIT_SIZE}).
     *
     * @since 0.1
     */
    public Builder splitSize(long bytes) {
      this.splitSize = bytes;
      return this;
    }

    /**
     * What CSV and TSV readers do with blank lines (default {@link BlankLines#SKIP}).
     *
     * @since 0.2
     */
    public Builder blankLines(BlankLines blankLines) {
      this.blankLines = Objects.requireNonNull(blankLines, "blankLines");
      return this;
    }

    /** Pad records with too few fields instead of rejecting them (default false). */
    public Builder allowShortRecords(boolean allow) {
      this.allowShortRecords = allow;
      return this;
    }

    /**
     * The format.
     *
     * @throws ConfigurationException if the settings contradict each other
     */
    public Format build() {
      return new Format(this);
    }
  }
}
