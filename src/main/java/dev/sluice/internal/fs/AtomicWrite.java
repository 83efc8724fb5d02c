package dev.sluice.internal.fs;

import com.google.errorprone.annotations.CheckReturnValue;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Replaces one file whole: the content goes to a temporary file beside the target, which is forced
 * and then renamed over the target atomically, so a reader (or a crash) sees the old file or the
 * new one, never a part. Optionally the directory is synced after the rename, which makes the
 * rename itself durable.
 *
 * <pre>{@code
 * AtomicWrite.to(manifest).uniqueTemp(".manifest.jsonl.", ".sluice-tmp").syncDirectory().write(bytes);
 * }</pre>
 *
 * <p>The temporary file is deleted when writing, forcing or renaming fails; only a crash leaves it,
 * under a name its owner recognises and cleans up. Not for groups of files that must be committed
 * together (the engine's output groups, the CLI's partitions): those force all before renaming any.
 *
 * <p>Internal API. Immutable: each option returns a new instance; thread-safe. Two writes to one
 * target at a time must be kept apart by the caller (the last rename wins).
 */
@CheckReturnValue
public final class AtomicWrite {
  /** Writes the file's content. The stream is the temporary file's; closing it only flushes it. */
  @FunctionalInterface
  public interface Content {
    void writeTo(OutputStream out) throws IOException;
  }

  /** Runs between the force and the rename (a test's crash point). */
  @FunctionalInterface
  public interface Step {
    void run() throws IOException;
  }

  private final Path target;
  private final @Nullable String fixedTemp;
  private final String tempPrefix;
  private final String tempSuffix;
  private final boolean force;
  private final boolean syncDirectory;
  private final boolean createDirectories;
  private final @Nullable String permissions;
  private final @Nullable Step beforeRename;

  private AtomicWrite(
      Path target,
      @Nullable String fixedTemp,
      String tempPrefix,
      String tempSuffix,
      boolean force,
      boolean syncDirectory,
      boolean createDirectories,
      @Nullable String permissions,
      @Nullable Step beforeRename) {
    this.target = target;
    this.fixedTemp = fixedTemp;
    this.tempPrefix = tempPrefix;
    this.tempSuffix = tempSuffix;
    this.force = force;
    this.syncDirectory = syncDirectory;
    this.createDirectories = createDirectories;
    this.permissions = permissions;
    this.beforeRename = beforeRename;
  }

  /**
   * A write that replaces {@code target} (made absolute), through a temporary file named {@code
   * .<name>.<random>.tmp} beside it, forced; the directory is not synced unless asked.
   */
  public static AtomicWrite to(Path target) {
    Path abs = target.toAbsolutePath();
    Path name = abs.getFileName();
    if (name == null) {
      throw new IllegalArgumentException("not a file: " + abs);
    }
    return new AtomicWrite(abs, null, "." + name + ".", ".tmp", true, false, false, null, null);
  }

  /**
   * The temporary file gets a fixed name beside the target: a temporary file a crash left is then
   * replaced by the next write instead of piling up.
   */
  public AtomicWrite fixedTemp(String name) {
    return new AtomicWrite(
        target,
        name,
        tempPrefix,
        tempSuffix,
        force,
        syncDirectory,
        createDirectories,
        permissions,
        beforeRename);
  }

  /**
   * The temporary file is named {@code prefix + <unique> + suffix} beside the target, and created
   * new: what a cleanup of abandoned temporary files looks for.
   */
  public AtomicWrite uniqueTemp(String prefix, String suffix) {
    return new AtomicWrite(
        target,
        null,
        prefix,
        suffix,
        force,
        syncDirectory,
        createDirectories,
        permissions,
        beforeRename);
  }

  /** Syncs the target's directory after the rename, so the new file survives a power loss. */
  public AtomicWrite syncDirectory() {
    return new AtomicWrite(
        target,
        fixedTemp,
        tempPrefix,
        tempSuffix,
        force,
        true,
        createDirectories,
        permissions,
        beforeRename);
  }

  /** Makes the target's missing parent directories first (not synced). */
  public AtomicWrite createDirectories() {
    return new AtomicWrite(
        target,
        fixedTemp,
        tempPrefix,
        tempSuffix,
        force,
        syncDirectory,
        true,
        permissions,
        beforeRename);
  }

