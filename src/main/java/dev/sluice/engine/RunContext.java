package dev.sluice.engine;

import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import org.jspecify.annotations.Nullable;

/**
 * What the workers of one run share: configuration, queues, counters, the failure collector and the
 * stop flag.
 *
 * <p>Thread-safe: final fields set before any worker starts (published by {@link Thread#start()}),
 * concurrent collections, and the volatile {@link #stopping} flag.
 */
final class RunContext {
  final PipelineSpec spec;
  final InputFormatProvider input;
  final OutputFormatProvider output;
  final List<InputFile> files;

  /** Output path of each file, by file id. */
  final Path[] outputs;

  /** Reject file path of each file, by file id. */
  final Path[] rejectTargets;

  final RejectCounter errors;

  /** The job's state (manifest), or null for a run without state. */
  final @Nullable StateStore state;

  /** Modification time (ms) of each input when listed, by file id, for the manifest. */
  final long[] mtimes;

  /** Content hash of each input (identity hash), or null entries. */
  final @Nullable String[] hashes;

  final CrashPoints crash;

  /** Forces groups of finished files in parallel; owned by the coordinator. */
  final FsyncPool fsyncPool = new FsyncPool(8);

  /**
   * Whether each file's failure was reported yet (so a failure found by several threads counts
   * once).
   */
  private final java.util.concurrent.atomic.AtomicIntegerArray failureReported;

  /** Permissions a committed file gets (what the umask gives a new file), or null to leave them. */
  volatile java.util.@Nullable Set<java.nio.file.attribute.PosixFilePermission> finalPermissions;

  /**
   * The range this run is restricted to (its writer commits parts, see {@link RangeRun}), or null
   * for a run of whole files. Set before the workers start.
   */
  volatile @Nullable RangeRun range;

  final String runId;
  final EngineHooks hooks;
  final Counters counters = new Counters();
  final FailureCollector failures;
  final SplitFeed feed;

  final BlockingQueue<Batch> toTransformers;
  final BlockingQueue<Chunk>[] toWriters;
  final WriterAssignment writers;

  /** Fixed or automatic thread counts of the run. */
  final AutoSizer.Plan plan;

  /** The live readers: the last one out sends the transformers their end markers. */
  final WorkerSlots readerSlots;

  /** The live transformers: the last one out sends the writers their end markers. */
  final WorkerSlots transformerSlots;

  /**
   * Every reader slot's budget share (one per slot a reader may hold, {@link WorkerSlots#join});
   * all full again once a run has ended, however it ended.
   */
  final List<PermitPool> pools = new java.util.concurrent.CopyOnWriteArrayList<>();

  /** Temporary files that exist right now; whatever is left at the end is deleted. */
  final Set<Path> temps = ConcurrentHashMap.newKeySet();

  /**
   * Output directories this run has made sure exist: {@link java.nio.file.Files#createDirectories}
   * costs a mkdir and a stat per call, once per output file without this (tens of microseconds per
   * small file).
   */
  final Set<Path> madeDirectories = ConcurrentHashMap.newKeySet();

  /**
   * Makes {@code dir} (and its parents) once per run. A file committed in a new directory is
   * durable only once the directory's own entry is, so the parent of each level made is synced with
   * the first group committed into {@code dir}, before its manifest entries ({@link
   * FsyncPool#makeDirectories}; together with the group's own directory syncs, in parallel, rather
   * than one fsync per new directory here). Writers opening files in one new directory at the same
   * time would otherwise both make it; under the lock exactly one does, so a run's file system
   * operations do not depend on how the writers interleave (the fault sweep relies on it).
   */
  void ensureDirectory(Path dir) throws java.io.IOException {
    if (madeDirectories.contains(dir)) {
      return;
    }
    synchronized (madeDirectories) {
      if (!madeDirectories.contains(dir)) {
        fsyncPool.makeDirectories(dir);
        madeDirectories.add(dir);
      }
    }
  }

