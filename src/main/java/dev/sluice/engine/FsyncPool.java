package dev.sluice.engine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
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

  /**
   * For each directory {@link #makeDirectories} made, the parents whose sync makes it durable; an
   * entry is removed once they are synced. Written by the writer that made the directory, read by
   * every writer that commits into it (a concurrent map publishes it).
   */
  private final Map<Path, List<Path>> unsyncedParents = new ConcurrentHashMap<>();

  /**
   * Makes {@code dir} and its missing parents like {@link #createDirectories}, but leaves the
   * parents' syncs to {@link #syncDirectories}, which does them (in parallel, once) with the first
   * group committed into {@code dir}: nothing in a new directory is recorded before that.
   */
  void makeDirectories(Path dir) throws IOException {
    List<Path> parents = create(dir);
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
      syncDirectory(dirs.iterator().next());
      return;
    }
    List<Future<?>> done = new ArrayList<>(dirs.size());
    for (Path d : dirs) {
      done.add(
          pool.submit(
              () -> {
                syncDirectory(d);
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

  /**
   * Whether directories on {@code fs} can be opened, and so synced. A POSIX file system opens a
   * directory read-only and fsyncs it (Linux, macOS, the BSDs); there a failure to open or force a
   * directory is a real failure (EIO, EACCES, a vanished directory) and must fail the commit. The
   * JDK's Windows file system cannot open a directory at all (it would need
   * FILE_FLAG_BACKUP_SEMANTICS), and NTFS journals its directory entries, so there the sync is
   * skipped. The capability is read from the file system, not guessed from an exception: an
   * exception never means "not supported".
   */
  static boolean canSyncDirectories(FileSystem fs) {
    return fs == FileSystems.getDefault() ? DEFAULT_SYNCS_DIRECTORIES : fs.supportedFileAttributeViews().contains("posix");
  }

  private static final boolean DEFAULT_SYNCS_DIRECTORIES =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  /**
   * Makes the entries of {@code dir} durable: the renames into it, the files deleted from it and the
   * directories made in it. Where directories cannot be synced ({@link #canSyncDirectories}) it only
   * checks that the directory exists.
   *
   * @throws IOException naming the directory, if it cannot be opened or forced
   */
  static void syncDirectory(Path dir) throws IOException {
    if (!canSyncDirectories(dir.getFileSystem())) {
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(dir.toString(), null, "cannot sync directory " + dir + ": no such directory");
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new IOException(
          "cannot sync directory " + dir + " (what changed in it is not durable): " + PipelineMessages.describe(e), e);
    }
  }

  /**
   * Forces a file that this process did not write through a channel of its own (a copy). On a
   * POSIX file system it is opened read-only, which fsync accepts, so a read-only copy can be
   * forced; elsewhere flushing needs write access.
   */
  static void forceFile(Path file) throws IOException {
    StandardOpenOption mode =
        canSyncDirectories(file.getFileSystem()) ? StandardOpenOption.READ : StandardOpenOption.WRITE;
    try (FileChannel ch = FileChannel.open(file, mode)) {
      ch.force(true);
    }
  }

  /**
   * Makes {@code dir} and its missing parents, and makes each new directory durable: a directory's
   * entry lives in its parent, so the parent of every level made is synced before this returns
   * (before anything in the new directory can be recorded as durable). A directory that exists
   * costs one stat.
   *
   * @throws IOException if a level cannot be made, or a parent cannot be synced (naming it)
   */
  static void createDirectories(Path dir) throws IOException {
    for (Path parent : create(dir)) {
      syncDirectory(parent);
    }
  }

  /** Makes {@code dir} and its missing parents; returns the parents of the levels made. */
  private static List<Path> create(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return List.of();
    }
    Path abs = dir.toAbsolutePath();
    // The levels missing now, deepest first; each one's parent is synced once the levels exist.
    List<Path> missing = new ArrayList<>();
    for (Path d = abs; d != null && !Files.isDirectory(d); d = d.getParent()) {
      missing.add(d);
    }
    // Files.createDirectories retries level by level when the first attempt fails (a race with
    // another process making the same directory is not an error).
    Files.createDirectories(abs);
    List<Path> parents = new ArrayList<>(missing.size());
    for (Path d : missing) {
      Path parent = d.getParent();
      if (parent != null) {
        parents.add(parent);
      }
    }
    return parents;
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