  /**
   * Gives the file these POSIX permissions ({@code "rw-r--r--"}) before it is renamed into place,
   * whatever the umask; ignored where the file system has none.
   */
  public AtomicWrite permissions(String posix) {
    PosixFilePermissions.fromString(posix); // fails now on a bad string, not at the write
    return new AtomicWrite(
        target,
        fixedTemp,
        tempPrefix,
        tempSuffix,
        force,
        syncDirectory,
        createDirectories,
        posix,
        beforeRename);
  }

  /**
   * Renames without forcing: the file is still never seen half-written, but a crash may leave it
   * empty. Only for data that is cheap to make again, where a force per file costs too much.
   */
  public AtomicWrite withoutForce() {
    return new AtomicWrite(
        target,
        fixedTemp,
        tempPrefix,
        tempSuffix,
        false,
        syncDirectory,
        createDirectories,
        permissions,
        beforeRename);
  }

  /** Runs {@code step} after the temporary file is forced and closed, before the rename. */
  public AtomicWrite beforeRename(Step step) {
    return new AtomicWrite(
        target,
        fixedTemp,
        tempPrefix,
        tempSuffix,
        force,
        syncDirectory,
        createDirectories,
        permissions,
        step);
  }

  /** Replaces the target with {@code bytes}. */
  public void write(byte[] bytes) throws IOException {
    write(out -> out.write(bytes));
  }

  /** Replaces the target with what {@code content} writes. */
  public void write(Content content) throws IOException {
    if (ObjectStores.isObjectStore(target)) {
      Path local = Files.createTempFile("sluice-", ".spool");
      try {
        try (OutputStream out = Files.newOutputStream(local)) {
          content.writeTo(out);
        }
        if (beforeRename != null) {
          beforeRename.run();
        }
        ObjectUpload.put(local, target); // whole or not at all, as a rename would be
      } finally {
        Files.deleteIfExists(local);
      }
      return;
    }
    Path dir = directory();
    Path temp = temp(dir);
    boolean renamed = false;
    try {
      StandardOpenOption create =
          fixedTemp != null ? StandardOpenOption.TRUNCATE_EXISTING : StandardOpenOption.CREATE_NEW;
      try (FileChannel ch =
              FileChannel.open(temp, StandardOpenOption.CREATE, create, StandardOpenOption.WRITE);
          OutputStream out = new Unclosable(Channels.newOutputStream(ch))) {
        content.writeTo(out);
        out.flush();
        if (force) {
          ch.force(true);
        }
      }
      renamed = commit(dir, temp);
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  /**
   * Replaces the target with a copy of {@code source}, attributes included. The copy is forced
   * through a read-only channel where the file system allows it, so a read-only source copies too.
   */
  public void copy(Path source) throws IOException {
    if (ObjectStores.isObjectStore(target)) {
      write(out -> Files.copy(source, out));
      return;
    }
    Path dir = directory();
    Path temp = temp(dir);
    boolean renamed = false;
    try {
      Files.copy(
          source, temp, StandardCopyOption.COPY_ATTRIBUTES, StandardCopyOption.REPLACE_EXISTING);
      if (force) {
        DurableFiles.forceFile(temp);
      }
      renamed = commit(dir, temp);
    } finally {
      if (!renamed) {
        Files.deleteIfExists(temp);
      }
    }
  }

  private Path directory() throws IOException {
    Path dir = target.getParent();
    if (dir == null) {
      throw new IOException("no directory to write " + target + " in");
    }
    if (createDirectories) {
      Files.createDirectories(dir);
    }
    return dir;
  }

  private Path temp(Path dir) {
    return dir.resolve(fixedTemp != null ? fixedTemp : tempPrefix + UUID.randomUUID() + tempSuffix);
  }

  /** Renames the temporary file into place; true once renamed (from then on it is the target). */
  private boolean commit(Path dir, Path temp) throws IOException {
    if (permissions != null) {
      PosixFileAttributeView posix = Files.getFileAttributeView(temp, PosixFileAttributeView.class);
      if (posix != null) {
        posix.setPermissions(PosixFilePermissions.fromString(permissions));
      }
    }
    if (beforeRename != null) {
      beforeRename.run();
    }
    Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    if (syncDirectory) {
      DurableFiles.syncDirectory(dir);
    }
    return true;
  }

  /**
   * The temporary file's stream as the content sees it: closing it (a wrapping gzip or writer
   * closes what it wraps) only flushes, so the file can still be forced before it is closed.
   */
  private static final class Unclosable extends FilterOutputStream {
    Unclosable(OutputStream out) {
      super(out);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
      out.write(b, off, len); // FilterOutputStream would write byte by byte
    }

    @Override
    public void close() throws IOException {
      flush();
    }
  }
}