  /**
   * Reject directories that did not exist when the run was planned: no earlier run can have left a
   * reject file in them, so committing a file without rejects has no stale reject file to delete
   * there (saves an unlink per file).
   */
  final Set<Path> freshRejectDirectories = ConcurrentHashMap.newKeySet();

  /** Set once, on the first failure or an abort; every loop checks it between batches. */
  volatile boolean stopping;

  /** {@link #stopping} for {@link PermitPool#acquire(long, java.util.function.BooleanSupplier)}. */
  final java.util.function.BooleanSupplier stopped = () -> stopping;

  /**
   * The most output bytes a batch has produced per byte of its reader's estimate, times {@link
   * #RATIO_ONE}, never below one: readers ask for their estimate times this, so once the steps are
   * seen to expand their input, the budget is taken before the output exists instead of overdrawn
   * after. Run-wide: the steps are the same for every file.
   */
  private final java.util.concurrent.atomic.AtomicLong outputRatio =
      new java.util.concurrent.atomic.AtomicLong(RATIO_ONE);

  static final long RATIO_ONE = 1024;

  /** Batches smaller than this (a split's last few records) say too little about the steps. */
  private static final long RATIO_MIN_ESTIMATE = 1024;

  /** The permits a reader asks for a batch estimated at {@code estimate} bytes. */
  long ask(long estimate) {
    long r = outputRatio.get();
    if (r == RATIO_ONE) {
      return estimate;
    }
    return estimate > Long.MAX_VALUE / r ? Long.MAX_VALUE : estimate * r / RATIO_ONE;
  }

  /** Notes that a batch estimated at {@code estimate} bytes produced {@code output} bytes. */
  void observeOutput(long estimate, long output) {
    if (estimate < RATIO_MIN_ESTIMATE || output <= estimate) {
      return;
    }
    long r = output > Long.MAX_VALUE / RATIO_ONE ? Long.MAX_VALUE : output * RATIO_ONE / estimate;
    outputRatio.accumulateAndGet(r, Math::max);
  }

