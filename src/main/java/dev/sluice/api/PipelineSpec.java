package dev.sluice.api;

import java.io.Serializable;
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
public final class PipelineSpec implements Serializable {
  private static final long serialVersionUID = 1L;

  /** Default records per batch. */
  public static final int DEFAULT_BATCH_SIZE = 1000;

  /** Default upper bound of a batch's size in bytes (a batch is cut at whichever comes first). */
  public static final int DEFAULT_BATCH_BYTES = 256 * 1024;

  /** Default queue capacity between stages, in batches. */
  public static final int DEFAULT_QUEUE_CAPACITY = 16;

  /** Default budget of bytes in flight between reading and writing. */
  public static final long DEFAULT_MAX_IN_FLIGHT = 64L * 1024 * 1024;

  private final InputSettings input;
  private final OutputSettings outputSettings;
  private final SizingSettings sizing;
  private final ErrorSettings errors;
  private final StateSettings state;
  private final List<Step> steps;

  /** Belongs to this JVM: a serialized spec carries none (see {@link RuntimeHooks}). */
  private final transient RuntimeHooks hooks;

  /** How the manifest recognises an input file it has already processed. */
  public enum Identity {
    /** Relative path, size and modification time (cheap; the default). */
    STAT,
    /** Relative path and SHA-256 of the content (reads every file once more). */
    HASH
  }

  private PipelineSpec(Builder b) {
    this.input = b.input.build();
    this.outputSettings = b.output.build();
    this.sizing = b.sizing.build();
    this.errors = b.errors.build();
    this.state = b.state.build();
    this.steps = List.copyOf(b.steps);
    this.hooks = b.hooks.build();
    Path out = outputSettings.output().toAbsolutePath().normalize();
    for (InputAction a : List.of(input.onSuccess(), input.onFailure())) {
      if (a.isMove() && a.directory().toAbsolutePath().normalize().startsWith(out)) {
        throw new ConfigurationException(
            "inputs cannot be moved into the output directory "
                + outputSettings.output()
                + ": choose another directory");
      }
    }
  }

  /**
   * A builder with the defaults. Its {@link Builder#run()} needs a factory: see {@link
   * #builder(PipelineFactory)}.
   */
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

  /** The input section: what is read and what happens to inputs once done. @since 0.3 */
  public InputSettings inputSettings() {
    return input;
  }

  /** The output and format section. @since 0.3 */
  public OutputSettings outputSettings() {
    return outputSettings;
  }

  /** The sizing and timing section. @since 0.3 */
  public SizingSettings sizingSettings() {
    return sizing;
  }

  /** The error section. @since 0.3 */
  public ErrorSettings errorSettings() {
    return errors;
  }

  /** The state section. @since 0.3 */
  public StateSettings stateSettings() {
    return state;
  }

  /**
   * The listeners and thread factory; {@link RuntimeHooks#none()} after deserialization. @since 0.3
   */
  public RuntimeHooks hooks() {
    return hooks;
  }

  /**
   * Input directories (read recursively), files or glob patterns such as {@code in/**}{@code
   * /*.csv}.
   */
  public List<Path> inputs() {
    return input.inputs();
  }

  /**
   * HTTP and HTTPS URLs to read, after the {@link #inputs()}, in the order given (a URL given twice
   * is read once). Each reader fetches one URL at a time, so N readers keep N requests in flight.
   *
   * <p>A URL's relative name (which the output mirrors) is its path, percent-decoded and sanitised:
   * empty, {@code .} and {@code ..} segments are dropped, backslashes split segments, control
   * characters and {@code :} become {@code _}, a leading {@code .} becomes {@code _}, an empty path
   * is {@code index}. URLs whose names clash (other hosts or queries, or names equal but for case)
   * each get {@code -} and 8 hex digits of the URL's SHA-256 before the extension, so names do not
   * depend on the order of the list.
   *
   * <p>With a state directory a URL is never "already done": every run fetches it again (its
   * manifest entry records the outcome, and the outputs stay owned by the job, so they are replaced
   * without {@code overwrite}).
   *
   * @since 0.2
   */
  public List<java.net.URI> inputUrls() {
    return input.inputUrls();
  }

  /** How URL inputs are fetched. @since 0.2 */
  public HttpOptions http() {
    return input.http();
  }

