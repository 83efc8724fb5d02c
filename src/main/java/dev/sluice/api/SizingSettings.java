package dev.sluice.api;

import java.io.Serializable;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The sizing and timing section of a {@link PipelineSpec}: threads per stage (fixed or resized
 * during the run), queues, batches, the byte budget in flight, and how long the run and its stop
 * may take.
 *
 * <p>Immutable, thread-safe and serializable.
 *
 * @since 0.3
 */
public final class SizingSettings implements Serializable {
  private static final long serialVersionUID = 1L;

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
  private final boolean virtualReaders;
  private final Duration stopTimeout;
  private final @Nullable Duration timeout;
  private final Duration progressInterval;

  private SizingSettings(Builder b) {
    checkPositive("readers", b.readers);
    checkPositive("transformers", b.transformers);
    checkPositive("writers", b.writers);
    checkPositive("queueCapacity", b.queueCapacity);
    checkPositive("batchSize", b.batchSize);
    checkPositive("batchBytes", b.batchBytes);
    if (b.maxInFlight < 1) {
      throw new ConfigurationException("maxInFlight < 1: " + b.maxInFlight);
    }
    this.readers = b.readers;
    this.transformers = b.transformers;
    this.writers = b.writers;
    this.autoReaders = b.autoReaders;
    this.autoTransformers = b.autoTransformers;
    this.threadBudget = b.threadBudget == 0 ? PipelineSpec.defaultThreadBudget() : b.threadBudget;
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
    this.virtualReaders = b.virtualReaders;
    this.stopTimeout = b.stopTimeout;
    this.timeout = b.timeout;
    this.progressInterval = b.progressInterval;
    if (progressInterval.isNegative() || progressInterval.isZero()) {
      throw new ConfigurationException("progressInterval must be positive: " + progressInterval);
    }
    if (timeout != null && (timeout.isNegative() || timeout.isZero())) {
      throw new ConfigurationException("timeout must be positive: " + timeout);
    }
  }

  static void checkPositive(String name, long n) {
    if (n < 1) {
      throw new ConfigurationException(name + " < 1: " + n);
    }
  }

  /** A builder with the defaults (which depend on the cores of this machine). */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this section. */
  public Builder toBuilder() {
    return new Builder().from(this);
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

  /** Whether the reader pool is resized during the run. See {@link Builder#autoThreads()}. */
  public boolean autoReaders() {
    return autoReaders;
  }

  /** Whether the transformer pool is resized during the run. See {@link Builder#autoThreads()}. */
  public boolean autoTransformers() {
    return autoTransformers;
  }

  /** The most reader and transformer threads together under automatic sizing. */
  public int threadBudget() {
    return threadBudget;
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

  /** Whether readers run on virtual threads (Java 21+). */
  public boolean virtualReaders() {
    return virtualReaders;
  }

  /** How long the engine waits for its threads to stop after a failure or abort. */
  public Duration stopTimeout() {
    return stopTimeout;
  }

  /** A bound on the whole run, or null for none. */
  public @Nullable Duration timeout() {
    return timeout;
  }

  /** How often progress is sampled (and listeners called). */
  public Duration progressInterval() {
    return progressInterval;
  }

  /**
   * Builds a {@link SizingSettings}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private int readers = Math.max(2, Runtime.getRuntime().availableProcessors());
    private int transformers = Runtime.getRuntime().availableProcessors();
    private int writers = Math.max(1, Runtime.getRuntime().availableProcessors() / 2);
    private boolean autoReaders;
    private boolean autoTransformers;

    /** Zero: the default, computed when the section is built. */
    private int threadBudget;

    private int queueCapacity = PipelineSpec.DEFAULT_QUEUE_CAPACITY;
    private int batchSize = PipelineSpec.DEFAULT_BATCH_SIZE;
    private int batchBytes = PipelineSpec.DEFAULT_BATCH_BYTES;
    private long maxInFlight = PipelineSpec.DEFAULT_MAX_IN_FLIGHT;
    private boolean virtualReaders;
    private Duration stopTimeout = Duration.ofSeconds(30);
    private @Nullable Duration timeout;
    private Duration progressInterval = Duration.ofMillis(250);

    private Builder() {}

    private Builder from(SizingSettings s) {
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
      virtualReaders = s.virtualReaders;
      stopTimeout = s.stopTimeout;
      timeout = s.timeout;
      progressInterval = s.progressInterval;
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
     * threads for both. See {@link PipelineSpec.Builder#autoThreads()}.
     */
    public Builder autoThreads() {
      return autoReaders(true).autoTransformers(true);
    }

    /** Resize the reader pool during the run (default false). */
    public Builder autoReaders(boolean auto) {
      this.autoReaders = auto;
      return this;
    }

    /** Resize the transformer pool during the run (default false). */
    public Builder autoTransformers(boolean auto) {
      this.autoTransformers = auto;
      return this;
    }

    /** The most reader and transformer threads together under automatic sizing. */
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

    /** Run the readers on virtual threads (default false; needs Java 21 at run time). */
    public Builder virtualReaders(boolean virtual) {
      this.virtualReaders = virtual;
      return this;
    }

    /** How long to wait for threads to stop after a failure (default 30 s). */
    public Builder stopTimeout(Duration timeout) {
      this.stopTimeout = Objects.requireNonNull(timeout, "timeout");
      return this;
    }

    /** A bound on the whole run (default none). */
    public Builder timeout(@Nullable Duration timeout) {
      this.timeout = timeout;
      return this;
    }

    /** How often progress is sampled (default 250 ms). */
    public Builder progressInterval(Duration interval) {
      this.progressInterval = Objects.requireNonNull(interval, "interval");
      return this;
    }

    /** The section. @throws ConfigurationException if the settings are invalid */
    public SizingSettings build() {
      return new SizingSettings(this);
    }
  }
}
