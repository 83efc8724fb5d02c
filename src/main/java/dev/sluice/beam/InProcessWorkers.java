package dev.sluice.beam;

import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;

/**
 * The {@link ProcessFileFn} calls of each Beam run that are running in this JVM, so that {@link
 * BeamEngine#run()} returns only when none is left. An in-process runner (the Direct runner, a
 * Flink mini-cluster) runs the DoFn on threads of the launcher's JVM and does not wait for them
 * when a run ends early: the Direct runner's {@code run()} throws as soon as one bundle fails while
 * other bundles go on (its executor is shut down, not awaited, and still runs bundles already
 * queued), and its {@code cancel()} does not interrupt user code. A file still being processed then
 * wrote into the output directory after the run had thrown.
 *
 * <p>A run is opened by the launcher before the pipeline starts and closed when it ends; closing
 * refuses calls that start later, can interrupt the running ones, and waits for them. A call for a
 * run this JVM did not open (a worker in another process) is not tracked: its runner's own
 * cancellation applies. The ids of the last {@value #CLOSED_KEPT} closed runs are kept so that a
 * bundle the runner started late is refused; an older one would be processed untracked.
 *
 * <p>A DoFn can also hand the run a resource to close when the run ends ({@link Run#closeAtEnd}):
 * its HTTP client, whose threads must not outlive the run, while Beam's {@code @Teardown} is best
 * effort (the Direct runner does not wait for the teardown of a DoFn whose bundle failed,
 * apache/beam#18893; Dataflow may never call it, apache/beam#18592).
 *
 * <p>Thread-safe.
 */
final class InProcessWorkers {
  private static final int CLOSED_KEPT = 1024;
  private static final Object LOCK = new Object();

  /** Guarded by LOCK. */
  private static final Map<String, Run> OPEN = new HashMap<>();

  /** Guarded by LOCK; the value is unused (an insertion-ordered set with eviction). */
  private static final Map<String, Boolean> CLOSED =
      new LinkedHashMap<>() {
        private static final long serialVersionUID = 1L;

        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > CLOSED_KEPT;
        }
      };

  private InProcessWorkers() {}

  /** Starts tracking the run {@code id}, which must be new. */
  static Run open(String id) {
    synchronized (LOCK) {
      if (OPEN.containsKey(id) || CLOSED.containsKey(id)) {
        throw new IllegalStateException("run " + id + " was already opened");
      }
      Run run = new Run(id);
      OPEN.put(id, run);
      return run;
    }
  }

  /**
   * Registers the calling thread as processing {@code file} for the run {@code id}; the caller must
   * {@link Run#exit()} in a {@code finally}. Returns null when this JVM does not track the run.
   *
   * @throws PipelineException if the run has already ended (nothing may be written for it)
   */
  static @Nullable Run enter(String id, String file) {
    Run run;
    synchronized (LOCK) {
      if (CLOSED.containsKey(id)) {
        throw ended(id, file);
      }
      run = OPEN.get(id);
    }
    if (run != null && !run.enter(Thread.currentThread())) {
      throw ended(id, file);
    }
    return run;
  }

  private static PipelineException ended(String id, String file) {
    return ApiAccess.pipelineException(
        Stage.COORDINATOR,
        file,
        -1,
        -1,
        Thread.currentThread().getName(),
        "the Beam run "
            + id
            + " has already ended: the runner started this file after the run failed or was cancelled",
        null);
  }

  /** One run's calls in this JVM. Thread-safe. */
  static final class Run {
    private final String id;

    /** Guarded by this. */
    private final Set<Thread> active = new HashSet<>();

    /** The active threads {@link #close} interrupted; guarded by this. */
    private final Set<Thread> interrupted = new HashSet<>();

    /** Guarded by this. */
    private boolean closed;

    /** Closed by {@link #close} once the calls have ended; guarded by this. */
    private final Set<AutoCloseable> resources = new java.util.LinkedHashSet<>();

    /** Guarded by this. */
    private boolean resourcesClosed;

    private Run(String id) {
      this.id = id;
    }

    private synchronized boolean enter(Thread t) {
      if (closed) {
        return false;
      }
      active.add(t);
      return true;
    }

    /**
     * Has {@link #close} close {@code r} after the calls it waits for, unless the caller closes it
     * first (a DoFn's {@code @Teardown}); {@code r.close()} must be idempotent. If the run has
     * already closed its resources (a call still running after {@code stopTimeout}), closes {@code
     * r} now.
     */
    void closeAtEnd(AutoCloseable r) {
      synchronized (this) {
        if (!resourcesClosed) {
          resources.add(r);
          return;
        }
      }
      try {
        r.close();
      } catch (Exception e) {
        throw new IllegalStateException("cannot close a resource of the Beam run " + id, e);
      }
    }

    /** Unregisters the calling thread, and clears the interrupt that {@link #close} sent it. */
    synchronized void exit() {
      Thread me = Thread.currentThread();
      active.remove(me);
      if (interrupted.remove(me)) {
        // Our interrupt stopped this file; it must not leak into the runner's next work on this
        // thread. Under the lock, so it cannot arrive after this point.
        Thread.interrupted();
      }
      notifyAll();
    }

    /**
     * Refuses calls that start from now on, interrupts the running ones if {@code interrupt}, and
     * waits up to {@code timeout} for them to end.
     *
     * <p>Then closes the resources handed over by {@link #closeAtEnd}, even if calls are left.
     *
     * @return the names of the threads still running a call (empty when all ended)
     * @throws InterruptedException if the caller was interrupted while waiting (the run is closed;
     *     the resources are closed all the same)
     * @throws IllegalStateException if a resource failed to close (the others are closed)
     */
    List<String> close(boolean interrupt, Duration timeout) throws InterruptedException {
      try {
        return awaitCalls(interrupt, timeout);
      } finally {
        closeResources();
      }
    }

    private void closeResources() {
      List<AutoCloseable> all;
      synchronized (this) {
        resourcesClosed = true;
        all = new ArrayList<>(resources);
        resources.clear();
      }
      IllegalStateException failed = null;
      for (AutoCloseable r : all) {
        try {
          r.close();
        } catch (Exception e) {
          if (failed == null) {
            failed = new IllegalStateException("cannot close a resource of the Beam run " + id, e);
          } else {
            failed.addSuppressed(e);
          }
        }
      }
      if (failed != null) {
        throw failed;
      }
    }

    private List<String> awaitCalls(boolean interrupt, Duration timeout)
        throws InterruptedException {
      synchronized (this) {
        closed = true;
      }
      synchronized (LOCK) {
        OPEN.remove(id);
        CLOSED.put(id, Boolean.TRUE);
      }
      synchronized (this) {
        if (interrupt) {
          for (Thread t : active) {
            interrupted.add(t);
            t.interrupt();
          }
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!active.isEmpty()) {
          long left = deadline - System.nanoTime();
          if (left <= 0) {
            break;
          }
          TimeUnit.NANOSECONDS.timedWait(this, left);
        }
        List<String> names = new ArrayList<>();
        for (Thread t : active) {
          names.add(t.getName());
        }
        return names;
      }
    }
  }
}