  /**
   * Puts {@code x} on {@code q}, waiting for room, but gives up with an InterruptedException once
   * the run stops (looking at least every {@link DefaultPipeline#STOP_CHECK_MILLIS}): the consumer
   * may have died with the queue full, and the interrupt that should have woken this thread may
   * have been swallowed by a user step.
   */
  <T> void put(java.util.concurrent.BlockingQueue<T> q, T x) throws InterruptedException {
    while (!q.offer(
        x, DefaultPipeline.STOP_CHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
      if (stopping) {
        throw new InterruptedException("the run is stopping");
      }
    }
  }

  /** Takes from {@code q}, waiting, but gives up once the run stops, as {@link #put} does. */
  <T> T take(java.util.concurrent.BlockingQueue<T> q) throws InterruptedException {
    while (true) {
      T x = q.poll(DefaultPipeline.STOP_CHECK_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
      if (x != null) {
        return x;
      }
      if (stopping) {
        throw new InterruptedException("the run is stopping");
      }
    }
  }

  @SuppressWarnings("unchecked")
  RunContext(
      PipelineSpec spec,
      InputFormatProvider input,
      OutputFormatProvider output,
      List<InputFile> files,
      Path[] outputs,
      Path[] rejectTargets,
      @Nullable StateStore state,
      long[] mtimes,
      @Nullable String[] hashes,
      CrashPoints crash,
      String runId,
      EngineHooks hooks,
      Runnable onFirstFailure) {
    this.spec = spec;
    this.input = input;
    this.output = output;
    this.files = files;
    this.outputs = outputs;
    this.rejectTargets = rejectTargets;
    this.state = state;
    this.mtimes = mtimes;
    this.hashes = hashes;
    this.crash = crash;
    this.errors = new RejectCounter(spec, files.size());
    this.failureReported = new java.util.concurrent.atomic.AtomicIntegerArray(files.size());
    this.runId = runId;
    this.hooks = hooks;
    this.failures = new FailureCollector(onFirstFailure);
    this.feed = new SplitFeed(files, input);
    this.toTransformers = new ArrayBlockingQueue<>(spec.queueCapacity());
    this.toWriters = new BlockingQueue[spec.writers()];
    for (int i = 0; i < toWriters.length; i++) {
      toWriters[i] = new ArrayBlockingQueue<>(spec.queueCapacity());
    }
    this.writers = new WriterAssignment(spec.writers());
    this.plan = AutoSizer.Plan.of(spec);
    this.readerSlots = new WorkerSlots(plan.maxReaders());
    this.transformerSlots = new WorkerSlots(plan.maxTransformers());
  }

  /**
   * Reports that file {@code fileId} failed under the skip policy, once however many threads find
   * it: the reject listener hears of it and the type is counted (its records are counted when the
   * writer settles the file).
   */
  void fileFailed(int fileId, dev.sluice.api.Reject failure) {
    if (failureReported.compareAndSet(fileId, 0, 1)) {
      errors.reject(fileId, failure, 0);
    }
  }

  /**
   * Heap kept free for the failure path: let go of when the first {@link OutOfMemoryError} is
   * reported, so that describing it, stopping the workers and cleaning up find room even when
   * whatever filled the heap (a user step's cache, say) stays reachable.
   */
  @SuppressWarnings("unused") // only held, never read: its release is what counts
  private volatile byte @Nullable [] reserve = new byte[RESERVE_BYTES];

  static final int RESERVE_BYTES = 1 << 20;

  static {
    warmFailurePath();
  }

  /**
   * Describes a made-up failure once per JVM, so that the classes the failure path initialises
   * (number formatting's locale data, the Unicode tables behind case and whitespace checks) are
   * ready before any run can fill the heap. A class whose initialisation runs out of memory stays
   * unusable for the JVM's life: the message of the real failure would then be a {@link
   * NoClassDefFoundError} instead of the {@link OutOfMemoryError} that caused it.
   */
  static void warmFailurePath() {
    String m =
        ApiAccess.pipelineException(
                Stage.TRANSFORMER,
                "w\u00e4rm\u2026.csv",
                1_234,
                1_233,
                "warm-up",
                "\u2026 warm-up",
                new OutOfMemoryError("warm-up"))
            .getMessage();
    if (m == null || m.strip().toUpperCase(java.util.Locale.ROOT).isBlank()) {
      throw new AssertionError("no failure message");
    }
  }

  /**
   * Reports a failure with its context; the first one starts the cancellation. Never throws: when
   * there is no memory left to describe the failure, it is recorded undescribed (nothing allocated)
   * and the cancellation starts all the same.
   */
  void fail(
      Stage stage,
      @Nullable InputFile file,
      long line,
      long record,
      @Nullable String what,
      @Nullable Throwable cause) {
    if (cause instanceof OutOfMemoryError) {
      reserve = null;
    }
    PipelineException e;
    try {
      String described = what;
      if (cause instanceof VirtualMachineError && what != null) {
        // Its message alone ("Java heap space") does not say what kind of failure it was.
        described = what + " (" + cause.getClass().getSimpleName() + ")";
      }
      e =
          ApiAccess.pipelineException(
              stage,
              file == null ? null : file.relativeName(),
              line,
              record,
              Thread.currentThread().getName(),
              described,
              cause);
    } catch (Throwable t) {
      // Most likely out of memory while formatting the message: stop first, describe later.
      reserve = null;
      failures.failUndescribed(stage, cause != null ? cause : t);
      return;
    }
    try {
      failures.fail(e);
    } catch (Throwable t) {
      // Adding a later failure as suppressed ran out of memory: the first one already stopped the
      // run.
      reserve = null;
      failures.failUndescribed(stage, cause != null ? cause : t);
    }
  }
}
