package dev.sluice.beam;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import java.io.IOException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * Lists a job's input files on the launcher by the local engine's documented rules (see {@code
 * docs/ARCHITECTURE.md}, "Listing"), so that a Beam run processes the same files under the same
 * relative names: directories recursively, glob patterns ({@code **}{@code /} also matches zero
 * directories) and explicit files; sorted by relative name within each input, inputs in the order
 * given, a file reached twice listed once; hidden names, Sluice's temp files and the output and
 * reject directories skipped; symbolic links followed inside an input, skipped with a warning when
 * they lead outside it (unless {@code followOutside}), loops skipped with a warning.
 *
 * <p>The engine's own listing is package-private, so this is a second implementation of the same
 * rules; {@code BeamEngineTest} checks that both pick the same files on a tree with every case.
 *
 * <p>Not thread-safe: one instance per listing.
 */
final class FileListing {
  static final String TEMP_SUFFIX = ".sluice-tmp";

  /** One input file and its name relative to its input root, with {@code /} separators. */
  record Listed(Path path, String relative) {}

  private final List<Path> excluded;
  private final Consumer<String> warnings;
  private final boolean followOutside;

  FileListing(List<Path> excluded, Consumer<String> warnings, boolean followOutside) {
    this.excluded = excluded.stream().map(FileListing::absolute).toList();
    this.warnings = warnings;
    this.followOutside = followOutside;
  }

  List<Listed> list(List<Path> inputs) {
    List<Listed> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path input : inputs) {
      List<Listed> found = new ArrayList<>();
      if (isGlob(input.toString())) {
        listGlob(input, found);
      } else if (Files.isDirectory(input)) {
        walk(input, rel -> true, found);
      } else if (Files.isRegularFile(input)) {
        found.add(new Listed(input, input.getFileName().toString()));
      } else if (Files.exists(input)) {
        throw new ConfigurationException("input is not a file or directory: " + input);
      } else {
        throw new ConfigurationException("input not found: " + input);
      }
      found.sort(Comparator.comparing(Listed::relative));
      for (Listed f : found) {
        if (seen.add(absolute(f.path()))) {
          out.add(f);
        }
      }
    }
    return out;
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  private void listGlob(Path pattern, List<Listed> found) {
    // The walk starts at the longest leading run of names without glob characters; the rest of
    // the pattern is matched against names relative to it, which are also the relative names.
    Path base = pattern.getRoot();
    int i = 0;
    int n = pattern.getNameCount();
    while (i < n - 1 && !isGlob(pattern.getName(i).toString())) {
      base = base == null ? pattern.getName(i) : base.resolve(pattern.getName(i).toString());
      i++;
    }
    Path root = base == null ? pattern.getFileSystem().getPath(".") : base;
    if (!Files.isDirectory(root)) {
      throw new ConfigurationException("input not found: " + pattern + " (no directory " + root + ")");
    }
    String rest = pattern.subpath(i, n).toString().replace('\\', '/');
    PathMatcher m = pattern.getFileSystem().getPathMatcher("glob:" + rest);
    PathMatcher zeroDirs =
        rest.startsWith("**/") ? pattern.getFileSystem().getPathMatcher("glob:" + rest.substring(3)) : null;
    int before = found.size();
    walk(
        root,
        rel -> {
          Path p = root.getFileSystem().getPath(rel);
          return m.matches(p) || (zeroDirs != null && zeroDirs.matches(p));
        },
        found);
    if (found.size() == before) {
      throw new ConfigurationException("no input file matches " + pattern);
    }
  }

  private void walk(Path root, Predicate<String> accept, List<Listed> found) {
    Path realRoot = realPath(root);
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root) && (isHidden(dir) || isExcluded(dir) || leavesRoot(dir, realRoot))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              if (!attrs.isRegularFile() || isHidden(file) || isTemp(file) || leavesRoot(file, realRoot)) {
                return FileVisitResult.CONTINUE;
              }
              String rel = relative(root, file);
              if (accept.test(rel)) {
                found.add(new Listed(file, rel));
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                warnings.accept("symbolic link loop skipped: " + file);
                return FileVisitResult.SKIP_SUBTREE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw new PipelineException(
          Stage.SOURCE, null, -1, -1, Thread.currentThread().getName(), "cannot list " + root, e);
    }
  }

  /** A link planted in an input tree must not pull in files from elsewhere unless asked. */
  private boolean leavesRoot(Path p, @Nullable Path realRoot) {
    if (followOutside || realRoot == null || !Files.isSymbolicLink(p)) {
      return false;
    }
    Path target = realPath(p);
    if (target != null && target.startsWith(realRoot)) {
      return false;
    }
    warnings.accept("symbolic link to outside the input skipped (use --follow-symlinks): " + p);
    return true;
  }

  private boolean isExcluded(Path dir) {
    Path a = absolute(dir);
    return excluded.stream().anyMatch(a::startsWith);
  }

  private static @Nullable Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  private static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  private static boolean isTemp(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().endsWith(TEMP_SUFFIX);
  }

  private static String relative(Path root, Path file) {
    StringBuilder sb = new StringBuilder();
    for (Path part : root.relativize(file)) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      sb.append(part);
    }
    return sb.toString();
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }
}
