package dev.sluice.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

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
final class Syncer implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Syncer.class);

  private final ExecutorService pool;
  private final List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();

  Syncer(int threads) {
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
   * Forces of a group of files started by {@link #forceLater}, running on the syncer's threads
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
      done.add(pool.submit(() -> {
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
      throw new ForceFailed(index, e.getCause() instanceof IOException ? (IOException) e.getCause() : e);
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

  /** Syncs each directory once, so the renames in it are durable. */
  void syncDirectories(Collection<Path> dirs) throws IOException, InterruptedException {
    List<Future<?>> done = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      done.add(pool.submit(() -> syncDirectory(d)));
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

  /** Makes a rename durable. Not every platform or file system can open a directory to sync it. */
  static @Nullable Void syncDirectory(@Nullable Path dir) {
    if (dir == null || dir.getFileSystem() != FileSystems.getDefault()) {
      return null;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Windows cannot open directories; the rename is still atomic, only its durability on power
      // loss is weaker there.
      log.debug("cannot sync directory {}: {}", dir, e.toString());
    }
    return null;
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
