package dev.sluice.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.internal.fs.DurableFiles;
import dev.sluice.internal.fs.ObjectStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator of one run: lists the inputs, plans the outputs, starts the worker threads, waits
 * for them, and turns the outcome into a {@link RunResult} or one {@link PipelineException}.
 *
 * <p>Thread-safe: {@link #run()} is guarded to run once; {@link #abort()} and {@link #close()} may
 * be called from any thread. The {@link #lock} monitor guards {@link #running} and is what the
 * coordinator waits on; workers notify it when they exit and the failure path notifies it when the
 * run starts stopping.
 */
final class DefaultPipeline implements Pipeline {
  private static final Logger log = LoggerFactory.getLogger(DefaultPipeline.class);

  private final PipelineSpec spec;
  private final InputFormatProvider input;
  private final OutputFormatProvider output;

  /** Listing, identities, resume decisions and output planning, shared by run() and plan(). */
  private final RunPlanner planner;

  private final EngineHooks hooks;
  private final Ticker clock;
  private final List<StageMeter> meters = new CopyOnWriteArrayList<>();
  private volatile @Nullable RunSampler monitor;

  /** Files to process instead of listing the spec's inputs, or null. */
  private @Nullable List<InputFile> fixedFiles;

  /** The one range of the one fixed file this run is restricted to, or null. */
  private @Nullable RangeRun range;

  private final AtomicBoolean started = new AtomicBoolean();
  private final List<Thread> threads = new CopyOnWriteArrayList<>();
  private final Object lock = new Object();

  /** The longest the coordinator and a blocked worker go without looking at the stop flag. */
  static final long STOP_CHECK_MILLIS = 50;

  @GuardedBy("lock")
  private int running;

  private volatile @Nullable RunContext ctx;
  private volatile boolean aborted;
  private volatile long stopRequestedAt;

  /** Set under {@link #lock} once the coordinator joins the threads: the sizer starts no more. */
  @GuardedBy("lock")
  private boolean growthClosed;

  // Thread numbering and the reader factory; written by the coordinator before the workers start
  // and by the sizer thread under the lock afterwards.
  private int readersMade;
  private int transformersMade;
  private @Nullable ThreadFactory readerFactory;
  private volatile @Nullable AutoSizer sizer;
  private long sizerIntervalNanos = AutoSizer.DEFAULT_INTERVAL_NANOS;
  private AutoSizer.@Nullable Policy sizerPolicy;

  DefaultPipeline(
      PipelineSpec spec,
      InputFormatProvider input,
      OutputFormatProvider output,
      EngineHooks hooks) {
    this(spec, input, output, hooks, Ticker.SYSTEM);
  }

  DefaultPipeline(
      PipelineSpec spec,
      InputFormatProvider input,
      OutputFormatProvider output,
      EngineHooks hooks,
      Ticker clock) {
    this.spec = spec;
    this.input = input;
    this.output = output;
    this.planner = new RunPlanner(spec, output);
    this.hooks = hooks;
    this.clock = clock;
  }

  @Override
  public RunResult run() {
    if (!started.compareAndSet(false, true)) {
      throw new IllegalStateException(
          "run() was already called: a Pipeline runs once, make another");
    }
    long t0 = clock.nanos();
    ThreadFactory readerFactory =
        spec.virtualReaders() ? VirtualThreads.factory() : spec.threadFactory();
    if (aborted) {
      throw ApiAccess.pipelineException(
          Stage.COORDINATOR,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "aborted before start",
          null);
    }
    CrashPoints crash = CrashPoints.fromSystemProperty();
    // List first: a missing or unreadable input fails before anything is created in the output.
    List<String> listingWarnings = new ArrayList<>();
    Listing listing = fixedFiles != null ? null : planner.listing(listingWarnings::add);
    List<InputFile> listed =
        listing == null
            ? java.util.Objects.requireNonNull(fixedFiles)
            : listing.list(spec.inputs(), spec.inputUrls());
    StateStore state = openState(crash, listed);
    if (state == null && fixedFiles == null && !spec.discardOutput()) {
      removeAbandonedTemps();
    }
    if (!spec.discardOutput()
        && (ObjectStores.isObjectStore(spec.output())
            || ObjectStores.isObjectStore(spec.rejectDir()))) {
      removeAbandonedSpools();
    }
    try {
      return run(t0, readerFactory, state, crash, listed, listingWarnings, listing);
    } finally {
      if (state != null) {
        state.close();
      }
    }
  }

  /** A killed run's local spool files for objects it never uploaded (OutputFile.Sink). */
  private static void removeAbandonedSpools() {
    removeLeftovers(
        StateStore::removeAbandonedSpools, "spool files", System.getProperty("java.io.tmpdir"));
  }

  /**
   * Without state there is no job lock under which every temp file is an orphan: remove those no
   * live run holds (a killed run's), so that no rerun leaves them behind. Not for Beam's workers
   * (fixed files), which share the output directory with each other on purpose.
   */
  private void removeAbandonedTemps() {
    removeLeftovers(
        () -> StateStore.removeAbandoned(List.of(spec.output(), spec.rejectDir())),
        "temporary files",
        String.valueOf(spec.output()));
  }

  private interface Removal {
    int remove() throws IOException;
  }

  /** Runs {@code removal}, logs what it removed, and fails the run if it cannot look. */
  private static void removeLeftovers(Removal removal, String what, String where) {
    try {
      int n = removal.remove();
      if (n > 0) {
        log.info("removed {} {} left by an interrupted run", n, what);
      }
    } catch (IOException e) {
      throw ApiAccess.pipelineException(
          Stage.COORDINATOR,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "cannot look for " + what + " left in " + where,
          e);
    }
  }

  /**
   * Takes the job's locks, removes orphaned temp files and reads the manifest (dropping the entries
   * of inputs no longer {@code listed}); null without state.
   */
  private @Nullable StateStore openState(CrashPoints crash, List<InputFile> listed) {
    Path dir = spec.stateDir();
    if (dir == null || spec.discardOutput()) {
      return null; // checking writes nothing, state included
    }
    if (ObjectStores.isObjectStore(dir)) {
      // A lock needs a file that its holder's death releases, and the manifest an append that is
      // durable when forced: object storage has neither.
      throw new ConfigurationException(
          "the state directory must be a local path (it holds the manifest and the lock), not "
              + ObjectStores.name(dir));
    }
    StateStore state = new StateStore(dir, crash, spec.onSuccess(), spec.onFailure());
    try {
      state.lock(spec.output(), spec.waitLock(), () -> aborted);
      int orphans = StateStore.removeOrphans(List.of(spec.output(), spec.rejectDir(), dir));
      if (orphans > 0) {
        log.info("removed {} temporary file(s) left by an interrupted run", orphans);
      }
      state.load(StateStore.fingerprint(spec), spec.full(), names(listed));
      return state;
    } catch (IOException e) {
      state.close();
      throw ApiAccess.pipelineException(
          Stage.COORDINATOR,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "cannot use the state directory " + dir,
          e);
    } catch (RuntimeException e) {
      state.close();
      throw e;
    }
  }

  private RunResult run(
      long t0,
      @Nullable ThreadFactory readerFactory,
      @Nullable StateStore state,
      CrashPoints crash,
      List<InputFile> listed,
      List<String> listingWarnings,
      @Nullable Listing listing) {
    RunPlanner.Decisions d = planner.decide(listed, state, listing);
    List<InputFile> files = d.files();
    List<Long> mtimes = d.mtimes();
    List<String> hashes = d.hashes();
    List<InputFile> unfinished = d.unfinished();
    long skipped = d.skipped();
    Path[] outputs = planner.planOutputs(files, state);
    Path[] rejectTargets = planner.planRejects(files);
    RangeRun r = range;
    if (r != null) {
      // The same checks as for the whole file, then the range's parts instead of its targets.
      outputs = new Path[] {r.outputPart};
      rejectTargets = new Path[] {r.rejectPart};
    }
    Set<Path> freshRejectDirs = missingDirectories(rejectTargets);
    try {
      if (!spec.discardOutput()) {
        DurableFiles.createDirectories(spec.output());
      }
      if (state != null && !files.isEmpty()) {
        List<Path> claim = new ArrayList<>(List.of(outputs));
        claim.addAll(List.of(rejectTargets));
        state.claim(claim);
      }
    } catch (IOException e) {
      throw ApiAccess.pipelineException(
          Stage.WRITER,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "cannot create output directory " + spec.output(),
          e);
    }
    String runId = UUID.randomUUID().toString().substring(0, 8);
    RunContext c =
        new RunContext(
            spec,
            input,
            output,
            files,
            outputs,
            rejectTargets,
            state,
            mtimes.stream().mapToLong(Long::longValue).toArray(),
            hashes.toArray(new String[0]),
            crash,
            runId,
            hooks,
            this::requestStop);
    c.freshRejectDirectories.addAll(freshRejectDirs);
    c.range = r;
    // A range's parts keep the temp files' owner-only permissions: they are never the final output.
    c.finalPermissions =
        spec.discardOutput() || r != null ? null : umaskPermissions(spec.output(), runId, c.temps);
    c.counters.filesSkipped.add(skipped);
    listingWarnings.forEach(c.counters::warn);
    ctx = c;
    if (aborted) {
      // abort() came after the check at the start but before ctx was set, so it could not stop c.
      c.fail(
          Stage.COORDINATOR,
          null,
          -1,
          -1,
          "aborted",
          new java.util.concurrent.CancellationException("abort() called"));
    }
    log.debug("run {}: {} files ({} skipped), {}", runId, files.size(), skipped, spec);
    if (state != null) {
      InputActions.finish(c, state, unfinished);
    }
    boolean interrupted = false;
    try {
      RunSampler m = new RunSampler(c, meters, clock, t0);
      monitor = m;
      AutoSizer z =
          c.plan.auto() ? new AutoSizer(c.plan, c, meters, clock, stage -> grow(c, stage)) : null;
      sizer = z;
      if (z != null) {
        c.readerSlots.onRetire(z::nudge);
        c.transformerSlots.onRetire(z::nudge);
      }
      if (z != null && sizerPolicy != null) {
        z.policy(sizerPolicy, 0); // a test's policy decides on any window, however short
      }
      try {
        try {
          start(c, readerFactory);
          startSideThread(c, "monitor", () -> m.start(spec.progressInterval().toNanos()));
          if (z != null) {
            startSideThread(c, "sizer", () -> z.start(sizerIntervalNanos));
          }
          interrupted = awaitWorkers(c, t0);
        } catch (Throwable e) {
          // The coordinator itself failed (out of memory, say): the same path, then the same wait.
          c.fail(Stage.COORDINATOR, null, -1, -1, "coordinator failed", e);
          interrupted |= awaitWorkers(c, t0);
        }
      } finally {
        interrupted |= shutDown(c, m, z);
      }
      if (!c.failures.failed()) {
        try {
          c.errors.checkAtEnd();
        } catch (RejectCounter.ThresholdExceeded e) {
          c.fail(Stage.COORDINATOR, null, -1, -1, e.getMessage(), null);
        }
      }
      c.failures.describePending();
      RunResult result = result(c, clock.nanos() - t0, m, z);
      for (var l : spec.listeners()) {
        try {
          l.onFinish(result);
        } catch (RuntimeException e) {
          log.warn("a run listener failed: {}", e.toString());
        } catch (Error e) {
          // Never a slip of the listener's: the run fails with it, its outputs stay committed.
          c.fail(Stage.COORDINATOR, null, -1, -1, "a run listener failed", e);
        }
      }
      PipelineException failure = c.failures.first();
      if (failure != null) {
        throw ApiAccess.withResult(failure, result);
      }
      if (result.recordsAbandoned() != 0) {
        throw new IllegalStateException("accounting broken: " + result);
      }
      return result;
    } finally {
      if (interrupted) {
        // The caller's interrupt is theirs, whether the run failed or had already done its work.
        Thread.currentThread().interrupt();
      }
    }
  }

  /**
   * Starts the monitor or the sizer; a thread that cannot be made fails the run (the stop and the
   * joins then go on as for any failure).
   */
  private static void startSideThread(RunContext c, String what, Runnable start) {
    try {
      start.run();
    } catch (Throwable e) {
      c.fail(Stage.COORDINATOR, null, -1, -1, "cannot start the " + what + " thread", e);
    }
  }

  /**
   * Stops the side threads and the sync threads and deletes what is left of the run: each step on
   * its own, so an interrupt while joining one or an Error from a listener's last call skips none
   * of the others (a skipped one left the monitor sampling after run() returned, sync threads alive
   * or temporary files behind). The first failure is kept, later ones are suppressed in it. Returns
   * whether the caller was interrupted meanwhile.
   */
  private boolean shutDown(RunContext c, RunSampler m, @Nullable AutoSizer z) {
    boolean interrupted = false;
    if (z != null) {
      try {
        z.stop();
      } catch (InterruptedException e) {
        interrupted = true;
      } catch (Throwable e) {
        c.fail(Stage.COORDINATOR, null, -1, -1, "cannot stop the sizer", e);
      }
    }
    try {
      m.stop();
    } catch (InterruptedException e) {
      interrupted = true;
    } catch (Throwable e) {
      c.fail(Stage.COORDINATOR, null, -1, -1, "cannot stop the monitor", e);
    }
    for (int attempt = 0; attempt < 2; attempt++) {
      try {
        c.fsyncPool.close();
        break;
      } catch (InterruptedException e) {
        // Once more (close is idempotent), with the flag now clear: the sync threads are joined.
        interrupted = true;
      } catch (Throwable e) {
        c.fail(Stage.COORDINATOR, null, -1, -1, "cannot stop the sync threads", e);
        break;
      }
    }
    try {
      cleanUp(c);
    } catch (Throwable e) {
      c.fail(Stage.COORDINATOR, null, -1, -1, "cleanup failed", e);
    }
    return interrupted;
  }

  /** What {@link #run()} would do, without writing anything or taking the lock. */
  dev.sluice.api.RunPlan plan() {
    List<String> warnings = new ArrayList<>();
    Listing listing = planner.listing(warnings::add);
    List<InputFile> listed = listing.list(spec.inputs(), spec.inputUrls());
    StateStore state = null;
    if (spec.stateDir() != null) {
      state = new StateStore(spec.stateDir(), CrashPoints.fromSystemProperty());
      try {
        state.peek(StateStore.fingerprint(spec), spec.full(), names(listed));
      } catch (IOException e) {
        throw ApiAccess.pipelineException(
            Stage.COORDINATOR,
            null,
            -1,
            -1,
            Thread.currentThread().getName(),
            "cannot read the state directory " + spec.stateDir(),
            e);
      }
    }
    RunPlanner.Decisions d = planner.decide(listed, state, listing);
    List<dev.sluice.api.RunPlan.Entry> entries = new ArrayList<>();
    for (InputFile f : listed) {
      boolean skip = d.skips(f);
      entries.add(
          new dev.sluice.api.RunPlan.Entry(
              f.relativeName(),
              f.path(),
              planner.outputOf(f),
              !skip,
              skip ? "done by an earlier run" : "",
              f.uri()));
    }
    planner.planOutputs(
        d.files(), state); // the same refusals as a run: conflicts, foreign files, links
    return new dev.sluice.api.RunPlan(entries, warnings);
  }

  private static Set<String> names(List<InputFile> files) {
    Set<String> names = new HashSet<>();
    for (InputFile f : files) {
      names.add(f.relativeName());
    }
    return names;
  }

  /** The parent directories of {@code targets} that do not exist (one stat per directory). */
  static Set<Path> missingDirectories(Path[] targets) {
    Map<Path, Boolean> exists = new HashMap<>();
    Set<Path> missing = new HashSet<>();
    for (Path t : targets) {
      Path d = t.getParent();
      if (d != null && !exists.computeIfAbsent(d, Files::isDirectory)) {
        missing.add(d);
      }
    }
    return missing;
  }

  /**
   * The permissions a new file in {@code dir} gets from the umask. Temporary files are created
   * owner-only (they may hold personal data before the run decides to keep them); committed files
   * get these instead, like any file the user creates.
   */
  static java.util.@Nullable Set<java.nio.file.attribute.PosixFilePermission> umaskPermissions(
      Path dir, String runId, java.util.Set<Path> temps) {
    if (!dir.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return null;
    }
    Path probe = dir.resolve(".umask-probe." + runId + Listing.TEMP_SUFFIX);
    try {
      Files.createFile(probe);
      return Files.getPosixFilePermissions(probe);
    } catch (IOException | UnsupportedOperationException e) {
      return null;
    } finally {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException e) {
        temps.add(probe); // the end of the run tries again, and fails the run if it cannot
      }
    }
  }

  /**
   * Makes and starts the workers. Never throws: a thread that cannot be made fails the run before
   * any starts; one that cannot be started fails it through the one cancellation path, so the
   * workers already running stop and are joined like on any failure (before, they ran on with no
   * one waiting for them).
   */
  private void start(RunContext c, @Nullable ThreadFactory readerFactory) {
    AutoSizer.Plan plan = c.plan;
    // One budget share per reader slot: automatic sizing may run up to maxReaders readers, and the
    // shares must add up to maxInFlight however many run at a time.
    long share =
        Math.max(
            1, budget(spec.maxInFlight(), Runtime.getRuntime().maxMemory()) / plan.maxReaders());
    for (int i = 0; i < plan.maxReaders(); i++) {
      c.pools.add(new PermitPool(share));
    }
    this.readerFactory = readerFactory;
    List<Thread> made = new ArrayList<>();
    Stage making = Stage.READER;
    try {
      for (int i = 0; i < plan.readersAtStart(); i++) {
        made.add(java.util.Objects.requireNonNull(worker(c, Stage.READER)));
      }
      making = Stage.TRANSFORMER;
      for (int i = 0; i < plan.transformersAtStart(); i++) {
        made.add(java.util.Objects.requireNonNull(worker(c, Stage.TRANSFORMER)));
      }
      making = Stage.WRITER;
      for (int i = 0; i < spec.writers(); i++) {
        made.add(
            thread(
                c, "writer", i, new WriterWorker(c, i, meter(Stage.WRITER)), spec.threadFactory()));
      }
    } catch (Throwable e) {
      // None started: nothing to stop or join.
      c.fail(Stage.COORDINATOR, null, -1, -1, "cannot make a " + making.label() + " thread", e);
      return;
    }
    synchronized (lock) {
      running = made.size();
    }
    threads.addAll(made);
    for (int i = 0; i < made.size(); i++) {
      Thread t = made.get(i);
      try {
        t.start();
      } catch (Throwable e) {
        c.fail(Stage.COORDINATOR, null, -1, -1, "cannot start thread " + t.getName(), e);
        synchronized (lock) {
          running -= made.size() - i; // these never run, so they never count themselves out
          lock.notifyAll(); // wakes the coordinator in awaitWorkers
        }
        break;
      }
    }
    if (c.stopping) {
      // A stop requested while threads were still being started interrupted only those already
      // running (interrupting an unstarted thread has no effect): interrupt them all again.
      requestStop();
    }
  }

  /**
   * The in-flight budget the run keeps: {@code maxInFlight}, but at most half the heap the JVM may
   * grow to. The budget counts the data between reading and writing; the rest of the heap holds the
   * batches being built and transformed, the buffers and everything else, so a budget as large as
   * the heap (the 64 MiB default under {@code -Xmx64m}) would run out of memory before the budget
   * stopped the readers.
   */
  static long budget(long maxInFlight, long maxHeap) {
    long cap = maxHeap == Long.MAX_VALUE ? Long.MAX_VALUE : Math.max(1, maxHeap / 2);
    if (maxInFlight > cap) {
      log.debug(
          "in-flight budget {} bytes is more than half the heap limit ({} bytes): using {}",
          maxInFlight,
          maxHeap,
          cap);
      return cap;
    }
    return maxInFlight;
  }

  /**
   * A reader or transformer thread (not started) that holds a place in its stage's slots, or null
   * when the stage is closed or full.
   */
  private @Nullable Thread worker(RunContext c, Stage stage) {
    boolean reader = stage == Stage.READER;
    WorkerSlots slots = reader ? c.readerSlots : c.transformerSlots;
    int slot = slots.join();
    if (slot < 0) {
      return null;
    }
    int n = reader ? readersMade++ : transformersMade++;
    StageMeter m = meter(stage);
    return reader
        ? thread(c, "reader", n, new ReaderWorker(c, slot, m), readerFactory)
        : thread(c, "transformer", n, new TransformerWorker(c, slot, m), spec.threadFactory());
  }

  /**
   * Starts one more reader or transformer for the sizer, within the budget; false when the run is
   * stopping or ending (the stage closed, or the coordinator is joining its threads) or there is no
   * room. Called on the sizer thread only.
   */
  private boolean grow(RunContext c, Stage stage) {
    WorkerSlots slots = stage == Stage.READER ? c.readerSlots : c.transformerSlots;
    Thread t;
    synchronized (lock) {
      // Under the lock: awaitWorkers closes growth under it before it joins the threads.
      if (c.stopping
          || growthClosed
          || running == 0
          || c.readerSlots.live() + c.transformerSlots.live() >= c.plan.budget()
          || slots.closed()) {
        return false;
      }
      try {
        t = worker(c, stage);
      } catch (RuntimeException | Error e) {
        // The thread factory failed after the worker took its slot, which now
        // counts a worker that never runs: the run cannot end normally, so fail it.
        c.fail(Stage.COORDINATOR, null, -1, -1, "cannot make a " + stage.label() + " thread", e);
        return false;
      }
      if (t == null) {
        return false; // the stage closed or filled up
      }
      running++;
      threads.add(t);
    }
    try {
      hooks.at(EngineHooks.Point.SIZER_GROW, -1, -1);
      t.start();
    } catch (Throwable e) {
      // The worker never ran, so it never leaves its slot: the run cannot end normally, so fail it.
      c.fail(Stage.COORDINATOR, null, -1, -1, "cannot start a " + stage.label() + " thread", e);
      synchronized (lock) {
        running--;
        lock.notifyAll(); // wakes the coordinator in awaitWorkers
      }
      return false;
    }
    if (c.stopping) {
      // requestStop may have gone through the thread list before this thread was started.
      t.interrupt();
    }
    return true;
  }

  private Thread thread(
      RunContext c, String stage, int index, Runnable worker, @Nullable ThreadFactory factory) {
    Runnable body =
        () -> {
          try {
            worker.run();
          } catch (Throwable t) {
            // Workers catch everything themselves; this is the backstop for a bug in a loop.
            c.fail(Stage.COORDINATOR, null, -1, -1, "worker died", t);
          } finally {
            synchronized (lock) {
              running--;
              lock.notifyAll(); // wakes the coordinator in awaitWorkers
            }
          }
        };
    Thread t = factory != null ? factory.newThread(body) : new Thread(body);
    t.setName("sluice-" + stage + "-" + (index + 1));
    if (factory == null) {
      // A stuck user step must not keep the JVM alive after run() has given up on it.
      t.setDaemon(true);
    }
    t.setUncaughtExceptionHandler(
        (th, e) -> c.fail(Stage.COORDINATOR, null, -1, -1, "uncaught", e));
    return t;
  }

  /**
   * Waits until every worker has ended, or the run's timeout passes; returns whether the caller was
   * interrupted.
   */
  private boolean awaitWorkers(RunContext c, long t0) {
    boolean interrupted = false;
    Duration timeout = spec.timeout();
    long deadline = timeout == null ? Long.MAX_VALUE : t0 + timeout.toNanos();
    synchronized (lock) {
      while (running > 0 && !c.stopping) {
        try {
          if (timeout == null) {
            // Bounded: a failure that stopped the run without reaching notifyAll (out of memory on
            // the failing thread) is still seen through the flag.
            lock.wait(STOP_CHECK_MILLIS);
          } else {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
              c.fail(
                  Stage.COORDINATOR,
                  null,
                  -1,
                  -1,
                  "timed out after "
                      + timeout.toString().substring(2).toLowerCase(java.util.Locale.ROOT),
                  new java.util.concurrent.TimeoutException("--timeout " + timeout));
              break;
            }
            TimeUnit.NANOSECONDS.timedWait(
                lock, Math.min(left, TimeUnit.MILLISECONDS.toNanos(STOP_CHECK_MILLIS)));
          }
        } catch (InterruptedException e) {
          interrupted = true;
          c.fail(Stage.COORDINATOR, null, -1, -1, "interrupted", e);
          break;
        }
      }
    }
    if (c.stopping) {
      // Stopping: every blocking call in the workers is interruptible and the loops check the flag,
      // so this wait is short; the bound covers a user step that never returns.
      long stopDeadline = stopRequestedAt + spec.stopTimeout().toNanos();
      synchronized (lock) {
        long left;
        while (running > 0 && (left = stopDeadline - System.nanoTime()) > 0) {
          try {
            TimeUnit.NANOSECONDS.timedWait(lock, left);
          } catch (InterruptedException e) {
            interrupted = true;
          }
        }
      }
    }
    synchronized (lock) {
      growthClosed = true; // the thread list is final from here: the sizer starts no more
    }
    // Workers have left their loops (or the stop bound passed); join so that no thread outlives
    // run().
    long joinDeadline =
        (c.stopping ? stopRequestedAt : System.nanoTime()) + spec.stopTimeout().toNanos();
    for (Thread t : threads) {
      // An interrupt of the caller here is remembered, not obeyed: the join goes on, within its
      // bound, so that no thread outlives run().
      long left;
      while (t.isAlive() && (left = joinDeadline - System.nanoTime()) > 0) {
        try {
          t.join(Math.max(1, TimeUnit.NANOSECONDS.toMillis(left)));
        } catch (InterruptedException e) {
          interrupted = true;
        }
      }
      if (t.isAlive()) {
        c.failures.fail(
            ApiAccess.pipelineException(
                Stage.COORDINATOR,
                null,
                -1,
                -1,
                t.getName(),
                "thread did not stop within "
                    + spec.stopTimeout()
                    + " (a step that never returns?)",
                null));
      }
    }
    return interrupted;
  }

  private StageMeter meter(Stage s) {
    StageMeter m = new StageMeter(s, clock);
    meters.add(m);
    return m;
  }

  private static List<dev.sluice.api.StageStats> stages(RunSampler m) {
    return m.stages();
  }

  /**
   * Starts the cancellation: the stop flag, then an interrupt for every worker that may block, then
   * a notify of the coordinator. Allocates nothing and never throws: it runs on the failing thread,
   * which may have failed for want of memory. The flag alone is enough (every blocking hand-off and
   * the coordinator's wait check it at least every {@link #STOP_CHECK_MILLIS}), so an interrupt or
   * notify that goes wrong only costs that much time.
   */
  private void requestStop() {
    RunContext c = ctx;
    stopRequestedAt = System.nanoTime();
    if (c != null) {
      c.stopping = true;
    }
    Thread self = Thread.currentThread();
    // By index: an iterator would be an allocation.
    for (int i = 0, n = threads.size(); i < n; i++) {
      try {
        Thread t = threads.get(i);
        if (t != self) {
          t.interrupt(); // wakes a worker blocked in take/put/acquire or interruptible I/O
        }
      } catch (Throwable e) {
        // An interruptible channel failing to close, say: the flag still stops that worker.
      }
    }
    try {
      synchronized (lock) {
        lock.notifyAll(); // wakes the coordinator in awaitWorkers
      }
    } catch (Throwable e) {
      // The coordinator's bounded wait sees the flag at its next check.
    }
  }

  private void cleanUp(RunContext c) {
    // Batches and chunks still queued hold budget permits: hand them back so the pools end full.
    for (Batch b; (b = c.toTransformers.poll()) != null; ) {
      b.release();
    }
    for (var q : c.toWriters) {
      for (Chunk ch; (ch = q.poll()) != null; ) {
        ch.release();
      }
    }
    for (Path p : List.copyOf(c.temps)) {
      try {
        Files.deleteIfExists(p);
        c.temps.remove(p);
      } catch (IOException e) {
        c.fail(Stage.COORDINATOR, null, -1, -1, "cannot delete temporary file " + p, e);
      }
    }
  }

  private RunResult result(RunContext c, long nanos, RunSampler m, @Nullable AutoSizer z) {
    Counters k = c.counters;
    long read = k.recordsRead.sum();
    long passed = k.recordsPassed.sum();
    long filtered = k.recordsFiltered.sum();
    long rejected = k.recordsRejected.sum();
    RunResult.AutoSizing auto = z == null ? null : z.result();
    int readers = auto == null ? spec.readers() : auto.readers();
    int transformers = auto == null ? spec.transformers() : auto.transformers();
    return RunResult.builder()
        .files(k.files.sum())
        .filesFailed(k.filesFailed.sum())
        .filesSkipped(k.filesSkipped.sum())
        .recordsRead(read)
        .recordsPassed(passed)
        .recordsFiltered(filtered)
        .recordsRejected(rejected)
        .recordsAbandoned(read - passed - filtered - rejected)
        .recordsWritten(k.recordsWritten.sum())
        .bytesRead(k.bytesRead.sum())
        .bytesWritten(k.bytesWritten.sum())
        .warnings(k.warnings.sum())
        .firstWarnings(k.firstWarnings())
        .rejectsByType(c.errors.byType())
        .rejectFiles(new ArrayList<>(k.rejectFiles))
        .stages(stages(m))
        .verdict(Verdicts.judge(stages(m), readers + transformers + spec.writers()))
        .samples(m.samples())
        .elapsed(Duration.ofNanos(nanos))
        .readers(readers)
        .transformers(transformers)
        .writers(spec.writers())
        .autoSizing(auto)
        .build();
  }

  @Override
  public void abort() {
    aborted = true;
    RunContext c = ctx;
    if (c != null && !c.stopping) {
      c.fail(
          Stage.COORDINATOR,
          null,
          -1,
          -1,
          "aborted",
          new java.util.concurrent.CancellationException("abort() called"));
    }
  }

  @Override
  public void close() {
    if (started.get() && ctx != null && running() > 0) {
      abort();
    }
  }

  private int running() {
    synchronized (lock) {
      return running;
    }
  }

  /** Processes exactly {@code files} instead of listing the spec's inputs. */
  DefaultPipeline withFiles(List<InputFile> files) {
    this.fixedFiles = List.copyOf(files);
    return this;
  }

  /**
   * Processes range {@code r} of its file alone, committing parts instead of the file's output (see
   * {@link RangeRun}). The input provider must plan the file as that one split.
   */
  DefaultPipeline withRange(RangeRun r) {
    this.fixedFiles = List.of(r.split.file());
    this.range = r;
    return this;
  }

  /** Test access: the threads this run started. */
  List<Thread> threads() {
    return List.copyOf(threads);
  }

  /** Test access: the sizer of a run with automatic sizing, once started. */
  @Nullable AutoSizer sizer() {
    return sizer;
  }

  /** Test access: how often the sizer looks (default 250 ms); call before {@link #run()}. */
  DefaultPipeline sizerInterval(Duration interval) {
    this.sizerIntervalNanos = interval.toNanos();
    return this;
  }

  /** Test access: replaces the sizer's policy (e.g. random moves for the stress matrix). */
  DefaultPipeline sizerPolicy(AutoSizer.Policy policy) {
    this.sizerPolicy = policy;
    return this;
  }

  /** Test access: the run's context once started. */
  @Nullable RunContext context() {
    return ctx;
  }
}
