package dev.sluice.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The definition of a job: inputs, output directory, formats, steps and engine sizing. Built with
 * {@link #builder()}, or with {@code dev.sluice.Sluice.builder()} whose builder can also {@link
 * Builder#run() run} the job directly:
 *
 * <pre>{@code
 * RunResult result = Sluice.builder()
 *     .input(Path.of("in"))
 *     .output(Path.of("out"))
 *     .step(Steps.filter("status == SHIPPED"))
 *     .step(Steps.hash("email"))
 *     .run();
 * }</pre>
 *
 * <p>Immutable and thread-safe (the steps and thread factory it holds must be thread-safe too).
 *
 * @since 0.1
 */
public final class PipelineSpec {
  /** Default records per batch. */
  public static final int DEFAULT_BATCH_SIZE = 1000;
  /** Default upper bound of a batch's size in bytes (a batch is cut at whichever comes first). */
  public static final int DEFAULT_BATCH_BYTES = 256 * 1024;
  /** Default queue capacity between stages, in batches. */
  public static final int DEFAULT_QUEUE_CAPACITY = 16;
  /** Default budget of bytes in flight between reading and writing. */
  public static final long DEFAULT_MAX_IN_FLIGHT = 64L * 1024 * 1024;

  private final List<Path> inputs;
  private final List<java.net.URI> inputUrls;
  private final HttpOptions http;
  private final Path output;
  private final Format inputFormat;
  private final Format outputFormat;
  private final List<Step> steps;
  private final int readers;
  private final int transformers;
  private final int writers;
  private final boolean autoReaders;
  private final boolean autoTransformers;
  private final int threadBudget;
  private final int queueCapacity;
  private final int batchSize;
  private final int batchBytes;
  private final long maxInFlight;
  private final boolean overwrite;
  private final Duration stopTimeout;
  private final @Nullable ThreadFactory threadFactory;
  private final boolean virtualReaders;
  private final ErrorPolicy onError;
  private final ErrorThreshold maxErrors;
  private final ErrorThreshold maxErrorsPerFile;
  private final @Nullable Path rejectDir;
  private final @Nullable RejectListener rejectListener;
  private final boolean followSymlinks;
  private final @Nullable Path stateDir;
  private final boolean full;
  private final Identity identity;
  private final Duration waitLock;
  private final @Nullable Duration timeout;
  private final List<RunListener> listeners;
  private final Duration progressInterval;
  private final long limit;
  private final boolean discardOutput;
  private final InputAction onSuccess;
  private final InputAction onFailure;

  /** How the manifest recognises an input file it has already processed. */
  public enum Identity {
    /** Relative path, size and modification time (cheap; the default). */
    STAT,
    /** Relative path and SHA-256 of the content (reads every file once more). */
    HASH
  }

  private PipelineSpec(Builder b) {
    if (b.inputs.isEmpty() && b.inputUrls.isEmpty()) {
      throw new ConfigurationException("no input: add at least one input directory, file, glob or URL");
    }
    for (java.net.URI u : b.inputUrls) {
      checkUrl(u);
    }
    if (!b.inputUrls.isEmpty() && (!b.onSuccess.isKeep() || !b.onFailure.isKeep())) {
      throw new ConfigurationException("URL inputs cannot be moved or deleted: leave on-success and on-failure at keep");
    }
    if (b.output == null) {
      throw new ConfigurationException("no output directory: set output(Path)");
    }
    checkPositive("readers", b.readers);
    checkPositive("transformers", b.transformers);
    checkPositive("writers", b.writers);
    checkPositive("queueCapacity", b.queueCapacity);
    checkPositive("batchSize", b.batchSize);
    checkPositive("batchBytes", b.batchBytes);
    if (b.maxInFlight < 1) {
      throw new ConfigurationException("maxInFlight < 1: " + b.maxInFlight);
    }
    if (b.inputFormat.kind() == Format.Kind.JSONL) {
      throw new ConfigurationException("JSON Lines is an output format only: choose csv, tsv or lines for input");
    }
    this.inputs = List.copyOf(b.inputs);
    this.inputUrls = List.copyOf(b.inputUrls);
    this.http = b.http;
    this.output = b.output;
    this.inputFormat = b.inputFormat;
    this.outputFormat = b.outputFormat != null ? b.outputFormat : defaultOutput(b.inputFormat);
    this.steps = List.copyOf(b.steps);
    this.readers = b.readers;
    this.transformers = b.transformers;
    this.writers = b.writers;
    this.autoReaders = b.autoReaders;
    this.autoTransformers = b.autoTransformers;
    this.threadBudget = b.threadBudget == 0 ? defaultThreadBudget() : b.threadBudget;
    if (autoReaders || autoTransformers) {
      int need = (autoReaders ? 1 : readers) + (autoTransformers ? 1 : transformers);
      if (threadBudget < need) {
        throw new ConfigurationException(
            "threadBudget "
                + threadBudget
                + " leaves no room for automatic sizing: it must cover at least one thread per automatic"
                + " stage plus the fixed stage's threads ("
                + need
                + "); raise it or lower the fixed count");
      }
    }
    this.queueCapacity = b.queueCapacity;
    this.batchSize = b.batchSize;
    this.batchBytes = b.batchBytes;
    this.maxInFlight = b.maxInFlight;
    this.overwrite = b.overwrite;
    this.stopTimeout = b.stopTimeout;
    this.threadFactory = b.threadFactory;
    this.virtualReaders = b.virtualReaders;
    this.onError = b.onError;
    this.maxErrors = b.maxErrors;
    this.maxErrorsPerFile = b.maxErrorsPerFile;
    this.rejectDir = b.rejectDir;
    this.rejectListener = b.rejectListener;
    this.followSymlinks = b.followSymlinks;
    this.stateDir = b.stateDir;
    this.full = b.full;
    this.identity = b.identity;
    this.waitLock = b.waitLock;
    this.timeout = b.timeout;
    this.listeners = List.copyOf(b.listeners);
    this.progressInterval = b.progressInterval;
    this.limit = b.limit;
    this.discardOutput = b.discardOutput;
    this.onSuccess = b.onSuccess;
    this.onFailure = b.onFailure;
    if (limit < 0) {
      throw new ConfigurationException("limit < 0: " + limit);
    }
    if (onSuccess.isMove() && onFailure.isMove() && onSuccess.directory().equals(onFailure.directory())) {
      throw new ConfigurationException("on-success and on-failure move to the same directory " + onSuccess.directory() + ": choose two directories");
    }
    for (InputAction a : List.of(onSuccess, onFailure)) {
      if (a.isMove() && (a.directory().toAbsolutePath().normalize().startsWith(output.toAbsolutePath().normalize()))) {
        throw new ConfigurationException("inputs cannot be moved into the output directory " + output + ": choose another directory");
      }
    }
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new ConfigurationException("progressInterval must be positive: " + progressInterval);
    }
    if (waitLock.isNegative()) {
      throw new ConfigurationException("waitLock < 0: " + waitLock);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new ConfigurationException("timeout must be positive: " + timeout);
    }
  }

  private static Format defaultOutput(Format in) {
    return in.toBuilder().columns(null).header(in.kind() != Format.Kind.LINES).build();
  }

  private static void checkUrl(java.net.URI u) {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!u.isAbsolute() || !(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new ConfigurationException("not an http or https URL with a host: " + u);
    }
  }

  private static void checkPositive(String name, long n) {
    if (n < 1) {
      throw new ConfigurationException(name + " < 1: " + n);
    }
  }

  /** A builder with the defaults. Its {@link Builder#run()} needs a factory: see {@link #builder(PipelineFactory)}. */
  public static Builder builder() {
    return new Builder(null);
  }

  /** A builder whose {@link Builder#run()} and {@link Builder#pipeline()} use {@code factory}. */
  public static Builder builder(PipelineFactory factory) {
    return new Builder(Objects.requireNonNull(factory, "factory"));
  }

  /** A builder that starts from this spec. */
  public Builder toBuilder() {
    return new Builder(null).from(this);
  }

  /** Input directories (read recursively), files or glob patterns such as {@code in/**}{@code /*.csv}. */
  public List<Path> inputs() {
    return inputs;
  }

  /**
   * HTTP and HTTPS URLs to read, after the {@link #inputs()}, in the order given (a URL given twice
   * is read once). Each reader fetches one URL at a time, so N readers keep N requests in flight.
   *
   * <p>A URL's relative name (which the output mirrors) is its path, percent-decoded and
   * sanitised: empty, {@code .} and {@code ..} segments are dropped, backslashes split segments,
   * control characters and {@code :} become {@code _}, a leading {@code .} becomes {@code _}, an
   * empty path is {@code index}. URLs whose names clash (other hosts or queries, or names equal
   * but for case) each get {@code -} and 8 hex digits of the URL's SHA-256 before the extension,
   * so names do not depend on the order of the list.
   *
   * <p>With a state directory a URL is never "already done": every run fetches it again (its
   * manifest entry records the outcome, and the outputs stay owned by the job, so they are
   * replaced without {@code overwrite}).
   *
   * @since 0.2
   */
  public List<java.net.URI> inputUrls() {
    return inputUrls;
  }

  /** How URL inputs are fetched. @since 0.2 */
  public HttpOptions http() {
    return http;
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

  /** The steps, applied in order. */
  public List<Step> steps() {
    return steps;
  }

  /** Reader threads (the starting count under {@link #autoReaders()}). */
  public int readers() {
    return readers;
  }

  /** Transformer threads (the starting count under {@link #autoTransformers()}). */
  public int transformers() {
    return transformers;
  }

  /** Writer threads. */
  public int writers() {
    return writers;
  }

  /**
   * Whether the engine resizes the reader pool during the run from where the stages spend their
   * time ({@link #readers()} is then the starting count). See {@link Builder#autoThreads()}.
   *
   * @since 0.1
   */
  public boolean autoReaders() {
    return autoReaders;
  }

  /**
   * Whether the engine resizes the transformer pool during the run ({@link #transformers()} is then
   * the starting count). See {@link Builder#autoThreads()}.
   *
   * @since 0.1
   */
  public boolean autoTransformers() {
    return autoTransformers;
  }

  /**
   * The most reader and transformer threads, together, that automatic sizing may run at once
   * (writers are not counted: they stay fixed). Default {@link #defaultThreadBudget()}. Only used
   * when {@link #autoReaders()} or {@link #autoTransformers()} is set.
   *
   * @since 0.1
   */
  public int threadBudget() {
    return threadBudget;
  }

  /**
   * The default {@link #threadBudget()}: twice the cores, at least 4. The fixed defaults already
   * run about that many reader and transformer threads (cores of each), so automatic sizing starts
   * there and moves threads to the stage that limits the run; reading from slow storage may use
   * most of them for readers that wait on I/O rather than the CPU.
   *
   * @since 0.1
   */
  public static int defaultThreadBudget() {
    return Math.max(4, 2 * Runtime.getRuntime().availableProcessors());
  }

  /** Capacity of each queue between stages, in batches. */
  public int queueCapacity() {
    return queueCapacity;
  }

  /** Records per batch. */
  public int batchSize() {
    return batchSize;
  }

  /** Bytes per batch, at most (approximate, measured as UTF-16 chars of the parsed records). */
  public int batchBytes() {
    return batchBytes;
  }

  /** Budget of bytes in flight from reading to writing, reorder buffers included. */
  public long maxInFlight() {
    return maxInFlight;
  }

  /** Whether existing output files are replaced. */
  public boolean overwrite() {
    return overwrite;
  }

  /** How long the engine waits for its threads to stop after a failure or abort. */
  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** The thread factory for the engine's threads, or null for Sluice's own platform threads. */
  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  /**
   * Whether readers run on virtual threads (Java 21+), so that many readers can wait on slow
   * storage or the network without a platform thread each.
   */
  public boolean virtualReaders() {
    return virtualReaders;
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
   * Where reject files go: one per input file with rejects, mirroring its relative path with
   * {@code .rejects.csv} appended. Default {@code <output>/_rejects}.
   */
  public Path rejectDir() {
    return rejectDir != null ? rejectDir : output.resolve("_rejects");
  }

  /** Called for every rejected record, or null. */
  public @Nullable RejectListener rejectListener() {
    return rejectListener;
  }

  /**
   * Whether symbolic links that lead outside an input directory are followed (default false: they
   * are skipped with a warning; links inside the input are always followed, loops detected).
   */
  public boolean followSymlinks() {
    return followSymlinks;
  }

  /**
   * The job's state directory (manifest and lock), or null for a run without state: no resume, no
   * lock. The CLI uses {@code <output>/.sluice} unless told otherwise. With a state directory a
   * rerun skips the files a previous run of the same job finished, and processes the rest.
   */
  public @Nullable Path stateDir() {
    return stateDir;
  }

  /** Whether the manifest is ignored: every file is processed again (default false). */
  public boolean full() {
    return full;
  }

  /** How the manifest recognises a file it has processed (default {@link Identity#STAT}). */
  public Identity identity() {
    return identity;
  }

  /** How long to wait for another run's lock before failing with {@link LockHeldException}. */
  public Duration waitLock() {
    return waitLock;
  }

  /** The bound on the whole run, or null for none. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** Who hears about the run's progress and end. */
  public List<RunListener> listeners() {
    return listeners;
  }

  /** How often progress is sampled (and listeners called); default 250 ms. */
  public Duration progressInterval() {
    return progressInterval;
  }

  /** Records read from each file at most (0: all). For trying a job on the first rows. */
  public long limit() {
    return limit;
  }

  /**
   * Whether outputs are computed but not written (no output, reject or state files): for checking
   * inputs against the format and the steps. Rejects still reach the listener and the result.
   */
  public boolean discardOutput() {
    return discardOutput;
  }

  /** What happens to an input file once its output (and manifest entry) is committed. */
  public InputAction onSuccess() {
    return onSuccess;
  }

  /** What happens to an input file that failed as a whole (skip policy), once its reject file is committed. */
  public InputAction onFailure() {
    return onFailure;
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PipelineSpec{inputs=%s%s, output=%s, in=%s, out=%s, steps=%d, threads=%s/%s/%d}",
        inputs,
        inputUrls.isEmpty() ? "" : " + " + inputUrls.size() + " URL(s)",
        output,
        inputFormat,
        outputFormat,
        steps.size(),
        autoReaders ? "auto" : readers,
        autoTransformers ? "auto" : transformers,
        writers);
  }

  /**
   * Builds a {@link PipelineSpec}. Not thread-safe. Validation happens in {@link #build()}, which
   * throws {@link ConfigurationException} with a message saying how to fix the problem.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final @Nullable PipelineFactory factory;
    private final List<Path> inputs = new ArrayList<>();
    private final List<java.net.URI> inputUrls = new ArrayList<>();
    private HttpOptions http = HttpOptions.defaults();
    private @Nullable Path output;
    private Format inputFormat = Format.csv();
    private @Nullable Format outputFormat;
    private final List<Step> steps = new ArrayList<>();
    private int readers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int transformers = Runtime.getRuntime().availableProcessors();
    private int writers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private boolean autoReaders;
    private boolean autoTransformers;
    /** Zero: the default, computed when the spec is built. */
    private int threadBudget;
    private int queueCapacity = DEFAULT_QUEUE_CAPACITY;
    private int batchSize = DEFAULT_BATCH_SIZE;
    private int batchBytes = DEFAULT_BATCH_BYTES;
    private long maxInFlight = DEFAULT_MAX_IN_FLIGHT;
    private boolean overwrite;
    private Duration stopTimeout = Duration.ofSeconds(30);
    private @Nullable ThreadFactory threadFactory;
    private boolean virtualReaders;
    private ErrorPolicy onError = ErrorPolicy.FAIL;
    private ErrorThreshold maxErrors = ErrorThreshold.none();
    private ErrorThreshold maxErrorsPerFile = ErrorThreshold.none();
    private @Nullable Path rejectDir;
    private @Nullable RejectListener rejectListener;
    private boolean followSymlinks;
    private @Nullable Path stateDir;
    private boolean full;
    private Identity identity = Identity.STAT;
    private Duration waitLock = Duration.ZERO;
    private @Nullable Duration timeout;
    private final List<RunListener> listeners = new ArrayList<>();
    private Duration progressInterval = Duration.ofMillis(250);
    private long limit;
    private boolean discardOutput;
    private InputAction onSuccess = InputAction.keep();
    private InputAction onFailure = InputAction.keep();

    private Builder(@Nullable PipelineFactory factory) {
      this.factory = factory;
    }

    private Builder from(PipelineSpec s) {
      inputs.addAll(s.inputs);
      inputUrls.addAll(s.inputUrls);
      http = s.http;
      output = s.output;
      inputFormat = s.inputFormat;
      outputFormat = s.outputFormat;
      steps.addAll(s.steps);
      readers = s.readers;
      transformers = s.transformers;
      writers = s.writers;
      autoReaders = s.autoReaders;
      autoTransformers = s.autoTransformers;
      threadBudget = s.threadBudget;
      queueCapacity = s.queueCapacity;
      batchSize = s.batchSize;
      batchBytes = s.batchBytes;
      maxInFlight = s.maxInFlight;
      overwrite = s.overwrite;
      stopTimeout = s.stopTimeout;
      threadFactory = s.threadFactory;
      virtualReaders = s.virtualReaders;
      onError = s.onError;
      maxErrors = s.maxErrors;
      maxErrorsPerFile = s.maxErrorsPerFile;
      rejectDir = s.rejectDir;
      rejectListener = s.rejectListener;
      followSymlinks = s.followSymlinks;
      stateDir = s.stateDir;
      full = s.full;
      identity = s.identity;
      waitLock = s.waitLock;
      timeout = s.timeout;
      listeners.addAll(s.listeners);
      progressInterval = s.progressInterval;
      limit = s.limit;
      discardOutput = s.discardOutput;
      onSuccess = s.onSuccess;
      onFailure = s.onFailure;
      return this;
    }

    /** Adds an input directory (recursive), file or glob pattern. */
    public Builder input(Path input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    /** Adds several inputs. */
    public Builder inputs(List<Path> more) {
      more.forEach(this::input);
      return this;
    }

    /** Adds an HTTP or HTTPS URL to read (see {@link PipelineSpec#inputUrls()}). @since 0.2 */
    public Builder inputUrl(java.net.URI url) {
      inputUrls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** Adds several URLs. @since 0.2 */
    public Builder inputUrls(List<java.net.URI> more) {
      more.forEach(this::inputUrl);
      return this;
    }

    /** How URLs are fetched (default {@link HttpOptions#defaults()}). @since 0.2 */
    public Builder http(HttpOptions options) {
      this.http = Objects.requireNonNull(options, "options");
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

    /** The output format (default: the input format). */
    public Builder outputFormat(Format format) {
      this.outputFormat = Objects.requireNonNull(format, "format");
      return this;
    }

    /** Appends a step. */
    public Builder step(Step step) {
      steps.add(Objects.requireNonNull(step, "step"));
      return this;
    }

    /** Appends several steps. */
    public Builder steps(List<? extends Step> more) {
      more.forEach(this::step);
      return this;
    }

    /** Reader threads (default: cores, at least 2). */
    public Builder readers(int n) {
      this.readers = n;
      return this;
    }

    /** Transformer threads (default: cores). */
    public Builder transformers(int n) {
      this.transformers = n;
      return this;
    }

    /** Writer threads (default: half the cores, at least 1). */
    public Builder writers(int n) {
      this.writers = n;
      return this;
    }

    /** Sets readers, transformers and writers at once. */
    public Builder threads(int readers, int transformers, int writers) {
      return readers(readers).transformers(transformers).writers(writers);
    }

    /**
     * Resizes the reader and transformer pools during the run, within {@link #threadBudget(int)}
     * threads for both: every few hundred milliseconds the engine looks at where each stage spent
     * its time and moves a thread to the stage that limits the run (readers busy while
     * transformers wait for input: one more reader; transformers busy while readers wait to hand
     * on: one more transformer), and settles once neither is starved. Writers stay at {@link
     * #writers(int)}: each output file is written by one writer from start to end. {@link
     * #readers(int)} and {@link #transformers(int)} become the starting counts. The result reports
     * what the run settled on ({@code RunResult.autoSizing()}).
     *
     * @since 0.1
     */
    public Builder autoThreads() {
      return autoReaders(true).autoTransformers(true);
    }

    /** Resize the reader pool during the run (default false); see {@link #autoThreads()}. */
    public Builder autoReaders(boolean auto) {
      this.autoReaders = auto;
      return this;
    }

    /** Resize the transformer pool during the run (default false); see {@link #autoThreads()}. */
    public Builder autoTransformers(boolean auto) {
      this.autoTransformers = auto;
      return this;
    }

    /**
     * The most reader and transformer threads together under automatic sizing (default {@link
     * PipelineSpec#defaultThreadBudget()}: twice the cores, at least 4).
     */
    public Builder threadBudget(int n) {
      checkPositive("threadBudget", n);
      this.threadBudget = n;
      return this;
    }

    /** Queue capacity between stages, in batches (default 16). */
    public Builder queueCapacity(int n) {
      this.queueCapacity = n;
      return this;
    }

    /** Records per batch (default 1000). */
    public Builder batchSize(int n) {
      this.batchSize = n;
      return this;
    }

    /** Bytes per batch, at most (default 256 KiB). */
    public Builder batchBytes(int n) {
      this.batchBytes = n;
      return this;
    }

    /** Budget of bytes in flight (default 64 MiB). */
    public Builder maxInFlight(long bytes) {
      this.maxInFlight = bytes;
      return this;
    }

    /** Whether existing output files are replaced (default false: the run refuses). */
    public Builder overwrite(boolean overwrite) {
      this.overwrite = overwrite;
      return this;
    }

    /** How long to wait for threads to stop after a failure (default 30 s). */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** The factory for the engine's threads, for example virtual threads on JDK 21+. */
    public Builder threadFactory(@Nullable ThreadFactory factory) {
      this.threadFactory = factory;
      return this;
    }

    /**
     * Run the readers on virtual threads (default false). Needs Java 21 or newer at run time (the
     * library itself targets 17); the run fails with a {@link ConfigurationException} otherwise.
     */
    public Builder virtualReaders(boolean virtual) {
      this.virtualReaders = virtual;
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

    /** Called for every rejected record (from engine threads: must be thread-safe). */
    public Builder rejectListener(@Nullable RejectListener listener) {
      this.rejectListener = listener;
      return this;
    }

    /** Follow symbolic links that lead outside the input directories (default false). */
    public Builder followSymlinks(boolean follow) {
      this.followSymlinks = follow;
      return this;
    }

    /** The state directory for resume and locking, or null for none (default null). */
    public Builder stateDir(@Nullable Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Ignore the manifest and process every file again (default false). */
    public Builder full(boolean full) {
      this.full = full;
      return this;
    }

    /** How the manifest recognises processed files (default STAT). */
    public Builder identity(Identity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** How long to wait for a held lock (default zero: fail at once). */
    public Builder waitLock(Duration wait) {
      this.waitLock = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** A bound on the whole run (default none). */
    public Builder timeout(@Nullable Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** Adds a listener for progress and the end of the run. */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** How often progress is sampled (default 250 ms). */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** Read at most {@code n} records of each file (0: all; default 0). */
    public Builder limit(long n) {
      this.limit = n;
      return this;
    }

    /** Compute but do not write outputs (default false). */
    public Builder discardOutput(boolean discard) {
      this.discardOutput = discard;
      return this;
    }

    /** What to do with an input once its output is committed (default keep). */
    public Builder onSuccess(InputAction action) {
      this.onSuccess = Objects.requireNonNull(action, "action");
      return this;
    }

    /** What to do with an input that failed as a whole (default keep). */
    public Builder onFailure(InputAction action) {
      this.onFailure = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The spec. @throws ConfigurationException if the settings are invalid */
    public PipelineSpec build() {
      return new PipelineSpec(this);
    }

    /** A pipeline for the spec, from the factory this builder was made with. */
    public Pipeline pipeline() {
      if (factory == null) {
        throw new IllegalStateException(
            "this builder has no engine: use dev.sluice.Sluice.builder(), or Sluice.pipeline(spec)");
      }
      return factory.create(build());
    }

    /**
     * Builds the spec, runs it and closes the pipeline.
     *
     * @throws PipelineException if the run failed
     * @throws ConfigurationException if the job is invalid
     */
    public RunResult run() {
      try (Pipeline p = pipeline()) {
        return p.run();
      }
    }
  }
}
