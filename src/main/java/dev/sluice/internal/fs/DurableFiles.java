package dev.sluice.internal.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Forcing files and directories to disk, and making directories durably. A rename or a new
 * directory is durable only once the directory holding its entry is synced; a file's bytes only
 * once the file is forced.
 *
 * <p>Internal API. Stateless, thread-safe.
 */
public final class DurableFiles {
  private static final boolean DEFAULT_SYNCS_DIRECTORIES =
      FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private DurableFiles() {}

  /**
   * Whether directories on {@code fs} can be opened, and so synced. A POSIX file system opens a
   * directory read-only and fsyncs it (Linux, macOS, the BSDs); there a failure to open or force a
   * directory is a real failure (EIO, EACCES, a vanished directory) and must fail the commit. The
   * JDK's Windows file system cannot open a directory at all (it would need
   * FILE_FLAG_BACKUP_SEMANTICS), and NTFS journals its directory entries, so there the sync is
   * skipped. The capability is read from the file system, not guessed from an exception: an
   * exception never means "not supported".
   */
  public static boolean canSyncDirectories(FileSystem fs) {
    return fs == FileSystems.getDefault()
        ? DEFAULT_SYNCS_DIRECTORIES
        : fs.supportedFileAttributeViews().contains("posix");
  }

  /**
   * Makes the entries of {@code dir} durable: the renames into it, the files deleted from it and
   * the directories made in it. Where directories cannot be synced ({@link #canSyncDirectories}) it
   * only checks that the directory exists.
   *
   * @throws IOException naming the directory, if it cannot be opened or forced
   */
  public static void syncDirectory(Path dir) throws IOException {
    if (ObjectStores.isObjectStore(dir)) {
      return; // a prefix, not a directory: there is no entry to make durable
    }
    if (!canSyncDirectories(dir.getFileSystem())) {
      if (!Files.isDirectory(dir)) {
        throw new NoSuchFileException(
            dir.toString(), null, "cannot sync directory " + dir + ": no such directory");
      }
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      throw new IOException(
          "cannot sync directory " + dir + " (what changed in it is not durable): " + describe(e),
          e);
    }
  }

  /**
   * Forces a file that this process did not write through a channel of its own (a copy). On a POSIX
   * file system it is opened read-only, which fsync accepts, so a read-only copy can be forced;
   * elsewhere flushing needs write access.
   */
  public static void forceFile(Path file) throws IOException {
    if (ObjectStores.isObjectStore(file)) {
      return; // an object is durable once its upload has completed
    }
    StandardOpenOption mode =
        canSyncDirectories(file.getFileSystem())
            ? StandardOpenOption.READ
            : StandardOpenOption.WRITE;
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
  public static void createDirectories(Path dir) throws IOException {
    for (Path parent : createDirectoriesUnsynced(dir)) {
      syncDirectory(parent);
    }
  }

  /**
   * Makes {@code dir} and its missing parents, and returns the directories whose sync makes the new
   * levels durable (the parent of each level made), for the caller to sync when it chooses: empty
   * if {@code dir} existed.
   */
  public static List<Path> createDirectoriesUnsynced(Path dir) throws IOException {
    // A prefix exists once an object has it; a marker object would only show up in listings.
    if (ObjectStores.isObjectStore(dir) || Files.isDirectory(dir)) {
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

  /**
   * The exception's message, with its kind where the message alone says too little: a {@code
   * NoSuchFileException}'s message is only the path.
   */
  public static String describe(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getName();
    }
    if (t instanceof FileSystemException && ((FileSystemException) t).getReason() == null) {
      String type = t.getClass().getSimpleName().replace("Exception", "");
      return type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + ": " + m;
    }
    return m;
  }
}
