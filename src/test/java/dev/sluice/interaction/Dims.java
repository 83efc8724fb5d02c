package dev.sluice.interaction;

import java.util.List;

/**
 * The dimensions of an interaction case: the seven of issue 14 (input kind, layout, format, error
 * policy, hashing, state, threads), the kill, and the extra ones that decide the seams the issue
 * names (data variants, split size, identity, on-success action, parser, reject directory, select).
 * Each dimension is an enum; {@link #ALL} fixes their order in a case and in its printed form.
 *
 * <p>Immutable.
 */
final class Dims {
  private Dims() {}

  /** How the inputs reach the CLI. */
  enum Input {
    /** {@code --input in} (a directory, read recursively). */
    DIR,
    /**
     * {@code --input 'in/**}{@code /*.{csv,csv.gz}'}, with a decoy file the glob must not match.
     */
    GLOB,
    /** {@code --input -}: one file on standard input. */
    STDIN,
    /** One {@code --input http://127.0.0.1:port/...} per file, served by the test. */
    URL,
    /** {@code --job FILE} naming the input directory relative to the job file. */
    JOB
  }

  /** Where the records go. */
  enum Layout {
    /** {@code --output DIR}: one output per input, mirroring relative paths. */
    PER_FILE,
    /** {@code --merge-output FILE}. */
    MERGE,
    /** {@code --output DIR --partition-by country}. */
    PARTITION,
    /** {@code --output -}. */
    STDOUT
  }

  /** Input and output format: CSV to CSV, TSV to TSV, CSV to JSON Lines. */
  enum Fmt {
    CSV,
    TSV,
    JSONL
  }

  enum Policy {
    FAIL,
    SKIP
  }

  /** {@code --hash email}: none, plain SHA-256, or HMAC-SHA256 with {@code --hash-key-file}. */
  enum Hashing {
    NONE,
    PLAIN,
    KEYED
  }

  /** State directory (manifest and lock) on, or {@code --no-state}. */
  enum State {
    ON,
    OFF
  }

  /** {@code --threads 1}, or several threads per stage. */
  enum Threads {
    ONE,
    MANY
  }

  /** Whether the run is killed (SIGKILL, or a crash point's halt) and then run again. */
  enum Kill {
    NO,
    YES
  }

  /**
   * How the files' headers differ: one file gets its columns reordered, one column fewer or more.
   */
  enum Headers {
    SAME,
    REORDERED,
    MISSING,
    EXTRA
  }

  /** Blank lines: one in the middle of a file, and trailing ones at the end of another. */
  enum Blank {
    NO,
    YES
  }

  /** Bad input: rows with a wrong field count, and also a file that ends inside a quoted field. */
  enum Bad {
    NONE,
    ROWS,
    ROWS_AND_FILE
  }

  /** Some inputs gzipped (named {@code .csv.gz}). */
  enum Gzip {
    NO,
    YES
  }

  /** Quoted fields holding line breaks (records spanning lines). */
  enum Newlines {
    NO,
    YES
  }

  /**
   * Formula-looking cells and a formula-looking column name ({@code @memo}), with {@code
   * --escape-formulas}.
   */
  enum Formulas {
    NO,
    YES
  }

  /** {@code --split-size 0}, or small enough that files are cut into several splits. */
  enum Split {
    WHOLE,
    SMALL
  }

  /** {@code --identity}: stat (default) or hash. */
  enum Identity {
    STAT,
    HASH
  }

  /** {@code --on-success}: keep (default) or {@code move:archive}. */
  enum OnSuccess {
    KEEP,
    MOVE
  }

  /** {@code --csv-parser}: the default (bytes, given by no option) and the two others. */
  enum Parser {
    BYTES,
    COMMONS,
    FASTCSV
  }

  /** Reject files in the default place, or under {@code --reject-dir rejects}. */
  enum RejectDir {
    DEFAULT,
    EXPLICIT
  }

  /** Whether the steps end with a select (which evens out differing headers). */
  enum Select {
    NO,
    YES
  }

  /**
   * Values of the partition column: ordinary country codes, or also values that collide after
   * cleaning ({@code a/b}, {@code a_b}), hold a control character, or are longer than a file name.
   */
  enum PartitionValues {
    PLAIN,
    HOSTILE
  }

  /**
   * Line ends of the inputs: LF, CRLF, or CRLF after a UTF-8 byte order mark (spreadsheet exports).
   */
  enum LineEnds {
    LF,
    CRLF,
    BOM_CRLF
  }

  /** {@code --gzip-output}. */
  enum OutGzip {
    NO,
    YES
  }

  static final List<Class<? extends Enum<?>>> ALL =
      List.of(
          Input.class,
          Layout.class,
          Fmt.class,
          Policy.class,
          Hashing.class,
          State.class,
          Threads.class,
          Kill.class,
          Headers.class,
          Blank.class,
          Bad.class,
          Gzip.class,
          Newlines.class,
          Formulas.class,
          Split.class,
          Identity.class,
          OnSuccess.class,
          Parser.class,
          RejectDir.class,
          Select.class,
          PartitionValues.class,
          LineEnds.class,
          OutGzip.class);
}
