package dev.sluice.cli;

import dev.sluice.internal.fs.AtomicWrite;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * {@code --merge-output FILE}: the joined parts ({@link Parts}) are written to a temporary file
 * {@code .FILE.<tag>.sluice-tmp} next to FILE, forced, and renamed over FILE, so FILE is always
 * either the old merge or the new one, whole. A killed command's temporary file is removed by the
 * next command for FILE ({@link #removeOrphans}, under the {@link JoinLock}).
 *
 * <p>Stateless; used by the command's thread.
 */
final class MergedOutput {
  private static final String TEMP_SUFFIX = ".sluice-tmp";

  private MergedOutput() {}

  /** Joins {@code parts} into {@code target}: a temporary file, forced, renamed into place. */
  static void write(Parts parts, Path target) throws IOException {
    AtomicWrite.to(target)
        .uniqueTemp(prefix(target), TEMP_SUFFIX)
        .beforeRename(() -> JoinCrashPoints.at(JoinCrashPoints.MERGE))
        .write(
            out -> {
              try (OutputStream o = new BufferedOutputStream(out, 64 * 1024)) {
                parts.copyTo(o);
              }
            });
  }

  /** Deletes the temporary files of merges into {@code target} that a killed command left. */
  static int removeOrphans(Path target) throws IOException {
    Path dir = target.getParent();
    if (dir == null || !Files.isDirectory(dir)) {
      return 0;
    }
    String prefix = prefix(target);
    int n = 0;
    try (DirectoryStream<Path> s =
        Files.newDirectoryStream(
            dir,
            p -> {
              String name = p.getFileName().toString();
              return name.startsWith(prefix) && name.endsWith(TEMP_SUFFIX);
            })) {
      for (Path p : s) {
        n += Files.deleteIfExists(p) ? 1 : 0;
      }
    }
    return n;
  }

  private static String prefix(Path target) {
    return "." + target.getFileName() + ".";
  }
}
