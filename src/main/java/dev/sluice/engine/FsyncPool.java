package dev.sluice.engine;

import dev.sluice.internal.fs.DurableFiles;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

/**
 * Forces groups of files (and directories) to disk in parallel. A sequence of fsyncs costs one
 * journal commit each; concurrent fsyncs share commits, so forcing a writer's group of finished
 * files together is several times faster than forcing them one by one (see BENCHMARKS.md) while
 * keeping the guarantee: every file is forced before it is renamed, every rename's directory is
 * synced before the manifest records the file.
 *
 * <p>Thread-safe. Owned by the coordinator, which closes it (joining its {@code sluice-sync-N}
 * threads) at the end of the run.
 */
final class FsyncPool implements AutoCloseable {
  private final ExecutorService pool;
  private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

  FsyncPool(int threads) {
    this.pool =
        new ThreadPoolExecutor(
            threads,
            threads,
            30,
            TimeUnit.SECONDS,
            new LinkedBlockingQueue<>(),
            r -> {
              Thread t = new Thread(r, "sluice-sync-" + (this.threads.size() + 1));
              t.setDaemon(true);
              this.threads.add(t);
              return t;
            });
  }

  /** A force that failed, with the position of the first failing sink in the list. */
  static final class ForceFailed extends IOException {
    private static final long serialVersionUID = 1L;
    final int index;

    ForceFailed(int index, IOException cause) {
      super(cause.getMessage(), cause);
      this.index = index;
    }
  }

  /**
   * Forces of a group of files started by {@link #forceLater}, running on the fsyncPool's threads
   * while the caller goes on with other work.
   */
  final class Forcing {
    private final List<Future<?>> done;

    private Forcing(List<Future<?>> done) {
      this.done = done;
    }

    /** Returns when every file is on disk; throws {@link ForceFailed} for the first that failed. */
    void await() throws IOException, InterruptedException {
      awaitForces(done);
    }

    /** Stops waiting for the forces (the run is stopping or failed; their files are dropped). */
    void cancel() {
      for (Future<?> f : done) {
        f.cancel(false);
      }
    }
  }

  /** Starts forcing every sink's file and returns at once; {@link Forcing#await} waits for them. */
  Forcing forceLater(List<OutputFile.Sink> sinks) {
    List<Future<?>> done = new ArrayList<>(sinks.size());
    for (OutputFile.Sink s : sinks) {
      done.add(
          pool.submit(
              () -> {
                s.force();
                return null;
              }));
    }
    return new Forcing(done);
  }

  /** Forces every sink's file; returns when all are on disk. */
  void force(List<OutputFile.Sink> sinks) throws IOException, InterruptedException {
    if (sinks.size() == 1) {
      try {
        sinks.get(0).force();
      } catch (IOException e) {
        throw new ForceFailed(0, e);
      }
      return;
    }
    awaitForces(forceLater(sinks).done);
  }

  private static void awaitForces(List<Future<?>> done) throws IOException, InterruptedException {
    try {
      await(done);
    } catch (IOException e) {
      int index = 0;
      for (int i = 0; i < done.size(); i++) {
        if (failed(done.get(i))) {
          index = i;
          break;
        }
      }
      throw new ForceFailed(
          index, e.getCause() instanceof IOException ? (IOException) e.getCause() : e);
    }
  }

  private static boolean failed(Future<?> f) {
    try {
      f.get();
      return false;
    } catch (ExecutionException e) {
      return true;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    }
  }

  /**
   * For each directory {@link #makeDirectories} made, the parents whose sync makes it durable; an
   * entry is removed once they are synced. Written by the writer that made the directory, read by
   * every writer that commits into it (a concurrent map publishes it).
   */
  private final Map<Path, List<Path>> unsyncedParents = new ConcurrentHashMap<>();

  /**
   * Makes {@code dir} and its missing parents like {@link DurableFiles#createDirectories}, but
   * leaves the parents' syncs to {@link #syncDirectories}, which does them (in parallel, once) with
   * the first group committed into {@code dir}: nothing in a new directory is recorded before that.
   */
  void makeDirectories(Path dir) throws IOException {
    List<Path> parents = DurableFiles.createDirectoriesUnsynced(dir);
    if (!parents.isEmpty()) {
      unsyncedParents.put(dir, parents);
    }
  }

  /**
   * Syncs each directory once, so the renames in it are durable, with the parents of any of them
   * that {@link #makeDirectories} made and that are not synced yet. @throws IOException for the
   * first directory that could not be synced (naming it), the others suppressed
   */
  void syncDirectories(Collection<Path> targets) throws IOException, InterruptedException {
    Set<Path> dirs = new LinkedHashSet<>(targets);
    List<Path> made = new ArrayList<>();
    for (Path d : targets) {
      List<Path> parents = unsyncedParents.get(d);
      if (parents != null) {
        dirs.addAll(parents);
        made.add(d);
      }
    }
    syncAll(dirs);
    // Only once synced: a writer that still sees the entry syncs the parents again (harmless); one
    // that no longer sees it comes after the syncs completed.
    made.forEach(unsyncedParents::remove);
  }

  private void syncAll(Collection<Path> dirs) throws IOException, InterruptedException {
    if (dirs.size() == 1) {
      DurableFiles.syncDirectory(dirs.iterator().next());
      return;
    }
    List<Future<?>> done = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      done.add(
          pool.submit(
              () -> {
                DurableFiles.syncDirectory(d);
                return null;
              }));
    }
    await(done);
  }

  private static void await(List<Future<?>> done) throws IOException, InterruptedException {
    IOException first = null;
    for (Future<?> f : done) {
      try {
        f.get();
      } catch (ExecutionException e) {
        Throwable c = e.getCause();
        IOException io = c instanceof IOException ? (IOException) c : new IOException(c);
        io = new IOException(io.getMessage(), io);
        if (first == null) {
          first = io;
        } else {
          first.addSuppressed(io);
        }
      } catch (InterruptedException e) {
        for (Future<?> g : done) {
          g.cancel(true);
        }
        throw e;
      }
    }
    if (first != null) {
      throw first;
    }
  }

  @Override
  public void close() throws InterruptedException {
    pool.shutdownNow();
    pool.awaitTermination(10, TimeUnit.SECONDS);
    for (Thread t : threads) {
      t.join(TimeUnit.SECONDS.toMillis(10)); // the executor ends before its threads finish exiting
    }
  }
}
