package dev.sluice.cli;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The private temporary directory behind {@code --input -} and {@code --output -}: standard input
 * is spooled to {@code in/stdin.<ext>} and outputs are written under {@code out/} before they are
 * copied to standard output. It holds the raw input (before any hashing), so it is owner-only while
 * it exists (directories 0700, the spooled file 0600; the engine's outputs inside are reachable
 * only through them), and it never outlives the command: {@link #close} (the command's {@code
 * finally}) deletes it after a success, a failure or a usage error, and in the real process a
 * shutdown hook deletes it on SIGINT or SIGTERM. Made under {@code java.io.tmpdir}, read when the
 * command runs.
 *
 * <p>Thread-safe: the command's thread creates and closes; the shutdown hook may close at the same
 * time, and creating anything after a close fails.
 */
final class StreamSpool implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StreamSpool.class);

  /** The prefix of the directory's name, for users and tests that look for leftovers. */
  static final String PREFIX = "sluice-stream-";

  private static final long HOOK_WAIT_SECONDS = 30;

  private final Path dir;
  private final boolean posix;

  /** Counted down by close(): the hook waits on it while a run owns the directory. */
  private final CountDownLatch closed = new CountDownLatch(1);

  private final Thread hook;
  private boolean hooked;

  /** Set once the run owns the spooled files: a signal then lets the run stop before deleting. */
  private volatile boolean running;

  private StreamSpool(Path dir, boolean posix) {
    this.dir = dir;
    this.posix = posix;
    this.hook =
        new Thread(
            () -> {
              if (running) {
                // The shutdown guard aborts the run; the command's finally then closes this (and
                // counts down the latch). Bounded, so that a stuck command cannot keep the JVM up.
                try {
                  closed.await(HOOK_WAIT_SECONDS, TimeUnit.SECONDS);
                } catch (InterruptedException e) {
                  Thread.currentThread().interrupt();
                }
              }
              close();
            },
            "sluice-spool-cleanup");
  }

  /**
   * Makes the directory. With {@code hook} (the process's own {@code main} only, never in tests) a
   * shutdown hook removes it on a signal.
   */
  static StreamSpool create(boolean hook) throws IOException {
    Path base = Path.of(System.getProperty("java.io.tmpdir"));
    boolean posix = FileSystems.getDefault().supportedFileAttributeViews().contains("posix");
    // The name carries this process's id and start time, so that a later command can tell a
    // directory whose process was killed (no hook ran) from one still in use.
    String prefix = PREFIX + OWN_TAG + "-";
    Path dir =
        posix
            ? Files.createTempDirectory(base, prefix, ownerOnly(true))
            : Files.createTempDirectory(base, prefix);
    int removed = removeAbandoned(base, dir);
    if (removed > 0) {
      log.info(
          "removed {} temporary director{} of killed sluice commands in {}",
          removed,
          removed == 1 ? "y" : "ies",
          base);
    }
    StreamSpool s = new StreamSpool(dir, posix);
    if (hook) {
      Runtime.getRuntime().addShutdownHook(s.hook);
      s.hooked = true;
    }
    log.debug("temporary directory for standard input/output: {}", dir);
    return s;
  }

  /** {@code <pid>-<start time in ms>} of this process. */
  private static final String OWN_TAG = tag(ProcessHandle.current());

  private static final java.util.regex.Pattern TAGGED =
      java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(PREFIX) + "(\\d+)-(\\d+)-.*");

  private static String tag(ProcessHandle p) {
    return p.pid() + "-" + p.info().startInstant().map(java.time.Instant::toEpochMilli).orElse(0L);
  }

  /**
   * Deletes the spool directories in {@code base} that a killed command left (SIGKILL runs no
   * hook): those whose process (named by id and start time, so a reused id is not mistaken for it)
   * no longer runs, and that belong to the same user as {@code own}. Returns how many.
   */
  static int removeAbandoned(Path base, Path own) {
    java.nio.file.attribute.UserPrincipal me;
    List<Path> candidates;
    try (Stream<Path> s = Files.list(base)) {
      me = Files.getOwner(own);
      candidates =
          s.filter(p -> TAGGED.matcher(p.getFileName().toString()).matches())
              .collect(Collectors.toList());
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot look for abandoned spool directories in {}: {}", base, e.toString());
      return 0;
    }
    int removed = 0;
    for (Path p : candidates) {
      java.util.regex.Matcher m = TAGGED.matcher(p.getFileName().toString());
      if (!m.matches() || p.equals(own)) {
        continue;
      }
      long pid = Long.parseLong(m.group(1));
      String tag = m.group(1) + "-" + m.group(2);
      boolean alive = ProcessHandle.of(pid).map(h -> tag(h).equals(tag)).orElse(false);
      try {
        if (alive
            || !Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)
            || !Files.getOwner(p).equals(me)) {
          continue;
        }
        delete(p);
        removed++;
      } catch (IOException | UncheckedIOException e) {
        // Someone else's business or already gone: this command's own data is not at stake.
        log.warn("cannot remove the abandoned temporary directory {}: {}", p, Main.describe(e));
      }
    }
    return removed;
  }

  private static FileAttribute<?> ownerOnly(boolean directory) {
    return PosixFilePermissions.asFileAttribute(
        PosixFilePermissions.fromString(directory ? "rwx------" : "rw-------"));
  }

  /** The directory itself. */
  Path dir() {
    return dir;
  }

  /**
   * Copies {@code in} to {@code in/<name>} (0600) until it ends, and returns that file. Spooled,
   * not streamed: the run starts when standard input is closed.
   */
  Path spool(InputStream in, String name) throws IOException {
    Path file;
    FileChannel ch;
    synchronized (this) {
      file = directory("in").resolve(name);
      ch =
          posix
              ? FileChannel.open(
                  file,
                  EnumSet.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE),
                  ownerOnly(false))
              : FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
    }
    // Outside the lock: a signal's close() must not wait for standard input to end.
    try (ch;
        OutputStream out = Channels.newOutputStream(ch)) {
      in.transferTo(out);
    }
    return file;
  }

  /** {@code out/}, made owner-only, where the run writes what goes to standard output. */
  synchronized Path outputDir() throws IOException {
    return directory("out");
  }

  private Path directory(String name) throws IOException {
    if (closed.getCount() == 0) {
      throw new IOException(
          "the temporary directory " + dir + " was removed: the command is stopping");
    }
    Path d = dir.resolve(name);
    if (!Files.isDirectory(d)) {
      if (posix) {
        Files.createDirectory(d, ownerOnly(true));
      } else {
        Files.createDirectory(d);
      }
    }
    return d;
  }

  /** Marks that a run now owns the files (see the hook). */
  void running() {
    running = true;
  }

  /** Deletes the directory and everything in it; idempotent. */
  @Override
  public synchronized void close() {
    if (closed.getCount() == 0) {
      return;
    }
    try {
      delete(dir);
    } finally {
      closed.countDown();
      if (hooked && Thread.currentThread() != hook) {
        try {
          Runtime.getRuntime().removeShutdownHook(hook);
        } catch (IllegalStateException e) {
          // Shutdown is under way: the hook runs, finds the directory gone and returns at once.
        }
      }
    }
  }

  private static void delete(Path dir) {
    List<Path> all;
    try (Stream<Path> s = Files.walk(dir)) {
      all = s.sorted(Comparator.reverseOrder()).collect(Collectors.toList());
    } catch (NoSuchFileException e) {
      return;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the temporary directory " + dir, e);
    }
    IOException first = null;
    for (Path p : all) {
      try {
        Files.deleteIfExists(p);
      } catch (IOException e) {
        if (first == null) {
          first = e;
        } else {
          first.addSuppressed(e);
        }
      }
    }
    if (first != null) {
      throw new UncheckedIOException(
          "cannot remove the temporary directory " + dir + " (it holds the raw input)", first);
    }
  }
}
