package dev.sluice.cli;

import dev.sluice.api.LockHeldException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * The lock a {@code --merge-output} or {@code --partition-by} command holds from before its run
 * until its join is committed. The engine locks the job only while it runs; the join that follows
 * writes the merged file or the partition tree, and removes temporary files a killed join left
 * there, so two commands joining into one target must not overlap. An OS file lock, as the engine's
 * (so it goes with the process), waited for up to {@code --wait-lock}; held elsewhere it is exit 4.
 *
 * <p>Not thread-safe: acquired and closed by the command's thread.
 */
final class JoinLock implements AutoCloseable {
  /** The lock file's name, in the parts directory. */
  static final String FILE = ".sluice-join.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private JoinLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock on {@code file}, waiting up to {@code wait}.
   *
   * @param what the target, for the message: {@code the merged file /data/all.csv}
   * @throws LockHeldException if another run holds it after {@code wait}, or on an interrupt
   */
  static JoinLock acquire(Path file, Duration wait, String what) throws IOException {
    long deadline = System.nanoTime() + wait.toNanos();
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long backoff = 50;
    try {
      while (true) {
        FileLock lock = null;
        boolean inThisJvm = false;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          inThisJvm = true; // another command in this JVM (a test, an embedder): the same answer
        }
        if (lock != null) {
          return new JoinLock(ch, lock);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new LockHeldException(
              "another run is writing "
                  + what
                  + " (lock "
                  + file.toAbsolutePath()
                  + (inThisJvm ? ", in this JVM" : "")
                  + "): wait for it to finish, or pass --wait-lock DURATION",
              null);
        }
        // Polling is the only portable way to wait for an OS file lock without blocking forever.
        TimeUnit.MILLISECONDS.sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        backoff = Math.min(backoff * 2, 1000);
      }
    } catch (InterruptedException e) {
      ch.close();
      Thread.currentThread().interrupt();
      throw new LockHeldException("interrupted while waiting for the lock of " + what, e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  @Override
  public void close() throws IOException {
    try {
      lock.release();
    } finally {
      channel.close();
    }
  }
}