  /** The output directory; output files mirror the inputs' relative paths under it. */
  public Path output() {
    return outputSettings.output();
  }

  /** The input format. */
  public Format inputFormat() {
    return outputSettings.inputFormat();
  }

  /** The output format (by default the input format with a header for CSV/TSV). */
  public Format outputFormat() {
    return outputSettings.outputFormat();
  }

  /** The steps, applied in order. */
  public List<Step> steps() {
    return steps;
  }

  /** Reader threads (the starting count under {@link #autoReaders()}). */
  public int readers() {
    return sizing.readers();
  }

  /** Transformer threads (the starting count under {@link #autoTransformers()}). */
  public int transformers() {
    return sizing.transformers();
  }

  /** Writer threads. */
  public int writers() {
    return sizing.writers();
  }

  /**
   * Whether the engine resizes the reader pool during the run from where the stages spend their
   * time ({@link #readers()} is then the starting count). See {@link Builder#autoThreads()}.
   *
   * @since 0.1
   */
  public boolean autoReaders() {
    return sizing.autoReaders();
  }

  /**
   * Whether the engine resizes the transformer pool during the run ({@link #transformers()} is then
   * the starting count). See {@link Builder#autoThreads()}.
   *
   * @since 0.1
   */
  public boolean autoTransformers() {
    return sizing.autoTransformers();
  }

  /**
   * The most reader and transformer threads, together, that automatic sizing may run at once
   * (writers are not counted: they stay fixed). Default {@link #defaultThreadBudget()}. Only used
   * when {@link #autoReaders()} or {@link #autoTransformers()} is set.
   *
   * @since 0.1
   */
  public int threadBudget() {
    return sizing.threadBudget();
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
    return sizing.queueCapacity();
  }

  /** Records per batch. */
  public int batchSize() {
    return sizing.batchSize();
  }

  /** Bytes per batch, at most (approximate, measured as UTF-16 chars of the parsed records). */
  public int batchBytes() {
    return sizing.batchBytes();
  }

  /** Budget of bytes in flight from reading to writing, reorder buffers included. */
  public long maxInFlight() {
    return sizing.maxInFlight();
  }

  /** Whether existing output files are replaced. */
  public boolean overwrite() {
    return outputSettings.overwrite();
  }

  /** How long the engine waits for its threads to stop after a failure or abort. */
  public Duration stopTimeout() {
    return sizing.stopTimeout();
  }

  /** The thread factory for the engine's threads, or null for Sluice's own platform threads. */
  public @Nullable ThreadFactory threadFactory() {
    return hooks.threadFactory();
  }

  /**
   * Whether readers run on virtual threads (Java 21+), so that many readers can wait on slow
   * storage or the network without a platform thread each.
   */
  public boolean virtualReaders() {
    return sizing.virtualReaders();
  }

  /** What the run does with bad input (default {@link ErrorPolicy#FAIL}). */
  public ErrorPolicy onError() {
    return errors.onError();
  }

  /** Rejected records allowed in the whole run under {@link ErrorPolicy#SKIP} (default none). */
  public ErrorThreshold maxErrors() {
    return errors.maxErrors();
  }

  /** Rejected records allowed per input file under {@link ErrorPolicy#SKIP} (default none). */
  public ErrorThreshold maxErrorsPerFile() {
    return errors.maxErrorsPerFile();
  }

  /**
   * Where reject files go: one per input file with rejects, mirroring its relative path with {@code
   * .rejects.csv} appended. Default {@code <output>/_rejects}.
   */
  public Path rejectDir() {
    Path dir = errors.rejectDir();
    return dir != null ? dir : outputSettings.output().resolve("_rejects");
  }

  /** Called for every rejected record, or null. */
  public @Nullable RejectListener rejectListener() {
    return hooks.rejectListener();
  }

  /**
   * Whether symbolic links that lead outside an input directory are followed (default false: they
   * are skipped with a warning; links inside the input are always followed, loops detected).
   */
  public boolean followSymlinks() {
    return input.followSymlinks();
  }

  /**
   * The job's state directory (manifest and lock), or null for a run without state: no resume, no
   * lock. The CLI uses {@code <output>/.sluice} unless told otherwise. With a state directory a
   * rerun skips the files a previous run of the same job finished, and processes the rest.
   */
  public @Nullable Path stateDir() {
    return state.stateDir();
  }

