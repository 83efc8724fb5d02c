package dev.sluice.job;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineFactory;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * A job as read from a job file ({@link JobFile#read}) or assembled from command-line flags: what a
 * {@link PipelineSpec} needs, where every setting may be left unset so that one definition can
 * {@linkplain #overriddenBy override} another. Unset settings take the defaults of {@link
 * PipelineSpec} and {@link Format}, except the state directory, which defaults to {@code
 * <output>/.sluice} as on the command line.
 *
 * <pre>{@code
 * JobDefinition job = JobFile.read(Path.of("jobs/nightly.job"));
 * RunResult r = Sluice.run(job.toSpec());
 * // or, with settings the file does not have:
 * PipelineSpec spec = job.toSpecBuilder().threadFactory(myFactory).build();
 * }</pre>
 *
 * <p>Inputs are paths ({@link #inputs()}) and HTTP(S) URLs ({@link #inputUrls()}); {@link #http()}
 * holds how the URLs are fetched (headers, timeouts, retries).
 *
 * <p>Hash steps added with {@link Builder#hash} are keyed when the definition has a hash key
 * ({@link Builder#hashKeyFile}): they become {@link Steps#hmac} steps, whichever of two definitions
 * laid over each other ({@link #overriddenBy}) gave the steps and which gave the key.
 *
 * <p>Immutable and thread-safe (the steps it holds must be thread-safe, as every {@link Step}).
 *
 * @since 0.1
 */
public final class JobDefinition {
  /** The name of the default state directory under the output directory. */
  public static final String DEFAULT_STATE_DIR = ".sluice";

  /**
   * The fewest bytes a hash key may have; 32 random bytes are recommended.
   *
   * @since 0.2
   */
  public static final int MIN_HASH_KEY_BYTES = 16;

  /**
   * How the per-input parts of a run are joined when they become one output (a merged file,
   * partition files, standard output), for output formats with a header: which columns the joined
   * output has, and what happens when the inputs' columns differ. Columns are always matched by
   * name, so a file with the same columns in another order is reordered.
   *
   * @since 0.2
   */
  public enum ColumnMatch {
    /** Every file must have the first file's columns, in any order; anything else fails the run. */
    STRICT,
    /**
     * The first file's columns; a file may lack some of them (its cells are empty), but a column
     * the first file does not have fails the run.
     */
    FILL,
    /** Every column of every file, in first-seen order; a file's missing cells are empty. */
    UNION;

    /** The constant named {@code name} (any case, surrounding blanks ignored), or null. */
    public static @Nullable ColumnMatch byName(String name) {
      for (ColumnMatch m : values()) {
        if (m.name().equalsIgnoreCase(name.strip())) {
          return m;
        }
      }
      return null;
    }

    /** The lower-case name, as in job files and on the command line. */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final @Nullable String name;
  private final @Nullable Path source;
  private final List<Path> inputs;
  private final List<java.net.URI> inputUrls;
  private final @Nullable Path output;
  private final List<Step> steps;
  // Input format.
  final Format.@Nullable Kind inputKind;
  final @Nullable Character delimiter;
  final @Nullable Character quote;
  final @Nullable Boolean header;
  final @Nullable List<String> columns;
  final @Nullable Charset charset;
  final @Nullable Integer maxRecordSize;
  final Format.@Nullable MalformedInput malformedInput;
  final Format.@Nullable Parser csvParser;
  final @Nullable Boolean allowShortRecords;
  final Format.@Nullable BlankLines blankLines;
  final @Nullable Long splitSize;
  final @Nullable Boolean followSymlinks;
  // Output.
  final Format.@Nullable Kind outputKind;
  final @Nullable Boolean crlf;
  final @Nullable Boolean gzip;
  final @Nullable Boolean overwrite;
  final @Nullable Boolean escapeFormulas;
  private final @Nullable ColumnMatch columnMatch;
  // Hash key: never printed; a copy is handed to each keyed step.
  private final @Nullable Path hashKeyFile;
  private final byte @Nullable [] hashKey;
  // Engine.
  final @Nullable Integer threads;
  final @Nullable Integer readers;
  final @Nullable Integer transformers;
  final @Nullable Integer writers;
  final @Nullable Boolean autoReaders;
  final @Nullable Boolean autoTransformers;
  final @Nullable Integer threadBudget;
  final @Nullable Integer queueCapacity;
  final @Nullable Integer batchSize;
  final @Nullable Integer batchBytes;
  final @Nullable Long maxInFlight;
  final @Nullable Boolean virtualReaders;
  // Errors.
  final @Nullable ErrorPolicy onError;
  final @Nullable ErrorThreshold maxErrors;
  final @Nullable ErrorThreshold maxErrorsPerFile;
  final @Nullable Path rejectDir;
  // State.
  final @Nullable Boolean state;
  final @Nullable Path stateDir;
  final @Nullable Boolean full;
  final PipelineSpec.@Nullable Identity identity;
  final @Nullable Duration waitLock;
  final @Nullable Duration timeout;
  // URL inputs.
  private final @Nullable HttpOptions http;

  private JobDefinition(Builder b) {
    name = b.name;
    source = b.source;
    inputs = List.copyOf(b.inputs);
    inputUrls = List.copyOf(b.inputUrls);
    output = b.output;
    steps = List.copyOf(b.steps);
    inputKind = b.inputKind;
    delimiter = b.delimiter;
    quote = b.quote;
    header = b.header;
    columns = b.columns == null ? null : List.copyOf(b.columns);
    charset = b.charset;
    maxRecordSize = b.maxRecordSize;
    malformedInput = b.malformedInput;
    csvParser = b.csvParser;
    allowShortRecords = b.allowShortRecords;
    blankLines = b.blankLines;
    splitSize = b.splitSize;
    followSymlinks = b.followSymlinks;
    outputKind = b.outputKind;
    crlf = b.crlf;
    gzip = b.gzip;
    overwrite = b.overwrite;
    escapeFormulas = b.escapeFormulas;
    columnMatch = b.columnMatch;
    hashKeyFile = b.hashKeyFile;
    hashKey = b.hashKey;
    threads = b.threads;
    readers = b.readers;
    transformers = b.transformers;
    writers = b.writers;
    autoReaders = b.autoReaders;
    autoTransformers = b.autoTransformers;
    threadBudget = b.threadBudget;
    queueCapacity = b.queueCapacity;
    batchSize = b.batchSize;
    batchBytes = b.batchBytes;
    maxInFlight = b.maxInFlight;
    virtualReaders = b.virtualReaders;
    onError = b.onError;
    maxErrors = b.maxErrors;
    maxErrorsPerFile = b.maxErrorsPerFile;
    rejectDir = b.rejectDir;
    state = b.state;
    stateDir = b.stateDir;
    full = b.full;
    identity = b.identity;
    waitLock = b.waitLock;
    timeout = b.timeout;
    http = b.http;
    if (Boolean.FALSE.equals(state) && stateDir != null) {
      throw new ConfigurationException(
          where() + "a state directory is set but state is disabled: drop one of the two");
    }
  }

  /** An empty definition to fill in. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this definition. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /**
   * The job's name (for logs and metrics): the job file's {@code "name"}, else the file's name
   * without its extension; null when neither is known.
   */
  public @Nullable String name() {
    return name;
  }

  /** The job file this definition was read from, or null. */
  public @Nullable Path source() {
    return source;
  }

  /**
   * The HTTP and HTTPS URL inputs, in order, possibly empty: the job file's {@code input.paths}
   * entries that are URLs and the URLs its {@code input.urlsFile} lists, or {@code --input URL} and
   * {@code --input-urls}.
   *
   * @since 0.2
   */
  public List<java.net.URI> inputUrls() {
    return inputUrls;
  }

  /**
   * How URL inputs are fetched (the job file's {@code http} object), or null when unset: the spec
   * then keeps {@link HttpOptions#defaults()}. {@link HttpOptions#toString()} never shows header
   * values.
   *
   * @since 0.2
   */
  public @Nullable HttpOptions http() {
    return http;
  }

  /** The inputs (already resolved against the job file's directory), possibly empty. */
  public List<Path> inputs() {
    return inputs;
  }

  /** The output directory, or null when unset. */
  public @Nullable Path output() {
    return output;
  }

  /**
   * The steps in order, without the final formula-escaping step that {@code escapeFormulas} adds;
   * hash steps are keyed ({@link Steps#hmac}) when the definition has a hash key.
   */
  public List<Step> steps() {
    List<Step> out = new ArrayList<>(steps.size());
    for (Step s : steps) {
      out.add(s instanceof KeyableHash ? ((KeyableHash) s).with(hashKey) : s);
    }
    return List.copyOf(out);
  }

  /**
   * How the per-input parts are joined into one output ({@code output.columnMatch}), or null when
   * unset: the command line then uses {@link ColumnMatch#STRICT}.
   *
   * @since 0.2
   */
  public @Nullable ColumnMatch columnMatch() {
    return columnMatch;
  }

  /**
   * The file the hash key was read from ({@code hashKeyFile}, {@code --hash-key-file}), or null
   * when hash steps are plain SHA-256. The key itself is never exposed.
   *
   * @since 0.2
   */
  public @Nullable Path hashKeyFile() {
    return hashKeyFile;
  }

  /**
   * This definition with {@code overrides} laid over it, as the command line does over a job file:
   * every setting {@code overrides} sets replaces this one's; its steps, if it has any, replace all
   * of this one's steps; its hash key, if it has one, keys every hash step (this one's too); its
   * inputs (paths and URLs), if it has any, replace all of this one's inputs; its {@link #http()}
   * options, if set, replace this one's as a whole (the command line instead adds its {@code
   * --http-*} options to the job's, see {@code docs/JOB-FILE.md}). Setting {@code threads} in
   * {@code overrides} also drops this definition's per-stage thread counts. The result keeps this
   * definition's {@link #source()}.
   */
  public JobDefinition overriddenBy(JobDefinition overrides) {
    JobDefinition o = Objects.requireNonNull(overrides, "overrides");
    Builder b = toBuilder();
    if (o.name != null) {
      b.name = o.name;
    }
    if (!o.inputs.isEmpty() || !o.inputUrls.isEmpty()) {
      b.inputs.clear();
      b.inputs.addAll(o.inputs);
      b.inputUrls.clear();
      b.inputUrls.addAll(o.inputUrls);
    }
    if (!o.steps.isEmpty()) {
      b.steps.clear();
      b.steps.addAll(o.steps);
    }
    b.output = pick(o.output, output);
    b.inputKind = pick(o.inputKind, inputKind);
    b.delimiter = pick(o.delimiter, delimiter);
    b.quote = pick(o.quote, quote);
    b.header = pick(o.header, header);
    b.columns = pick(o.columns, columns);
    b.charset = pick(o.charset, charset);
    b.maxRecordSize = pick(o.maxRecordSize, maxRecordSize);
    b.malformedInput = pick(o.malformedInput, malformedInput);
    b.csvParser = pick(o.csvParser, csvParser);
    b.allowShortRecords = pick(o.allowShortRecords, allowShortRecords);
    b.blankLines = pick(o.blankLines, blankLines);
    b.splitSize = pick(o.splitSize, splitSize);
    b.followSymlinks = pick(o.followSymlinks, followSymlinks);
    b.outputKind = pick(o.outputKind, outputKind);
    b.crlf = pick(o.crlf, crlf);
    b.gzip = pick(o.gzip, gzip);
    b.overwrite = pick(o.overwrite, overwrite);
    b.escapeFormulas = pick(o.escapeFormulas, escapeFormulas);
    b.columnMatch = pick(o.columnMatch, columnMatch);
    if (o.hashKey != null) {
      // A key given on the command line keys every hash step, the file's steps too.
      b.hashKeyFile = o.hashKeyFile;
      b.hashKey = o.hashKey;
    }
    if (o.threads != null) {
      // "--threads 2" means two of each: a per-stage count from the file would silently win.
      b.threads = o.threads;
      b.readers = o.readers;
      b.transformers = o.transformers;
      b.writers = o.writers;
      b.autoReaders = o.autoReaders;
      b.autoTransformers = o.autoTransformers;
    } else {
      b.readers = pick(o.readers, readers);
      b.transformers = pick(o.transformers, transformers);
      b.writers = pick(o.writers, writers);
      b.autoReaders = pick(o.autoReaders, autoReaders);
      b.autoTransformers = pick(o.autoTransformers, autoTransformers);
    }
    b.threadBudget = pick(o.threadBudget, threadBudget);
    b.queueCapacity = pick(o.queueCapacity, queueCapacity);
    b.batchSize = pick(o.batchSize, batchSize);
    b.batchBytes = pick(o.batchBytes, batchBytes);
    b.maxInFlight = pick(o.maxInFlight, maxInFlight);
    b.virtualReaders = pick(o.virtualReaders, virtualReaders);
    b.onError = pick(o.onError, onError);
    b.maxErrors = pick(o.maxErrors, maxErrors);
    b.maxErrorsPerFile = pick(o.maxErrorsPerFile, maxErrorsPerFile);
    b.rejectDir = pick(o.rejectDir, rejectDir);
    if (o.state != null || o.stateDir != null) {
      // Disabling state drops the file's directory; naming a directory enables state.
      b.state = o.state;
      b.stateDir = o.stateDir;
    }
    b.full = pick(o.full, full);
    b.identity = pick(o.identity, identity);
    b.waitLock = pick(o.waitLock, waitLock);
    b.timeout = pick(o.timeout, timeout);
    b.http = pick(o.http, http);
    return b.build();
  }

  private static <T> @Nullable T pick(@Nullable T override, @Nullable T base) {
    return override != null ? override : base;
  }

  /**
   * The spec this job describes. @throws ConfigurationException if the job is incomplete or invalid
   */
  public PipelineSpec toSpec() {
    return toSpecBuilder().build();
  }

  /**
   * A spec builder with this job's settings, for adding what a job file cannot hold (a thread
   * factory, a reject listener). Its {@code run()} needs a factory: see {@link
   * #toSpecBuilder(PipelineFactory)}.
   *
   * @throws ConfigurationException if inputs or output are missing, or settings contradict
   */
  public PipelineSpec.Builder toSpecBuilder() {
    return applyTo(PipelineSpec.builder());
  }

  /** Like {@link #toSpecBuilder()}, with a builder whose {@code run()} uses {@code factory}. */
  public PipelineSpec.Builder toSpecBuilder(PipelineFactory factory) {
    return applyTo(PipelineSpec.builder(factory));
  }

  private PipelineSpec.Builder applyTo(PipelineSpec.Builder b) {
    if (inputs.isEmpty() && inputUrls.isEmpty()) {
      throw new ConfigurationException(
          where() + "no input: set input.paths in the job file or give --input");
    }
    if (output == null) {
      throw new ConfigurationException(
          where() + "no output directory: set output.dir in the job file or give --output");
    }
    b.inputs(inputs);
    b.inputUrls(inputUrls);
    b.output(output);
    Format in = inputFormat();
    b.inputFormat(in);
    b.outputFormat(outputFormat(in));
    b.steps(steps());
    if (Boolean.TRUE.equals(escapeFormulas)) {
      b.step(Steps.escapeFormulas()); // last, so no later step can reintroduce a formula
    }
    if (threads != null) {
      b.threads(threads, threads, threads);
    }
    if (readers != null) {
      b.readers(readers);
    }
    if (transformers != null) {
      b.transformers(transformers);
    }
    if (writers != null) {
      b.writers(writers);
    }
    b.autoReaders(Boolean.TRUE.equals(autoReaders));
    b.autoTransformers(Boolean.TRUE.equals(autoTransformers));
    if (threadBudget != null) {
      b.threadBudget(threadBudget);
    }
    if (queueCapacity != null) {
      b.queueCapacity(queueCapacity);
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (batchBytes != null) {
      b.batchBytes(batchBytes);
    }
    if (maxInFlight != null) {
      b.maxInFlight(maxInFlight);
    }
    b.virtualReaders(Boolean.TRUE.equals(virtualReaders));
    b.overwrite(Boolean.TRUE.equals(overwrite));
    b.followSymlinks(Boolean.TRUE.equals(followSymlinks));
    if (onError != null) {
      b.onError(onError);
    }
    if ((maxErrors != null || maxErrorsPerFile != null) && onError != ErrorPolicy.SKIP) {
      throw new ConfigurationException(
          where()
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
    if (Boolean.FALSE.equals(state)) {
      b.stateDir(null);
    } else {
      b.stateDir(stateDir != null ? stateDir : output.resolve(DEFAULT_STATE_DIR));
    }
    b.full(Boolean.TRUE.equals(full));
    if (identity != null) {
      b.identity(identity);
    }
    if (waitLock != null) {
      b.waitLock(waitLock);
    }
    b.timeout(timeout);
    if (http != null) {
      b.http(http);
    }
    return b;
  }

  private Format inputFormat() {
    Format.Builder f = Format.builder(inputKind != null ? inputKind : Format.Kind.CSV);
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

  private Format outputFormat(Format in) {
    Format.Kind kind = outputKind != null ? outputKind : in.kind();
    Format.Builder f;
    if (kind == in.kind()) {
      f = in.toBuilder().columns(null);
    } else {
      // Another kind brings its own delimiter; the quote and charset carry over.
      f = Format.builder(kind).quote(in.quote()).charset(in.charset());
    }
    return f.header(kind != Format.Kind.LINES)
        .crlf(Boolean.TRUE.equals(crlf))
        .gzip(Boolean.TRUE.equals(gzip))
        .build();
  }

  private String where() {
    return source != null ? source + ": " : "";
  }

  @Override
  public String toString() {
    return "JobDefinition{name="
        + name
        + ", source="
        + source
        + ", inputs="
        + inputs
        + (inputUrls.isEmpty() ? "" : ", urls=" + inputUrls.size())
        + (http == null ? "" : ", http=" + http)
        + ", output="
        + output
        + ", steps="
        + steps.size()
        + (hashKeyFile == null ? "" : ", hashKeyFile=" + hashKeyFile)
        + "}";
  }

  /**
   * A hash step that takes the definition's key, if any, when the spec is made ({@link #steps()}):
   * a job file's hash steps and a command line's key (or the other way round) come together only
   * when the two definitions are laid over each other. Unkeyed, it is a plain {@link Steps#hash}.
   *
   * <p>Immutable and thread-safe.
   */
  private static final class KeyableHash implements Step {
    private static final long serialVersionUID = 1L;

    private final String[] columns;
    private final Step plain;

    KeyableHash(String[] columns) {
      this.plain = Steps.hash(columns); // validates the columns
      this.columns = columns.clone();
    }

    Step with(byte @Nullable [] key) {
      return key == null ? plain : Steps.hmac(key, columns);
    }

    @Override
    public void apply(dev.sluice.api.Row row, dev.sluice.api.Emitter out) throws Exception {
      plain.apply(row, out);
    }

    @Override
    public dev.sluice.api.Columns outputColumns(dev.sluice.api.Columns input) {
      return plain.outputColumns(input);
    }

    @Override
    public String describe() {
      return plain.describe();
    }

    @Override
    public String toString() {
      return describe();
    }
  }

  /**
   * Builds a {@link JobDefinition}; every setting starts unset. Not thread-safe.
   *
   * @since 0.1
   */
  public static final class Builder {
    private @Nullable String name;
    private @Nullable Path source;
    private final List<Path> inputs = new ArrayList<>();
    private final List<java.net.URI> inputUrls = new ArrayList<>();
    private @Nullable Path output;
    private final List<Step> steps = new ArrayList<>();
    private Format.@Nullable Kind inputKind;
    private @Nullable Character delimiter;
    private @Nullable Character quote;
    private @Nullable Boolean header;
    private @Nullable List<String> columns;
    private @Nullable Charset charset;
    private @Nullable Integer maxRecordSize;
    private Format.@Nullable MalformedInput malformedInput;
    private Format.@Nullable Parser csvParser;
    private @Nullable Boolean allowShortRecords;
    private Format.@Nullable BlankLines blankLines;
    private @Nullable Long splitSize;
    private @Nullable Boolean followSymlinks;
    private Format.@Nullable Kind outputKind;
    private @Nullable Boolean crlf;
    private @Nullable Boolean gzip;
    private @Nullable Boolean overwrite;
    private @Nullable Boolean escapeFormulas;
    private @Nullable ColumnMatch columnMatch;
    private @Nullable Path hashKeyFile;
    private byte @Nullable [] hashKey;
    private @Nullable Integer threads;
    private @Nullable Integer readers;
    private @Nullable Integer transformers;
    private @Nullable Integer writers;
    private @Nullable Boolean autoReaders;
    private @Nullable Boolean autoTransformers;
    private @Nullable Integer threadBudget;
    private @Nullable Integer queueCapacity;
    private @Nullable Integer batchSize;
    private @Nullable Integer batchBytes;
    private @Nullable Long maxInFlight;
    private @Nullable Boolean virtualReaders;
    private @Nullable ErrorPolicy onError;
    private @Nullable ErrorThreshold maxErrors;
    private @Nullable ErrorThreshold maxErrorsPerFile;
    private @Nullable Path rejectDir;
    private @Nullable Boolean state;
    private @Nullable Path stateDir;
    private @Nullable Boolean full;
    private PipelineSpec.@Nullable Identity identity;
    private @Nullable Duration waitLock;
    private @Nullable Duration timeout;
    private @Nullable HttpOptions http;

    private Builder() {}

    private Builder from(JobDefinition d) {
      name = d.name;
      source = d.source;
      inputs.addAll(d.inputs);
      inputUrls.addAll(d.inputUrls);
      output = d.output;
      steps.addAll(d.steps);
      inputKind = d.inputKind;
      delimiter = d.delimiter;
      quote = d.quote;
      header = d.header;
      columns = d.columns;
      charset = d.charset;
      maxRecordSize = d.maxRecordSize;
      malformedInput = d.malformedInput;
      csvParser = d.csvParser;
      allowShortRecords = d.allowShortRecords;
      blankLines = d.blankLines;
      splitSize = d.splitSize;
      followSymlinks = d.followSymlinks;
      outputKind = d.outputKind;
      crlf = d.crlf;
      gzip = d.gzip;
      overwrite = d.overwrite;
      escapeFormulas = d.escapeFormulas;
      columnMatch = d.columnMatch;
      hashKeyFile = d.hashKeyFile;
      hashKey = d.hashKey;
      threads = d.threads;
      readers = d.readers;
      transformers = d.transformers;
      writers = d.writers;
      autoReaders = d.autoReaders;
      autoTransformers = d.autoTransformers;
      threadBudget = d.threadBudget;
      queueCapacity = d.queueCapacity;
      batchSize = d.batchSize;
      batchBytes = d.batchBytes;
      maxInFlight = d.maxInFlight;
      virtualReaders = d.virtualReaders;
      onError = d.onError;
      maxErrors = d.maxErrors;
      maxErrorsPerFile = d.maxErrorsPerFile;
      rejectDir = d.rejectDir;
      state = d.state;
      stateDir = d.stateDir;
      full = d.full;
      identity = d.identity;
      waitLock = d.waitLock;
      timeout = d.timeout;
      http = d.http;
      return this;
    }

    /** The job's name for logs and metrics. */
    public Builder name(@Nullable String name) {
      this.name = name;
      return this;
    }

    /** The job file the definition comes from (named in error messages). */
    public Builder source(@Nullable Path file) {
      this.source = file;
      return this;
    }

    /** Adds an input directory, file or glob. */
    public Builder input(Path input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    /** Adds an HTTP or HTTPS URL input (see {@code PipelineSpec.inputUrls()}). @since 0.2 */
    public Builder inputUrl(java.net.URI url) {
      inputUrls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** The output directory. */
    public Builder output(@Nullable Path dir) {
      this.output = dir;
      return this;
    }

    /** Appends a step. */
    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /**
     * Appends a hash step over {@code columns}: {@link Steps#hmac} with the definition's hash key
     * when it has one (from this definition or one laid over it), {@link Steps#hash} otherwise.
     *
     * @throws ConfigurationException if {@code columns} is empty or names a column twice
     * @since 0.2
     */
    public Builder hash(String... columns) {
      steps.add(new KeyableHash(columns));
      return this;
    }

    /**
     * Reads the hash key from {@code file} (raw bytes, at least {@value
     * JobDefinition#MIN_HASH_KEY_BYTES}), which keys every hash step; null removes the key.
     *
     * @throws ConfigurationException if the file cannot be read or holds too short a key; the
     *     message names the absolute path
     * @since 0.2
     */
    public Builder hashKeyFile(@Nullable Path file) {
      if (file == null) {
        hashKeyFile = null;
        hashKey = null;
        return this;
      }
      Path abs = file.toAbsolutePath().normalize();
      byte[] key;
      try {
        key = Files.readAllBytes(file);
      } catch (NoSuchFileException e) {
        throw new ConfigurationException("hash key file not found: " + abs, e);
      } catch (IOException e) {
        throw new ConfigurationException("cannot read the hash key file " + abs + ": " + e, e);
      }
      if (key.length < MIN_HASH_KEY_BYTES) {
        throw new ConfigurationException(
            "the hash key file "
                + abs
                + " holds "
                + key.length
                + " bytes: use at least 32 random bytes, e.g. head -c 32 /dev/urandom > key");
      }
      hashKeyFile = file;
      hashKey = key;
      return this;
    }

    /**
     * How the per-input parts are joined into one output (merged file, partitions, standard
     * output).
     *
     * @since 0.2
     */
    public Builder columnMatch(@Nullable ColumnMatch match) {
      this.columnMatch = match;
      return this;
    }

    /** The input format's kind (default CSV). */
    public Builder inputFormat(Format.@Nullable Kind kind) {
      this.inputKind = kind;
      return this;
    }

    /** The input field delimiter (default: the kind's). */
    public Builder delimiter(@Nullable Character c) {
      this.delimiter = c;
      return this;
    }

    /** The input quote character (default {@code "}). */
    public Builder quote(@Nullable Character c) {
      this.quote = c;
      return this;
    }

    /** Whether the input has a header row (default: true, false for lines). */
    public Builder header(@Nullable Boolean header) {
      this.header = header;
      return this;
    }

    /** Column names for headerless input (implies no header). */
    public Builder columns(@Nullable List<String> columns) {
      this.columns = columns == null ? null : List.copyOf(columns);
      return this;
    }

    /** The input and output charset (default UTF-8). */
    public Builder charset(@Nullable Charset charset) {
      this.charset = charset;
      return this;
    }

    /** The longest input record accepted, in characters. */
    public Builder maxRecordSize(@Nullable Integer chars) {
      this.maxRecordSize = chars;
      return this;
    }

    /** What to do with bytes invalid in the charset. */
    public Builder malformedInput(Format.@Nullable MalformedInput action) {
      this.malformedInput = action;
      return this;
    }

    /** Which library splits CSV and TSV input into fields. */
    public Builder csvParser(Format.@Nullable Parser parser) {
      this.csvParser = parser;
      return this;
    }

    /** What CSV and TSV readers do with blank lines (null: the format's default, skip). */
    public Builder blankLines(Format.@Nullable BlankLines blankLines) {
      this.blankLines = blankLines;
      return this;
    }

    /** Pad short records instead of rejecting them. */
    public Builder allowShortRecords(@Nullable Boolean allow) {
      this.allowShortRecords = allow;
      return this;
    }

    /** The size of the splits a large input file is cut into, in bytes; 0 reads files whole. */
    public Builder splitSize(@Nullable Long bytes) {
      this.splitSize = bytes;
      return this;
    }

    /** Follow symbolic links leading outside the inputs. */
    public Builder followSymlinks(@Nullable Boolean follow) {
      this.followSymlinks = follow;
      return this;
    }

    /** The output format's kind (default: the input's). */
    public Builder outputFormat(Format.@Nullable Kind kind) {
      this.outputKind = kind;
      return this;
    }

    /** CRLF output line endings. */
    public Builder crlf(@Nullable Boolean crlf) {
      this.crlf = crlf;
      return this;
    }

    /** Gzip the outputs. */
    public Builder gzip(@Nullable Boolean gzip) {
      this.gzip = gzip;
      return this;
    }

    /** Replace existing output files. */
    public Builder overwrite(@Nullable Boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** Append {@link Steps#escapeFormulas()} after every other step. */
    public Builder escapeFormulas(@Nullable Boolean escape) {
      this.escapeFormulas = escape;
      return this;
    }

    /** Readers, transformers and writers at once (per-stage counts win). */
    public Builder threads(@Nullable Integer n) {
      this.threads = n;
      return this;
    }

    /** Reader threads. */
    public Builder readers(@Nullable Integer n) {
      this.readers = n;
      return this;
    }

    /** Transformer threads. */
    public Builder transformers(@Nullable Integer n) {
      this.transformers = n;
      return this;
    }

    /** Writer threads. */
    public Builder writers(@Nullable Integer n) {
      this.writers = n;
      return this;
    }

    /**
     * Resize the reader pool during the run ({@code "readers": "auto"}); {@link #readers} is then
     * the starting count. False overrides a job file's auto.
     *
     * @since 0.1
     */
    public Builder autoReaders(@Nullable Boolean auto) {
      this.autoReaders = auto;
      return this;
    }

    /**
     * Resize the transformer pool during the run ({@code "transformers": "auto"}); {@link
     * #transformers} is then the starting count. False overrides a job file's auto.
     *
     * @since 0.1
     */
    public Builder autoTransformers(@Nullable Boolean auto) {
      this.autoTransformers = auto;
      return this;
    }

    /**
     * The most reader and transformer threads together under automatic sizing.
     *
     * @since 0.1
     */
    public Builder threadBudget(@Nullable Integer n) {
      this.threadBudget = n;
      return this;
    }

    /** Batches per queue between stages. */
    public Builder queueCapacity(@Nullable Integer n) {
      this.queueCapacity = n;
      return this;
    }

    /** Records per batch. */
    public Builder batchSize(@Nullable Integer n) {
      this.batchSize = n;
      return this;
    }

    /** Bytes per batch, at most. @since 0.3 */
    public Builder batchBytes(@Nullable Integer n) {
      this.batchBytes = n;
      return this;
    }

    /** Budget of bytes in flight. */
    public Builder maxInFlight(@Nullable Long bytes) {
      this.maxInFlight = bytes;
      return this;
    }

    /** Readers on virtual threads (Java 21+). */
    public Builder virtualReaders(@Nullable Boolean virtual) {
      this.virtualReaders = virtual;
      return this;
    }

    /** The error policy. */
    public Builder onError(@Nullable ErrorPolicy policy) {
      this.onError = policy;
      return this;
    }

    /** Rejected records allowed in the run (skip policy only). */
    public Builder maxErrors(@Nullable ErrorThreshold threshold) {
      this.maxErrors = threshold;
      return this;
    }

    /** Rejected records allowed per file (skip policy only). */
    public Builder maxErrorsPerFile(@Nullable ErrorThreshold threshold) {
      this.maxErrorsPerFile = threshold;
      return this;
    }

    /** Where reject files go. */
    public Builder rejectDir(@Nullable Path dir) {
      this.rejectDir = dir;
      return this;
    }

    /** Whether the job keeps state (manifest and lock); default true. */
    public Builder state(@Nullable Boolean enabled) {
      this.state = enabled;
      return this;
    }

    /** The state directory (default {@code <output>/.sluice}). */
    public Builder stateDir(@Nullable Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Ignore the manifest: process every file again. */
    public Builder full(@Nullable Boolean full) {
      this.full = full;
      return this;
    }

    /** How the manifest recognises processed files. */
    public Builder identity(PipelineSpec.@Nullable Identity identity) {
      this.identity = identity;
      return this;
    }

    /** How long to wait for another run's lock. */
    public Builder waitLock(@Nullable Duration wait) {
      this.waitLock = wait;
      return this;
    }

    /** A bound on the whole run. */
    public Builder timeout(@Nullable Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /**
     * How URL inputs are fetched: headers, timeouts, retries (default: {@link
     * HttpOptions#defaults()}).
     *
     * @since 0.2
     */
    public Builder http(@Nullable HttpOptions options) {
      this.http = options;
      return this;
    }

    /**
     * The definition. @throws ConfigurationException if state is both disabled and given a
     * directory
     */
    public JobDefinition build() {
      return new JobDefinition(this);
    }
  }
}