  /** Whether the manifest is ignored: every file is processed again (default false). */
  public boolean full() {
    return state.full();
  }

  /** How the manifest recognises a file it has processed (default {@link Identity#STAT}). */
  public Identity identity() {
    return state.identity();
  }

  /** How long to wait for another run's lock before failing with {@link LockHeldException}. */
  public Duration waitLock() {
    return state.waitLock();
  }

  /** The bound on the whole run, or null for none. */
  public @Nullable Duration timeout() {
    return sizing.timeout();
  }

  /** Who hears about the run's progress and end. */
  public List<RunListener> listeners() {
    return hooks.listeners();
  }

  /** How often progress is sampled (and listeners called); default 250 ms. */
  public Duration progressInterval() {
    return sizing.progressInterval();
  }

  /** Records read from each file at most (0: all). For trying a job on the first rows. */
  public long limit() {
    return input.limit();
  }

  /**
   * Whether outputs are computed but not written (no output, reject or state files): for checking
   * inputs against the format and the steps. Rejects still reach the listener and the result.
   */
  public boolean discardOutput() {
    return outputSettings.discardOutput();
  }

  /** What happens to an input file once its output (and manifest entry) is committed. */
  public InputAction onSuccess() {
    return input.onSuccess();
  }

  /**
   * What happens to an input file that failed as a whole (skip policy), once its reject file is
   * committed.
   */
  public InputAction onFailure() {
    return input.onFailure();
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "PipelineSpec{inputs=%s%s, output=%s, in=%s, out=%s, steps=%d, threads=%s/%s/%d}",
        input.inputs(),
        input.inputUrls().isEmpty() ? "" : " + " + input.inputUrls().size() + " URL(s)",
        outputSettings.output(),
        outputSettings.inputFormat(),
        outputSettings.outputFormat(),
        steps.size(),
        sizing.autoReaders() ? "auto" : sizing.readers(),
        sizing.autoTransformers() ? "auto" : sizing.transformers(),
        sizing.writers());
  }

  private Object writeReplace() {
    return new Form(this);
  }

  private void readObject(java.io.ObjectInputStream in) throws java.io.InvalidObjectException {
    throw new java.io.InvalidObjectException("PipelineSpec travels as its serial form");
  }

  /** The serial form: the sections and the steps; the runtime hooks stay behind. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;

    private final InputSettings input;
    private final OutputSettings output;
    private final SizingSettings sizing;
    private final ErrorSettings errors;
    private final StateSettings state;
    private final ArrayList<Step> steps;

    Form(PipelineSpec s) {
      this.input = s.input;
      this.output = s.outputSettings;
      this.sizing = s.sizing;
      this.errors = s.errors;
      this.state = s.state;
      this.steps = new ArrayList<>(s.steps);
    }

    private Object readResolve() {
      return builder()
          .inputSettings(input)
          .outputSettings(output)
          .sizingSettings(sizing)
          .errorSettings(errors)
          .stateSettings(state)
          .steps(steps)
          .build();
    }
  }

  /**
   * Builds a {@link PipelineSpec}. Not thread-safe. Validation happens in {@link #build()}, which
   * throws {@link ConfigurationException} with a message saying how to fix the problem.
   *
   * @since 0.1
   */
  public static final class Builder {
    private final @Nullable PipelineFactory factory;
    private InputSettings.Builder input = InputSettings.builder();
    private OutputSettings.Builder output = OutputSettings.builder();
    private SizingSettings.Builder sizing = SizingSettings.builder();
    private ErrorSettings.Builder errors = ErrorSettings.builder();
    private StateSettings.Builder state = StateSettings.builder();
    private final List<Step> steps = new ArrayList<>();
    private RuntimeHooks.Builder hooks = RuntimeHooks.builder();

    private Builder(@Nullable PipelineFactory factory) {
      this.factory = factory;
    }

    private Builder from(PipelineSpec s) {
      input = s.input.toBuilder();
      output = s.outputSettings.toBuilder();
      sizing = s.sizing.toBuilder();
      errors = s.errors.toBuilder();
      state = s.state.toBuilder();
      steps.addAll(s.steps);
      hooks = s.hooks.toBuilder();
      return this;
    }

    /** Replaces the input section. @since 0.3 */
    public Builder inputSettings(InputSettings section) {
      this.input = section.toBuilder();
      return this;
    }

    /** Replaces the output and format section. @since 0.3 */
    public Builder outputSettings(OutputSettings section) {
      this.output = section.toBuilder();
      return this;
    }

    /** Replaces the sizing and timing section. @since 0.3 */
    public Builder sizingSettings(SizingSettings section) {
      this.sizing = section.toBuilder();
      return this;
    }

    /** Replaces the error section. @since 0.3 */
    public Builder errorSettings(ErrorSettings section) {
      this.errors = section.toBuilder();
      return this;
    }

    /** Replaces the state section. @since 0.3 */
    public Builder stateSettings(StateSettings section) {
      this.state = section.toBuilder();
      return this;
    }

    /** Replaces the runtime hooks. @since 0.3 */
    public Builder hooks(RuntimeHooks hooks) {
      this.hooks = hooks.toBuilder();
      return this;
    }

    /*
     * The setters below each delegate to a section's builder. They stay because they are the API
     * that library users and several hundred test lines build specs with; a setting added from
     * now on lives in its section only (see docs/ARCHITECTURE.md).
     */

    /** Adds an input directory (recursive), file or glob pattern. */
    public Builder input(Path input) {
      this.input.input(input);
      return this;
    }

    /** Adds several inputs. */
    public Builder inputs(List<Path> more) {
      more.forEach(this::input);
      return this;
    }

    /** Adds an HTTP or HTTPS URL to read (see {@link PipelineSpec#inputUrls()}). @since 0.2 */
    public Builder inputUrl(java.net.URI url) {
      this.input.inputUrl(url);
      return this;
    }

    /** Adds several URLs. @since 0.2 */
    public Builder inputUrls(List<java.net.URI> more) {
      more.forEach(this::inputUrl);
      return this;
    }

    /** How URLs are fetched (default {@link HttpOptions#defaults()}). @since 0.2 */
    public Builder http(HttpOptions options) {
      this.input.http(options);
      return this;
    }

    /** The output directory (created if missing). */
    public Builder output(Path output) {
      this.output.output(output);
      return this;
    }

    /** The input format (default {@link Format#csv()}). */
    public Builder inputFormat(Format format) {
      this.output.inputFormat(format);
      return this;
    }

    /** The output format (default: the input format). */
    public Builder outputFormat(Format format) {
      this.output.outputFormat(format);
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
      this.sizing.readers(n);
      return this;
    }

    /** Transformer threads (default: cores). */
    public Builder transformers(int n) {
      this.sizing.transformers(n);
      return this;
    }

    /** Writer threads (default: half the cores, at least 1). */
    public Builder writers(int n) {
      this.sizing.writers(n);
      return this;
    }

    /** Sets readers, transformers and writers at once. */
    public Builder threads(int readers, int transformers, int writers) {
      return readers(readers).transformers(transformers).writers(writers);
    }

    /**
     * Resizes the reader and transformer pools during the run, within {@link #threadBudget(int)}
     * threads for both: every few hundred milliseconds the engine looks at where each stage spent
     * its time and moves a thread to the stage that limits the run (readers busy while transformers
     * wait for input: one more reader; transformers busy while readers wait to hand on: one more
     * transformer), and settles once neither is starved. Writers stay at {@link #writers(int)}:
     * each output file is written by one writer from start to end. {@link #readers(int)} and {@link
     * #transformers(int)} become the starting counts. The result reports what the run settled on
     * ({@code RunResult.autoSizing()}).
     *
     * @since 0.1
     */
    public Builder autoThreads() {
      return autoReaders(true).autoTransformers(true);
    }

    /** Resize the reader pool during the run (default false); see {@link #autoThreads()}. */
    public Builder autoReaders(boolean auto) {
      this.sizing.autoReaders(auto);
      return this;
    }

    /** Resize the transformer pool during the run (default false); see {@link #autoThreads()}. */
    public Builder autoTransformers(boolean auto) {
      this.sizing.autoTransformers(auto);
      return this;
    }

    /**
     * The most reader and transformer threads together under automatic sizing (default {@link
     * PipelineSpec#defaultThreadBudget()}: twice the cores, at least 4).
     */
    public Builder threadBudget(int n) {
      this.sizing.threadBudget(n);
      return this;
    }

    /** Queue capacity between stages, in batches (default 16). */
    public Builder queueCapacity(int n) {
      this.sizing.queueCapacity(n);
      return this;
    }

    /** Records per batch (default 1000). */
    public Builder batchSize(int n) {
      this.sizing.batchSize(n);
      return this;
    }

    /** Bytes per batch, at most (default 256 KiB). */
    public Builder batchBytes(int n) {
      this.sizing.batchBytes(n);
      return this;
    }

    /** Budget of bytes in flight (default 64 MiB). */
    public Builder maxInFlight(long bytes) {
      this.sizing.maxInFlight(bytes);
      return this;
    }

    /** Whether existing output files are replaced (default false: the run refuses). */
    public Builder overwrite(boolean overwrite) {
      this.output.overwrite(overwrite);
      return this;
    }

    /** How long to wait for threads to stop after a failure (default 30 s). */
    public Builder stopTimeout(Duration timeout) {
      this.sizing.stopTimeout(timeout);
      return this;
    }

    /** The factory for the engine's threads, for example virtual threads on JDK 21+. */
    public Builder threadFactory(@Nullable ThreadFactory factory) {
      this.hooks.threadFactory(factory);
      return this;
    }

    /**
     * Run the readers on virtual threads (default false). Needs Java 21 or newer at run time (the
     * library itself targets 17); the run fails with a {@link ConfigurationException} otherwise.
     */
    public Builder virtualReaders(boolean virtual) {
      this.sizing.virtualReaders(virtual);
      return this;
    }

    /** What to do with bad input (default FAIL: the first bad record fails the run). */
    public Builder onError(ErrorPolicy policy) {
      this.errors.onError(policy);
      return this;
    }

    /** Rejected records allowed in the run under SKIP (default none). */
    public Builder maxErrors(ErrorThreshold threshold) {
      this.errors.maxErrors(threshold);
      return this;
    }

    /** Rejected records allowed per input file under SKIP (default none). */
    public Builder maxErrorsPerFile(ErrorThreshold threshold) {
      this.errors.maxErrorsPerFile(threshold);
      return this;
    }

    /** Where reject files go (default {@code <output>/_rejects}). */
    public Builder rejectDir(@Nullable Path dir) {
      this.errors.rejectDir(dir);
      return this;
    }

    /** Called for every rejected record (from engine threads: must be thread-safe). */
    public Builder rejectListener(@Nullable RejectListener listener) {
      this.hooks.rejectListener(listener);
      return this;
    }

    /** Follow symbolic links that lead outside the input directories (default false). */
    public Builder followSymlinks(boolean follow) {
      this.input.followSymlinks(follow);
      return this;
    }

    /** The state directory for resume and locking, or null for none (default null). */
    public Builder stateDir(@Nullable Path dir) {
      this.state.stateDir(dir);
      return this;
    }

    /** Ignore the manifest and process every file again (default false). */
    public Builder full(boolean full) {
      this.state.full(full);
      return this;
    }

    /** How the manifest recognises processed files (default STAT). */
    public Builder identity(Identity identity) {
      this.state.identity(identity);
      return this;
    }

    /** How long to wait for a held lock (default zero: fail at once). */
    public Builder waitLock(Duration wait) {
      this.state.waitLock(wait);
      return this;
    }

    /** A bound on the whole run (default none). */
    public Builder timeout(@Nullable Duration timeout) {
      this.sizing.timeout(timeout);
      return this;
    }

    /** Adds a listener for progress and the end of the run. */
    public Builder listener(RunListener listener) {
      this.hooks.listener(listener);
      return this;
    }

    /** How often progress is sampled (default 250 ms). */
    public Builder progressInterval(Duration interval) {
      this.sizing.progressInterval(interval);
      return this;
    }

    /** Read at most {@code n} records of each file (0: all; default 0). */
    public Builder limit(long n) {
      this.input.limit(n);
      return this;
    }

    /** Compute but do not write outputs (default false). */
    public Builder discardOutput(boolean discard) {
      this.output.discardOutput(discard);
      return this;
    }

    /** What to do with an input once its output is committed (default keep). */
    public Builder onSuccess(InputAction action) {
      this.input.onSuccess(action);
      return this;
    }

    /** What to do with an input that failed as a whole (default keep). */
    public Builder onFailure(InputAction action) {
      this.input.onFailure(action);
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
