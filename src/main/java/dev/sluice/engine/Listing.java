package dev.sluice.engine;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.internal.fs.ObjectStores;
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
import org.jspecify.annotations.Nullable;

/**
 * Turns the job's inputs (directories, files, glob patterns) into a sorted, deterministic list of
 * {@link InputFile}s.
 *
 * <p>Directories are walked recursively, following symbolic links with loop detection (a loop is a
 * warning, not an endless walk). Hidden files and directories (name starting with {@code .}), our
 * own temporary files and anything under the output directory are skipped. Within each input the
 * files are sorted by relative name; inputs keep the order they were given in. A file reached
 * through two inputs is listed once.
 *
 * <p>Nothing found in a walk is skipped silently but hidden and temporary files: a broken symbolic
 * link, a link that leads to itself (directly or through other links), a link out of the input root
 * (unless followed) and anything that is not a regular file (a named pipe, a socket, a device) is a
 * warning naming the link and its target. An input given by name that is a broken link or a loop is
 * an error, as a missing input is. Paths in messages are absolute.
 *
 * <p>Each file's size and modification time are taken in one look, when it is listed: the size is
 * what its readers read up to, and both are its identity in the manifest.
 *
 * <p>Not thread-safe; used once by the coordinator.
 */
final class Listing {
  static final String TEMP_SUFFIX = ".sluice-tmp";

  private final List<Path> excluded;
  private final Consumer<String> warnings;
  private final boolean followOutside;

  /** Broken links and loops the walks skipped so far, for the message of a glob left empty. */
  private int brokenLinks;

  /**
   * Modification times (millis) of the walked files, from the attributes the walk read anyway, so
   * the run's identities need no second stat per file.
   */
  private final java.util.Map<Path, Long> mtimes = new java.util.HashMap<>();

  /** A listing that skips everything under {@code excluded} (the output and reject directories). */
  Listing(List<Path> excluded, Consumer<String> warnings) {
    this(excluded, warnings, false);
  }

  /**
   * A listing that skips everything under {@code excluded}; symbolic links that lead outside the
   * input root are skipped with a warning unless {@code followOutside}.
   */
  Listing(List<Path> excluded, Consumer<String> warnings, boolean followOutside) {
    this.excluded =
        excluded.stream().map(Listing::absolute).collect(java.util.stream.Collectors.toList());
    this.warnings = warnings;
    this.followOutside = followOutside;
  }

  List<InputFile> list(List<Path> inputs) {
    return list(inputs, List.of());
  }

  /**
   * The files of {@code inputs}, then {@code urls} in the order given (a URL given twice is listed
   * once), named by {@link UrlNames}.
   */
  List<InputFile> list(List<Path> inputs, List<java.net.URI> urls) {
    List<InputFile> out = new ArrayList<>();
    Set<Path> seen = new HashSet<>();
    for (Path input : inputs) {
      List<Entry> found = new ArrayList<>();
      String s = input.toString();
      if (isGlob(s)) {
        listGlob(input, found);
      } else if (ObjectStores.isObjectStore(input)) {
        listObjects(input, found);
      } else if (Files.isDirectory(input)) {
        walk(input, null, found);
      } else if (Files.isRegularFile(input)) {
        found.add(named(input));
      } else if (Files.exists(input)) {
        throw new ConfigurationException(
            "input is not a file or directory: " + ObjectStores.name(input));
      } else if (Files.isSymbolicLink(input)) {
        throw new ConfigurationException(brokenInput(input));
      } else {
        throw new ConfigurationException("input not found: " + ObjectStores.name(input));
      }
      found.sort(Comparator.comparing(Entry::relative));
      for (Entry e : found) {
        if (seen.add(absolute(e.path))) {
          out.add(new InputFile(out.size(), e.path, e.relative, e.size));
        }
      }
    }
    List<java.net.URI> distinct = new ArrayList<>(new java.util.LinkedHashSet<>(urls));
    List<String> names = UrlNames.names(distinct);
    for (int i = 0; i < distinct.size(); i++) {
      out.add(InputFile.ofUri(out.size(), distinct.get(i), names.get(i)));
    }
    return out;
  }

  /**
   * The modification time the walk saw for {@code path} (as listed), or -1 if it did not see it.
   */
  long mtime(Path path) {
    Long t = mtimes.get(path);
    return t == null ? -1 : t;
  }

  /** A file given by name, with its size and modification time from one look. */
  private Entry named(Path file) {
    long size = -1;
    try {
      BasicFileAttributes attrs = Files.readAttributes(file, BasicFileAttributes.class);
      size = attrs.size();
      mtimes.put(file, attrs.lastModifiedTime().toMillis());
    } catch (IOException e) {
      // Gone since the look above: its reader reports it, with its name.
    }
    return new Entry(file, file.getFileName().toString(), size);
  }

  /** Why {@code link}, a symbolic link given as an input, cannot be read: broken, or a loop. */
  private static String brokenInput(Path link) {
    Problem p = problem(link);
    if (p.loop()) {
      return "input "
          + absolute(link)
          + " is a symbolic link loop (-> "
          + p.target()
          + "; "
          + p.detail()
          + ")";
    }
    return "input not found: "
        + absolute(link)
        + " is a broken symbolic link to "
        + p.target()
        + " ("
        + p.detail()
        + ")";
  }

  /** What is wrong with a symbolic link that cannot be followed. */
  private record Problem(String target, boolean loop, String detail) {}

  private static Problem problem(Path link) {
    String target;
    try {
      target = Files.readSymbolicLink(link).toString();
    } catch (IOException | UnsupportedOperationException e) {
      target = "?";
    }
    try {
      Files.readAttributes(link, BasicFileAttributes.class);
      return new Problem(target, false, "it can be followed now: it changed while listed");
    } catch (java.nio.file.NoSuchFileException e) {
      Path parent = link.toAbsolutePath().getParent();
      Path resolved =
          parent == null || target.equals("?") ? link : parent.resolve(target).normalize();
      return new Problem(target, false, "no such file: " + absolute(resolved));
    } catch (java.nio.file.FileSystemException e) {
      // ELOOP: "Too many levels of symbolic links" on Linux; other systems word it otherwise.
      String reason = e.getReason() == null ? e.toString() : e.getReason();
      boolean loop =
          reason.toLowerCase(java.util.Locale.ROOT).contains("symbolic link")
              || reason.contains("loop");
      return new Problem(target, loop, reason);
    } catch (IOException e) {
      return new Problem(target, false, e.toString());
    }
  }

  static boolean isGlob(String s) {
    return s.indexOf('*') >= 0 || s.indexOf('?') >= 0 || s.indexOf('[') >= 0 || s.indexOf('{') >= 0;
  }

  private void listGlob(Path pattern, List<Entry> found) {
    // The base is the longest leading run of name elements without glob characters; the rest is
    // matched against paths relative to it.
    Path base = pattern.getRoot();
    int i = 0;
    int n = pattern.getNameCount();
    while (i < n - 1 && !isGlob(pattern.getName(i).toString())) {
      base = base == null ? pattern.getName(i) : base.resolve(pattern.getName(i).toString());
      i++;
    }
    if (base == null) {
      base = pattern.getFileSystem().getPath("");
    }
    String rest = pattern.subpath(i, n).toString().replace('\\', '/');
    Path walkRoot =
        ObjectStores.asDirectory(
            base.toString().isEmpty() ? pattern.getFileSystem().getPath(".") : base);
    if (!Files.isDirectory(walkRoot)) {
      throw new ConfigurationException(
          "input not found: "
              + ObjectStores.name(pattern)
              + " (no directory "
              + ObjectStores.name(walkRoot)
              + ")");
    }
    PathMatcher m = pattern.getFileSystem().getPathMatcher("glob:" + rest);
    // Like bash's globstar, "**/" also matches zero directories: in/**/*.csv matches in/a.csv.
    PathMatcher zeroDirs =
        rest.startsWith("**/")
            ? pattern.getFileSystem().getPathMatcher("glob:" + rest.substring(3))
            : null;
    int before = found.size();
    int brokenBefore = brokenLinks;
    walk(
        walkRoot,
        rel -> {
          Path p = walkRoot.getFileSystem().getPath(rel);
          return m.matches(p) || (zeroDirs != null && zeroDirs.matches(p));
        },
        found);
    if (found.size() == before) {
      int broken = brokenLinks - brokenBefore;
      throw new ConfigurationException(
          "no input file matches "
              + ObjectStores.name(pattern)
              + (broken == 0
                  ? ""
                  : " ("
                      + broken
                      + " broken symbolic link"
                      + (broken == 1 ? "" : "s")
                      + " or loop"
                      + (broken == 1 ? "" : "s")
                      + " skipped)"));
    }
  }

  /**
   * An object-store input: the object of that key if there is one, else every object under the key
   * taken as a prefix ({@code s3://b/in} lists {@code in/...}, as a directory would).
   */
  private void listObjects(Path input, List<Entry> found) {
    if (!input.toString().endsWith("/") && isObject(input, false)) {
      found.add(named(input));
      return;
    }
    Path dir = ObjectStores.asDirectory(input);
    if (!isObject(dir, true)) {
      throw new ConfigurationException("input not found: " + ObjectStores.name(input));
    }
    int before = found.size();
    walk(dir, null, found);
    if (found.size() == before) {
      // A store answers for any prefix, so an empty one may be a mistyped one: as an empty
      // directory it is no error, but it is said.
      warnings.accept("no object under " + ObjectStores.name(dir));
    }
  }

  /**
   * Whether {@code p} is an object (or, for {@code prefix}, a prefix with objects under it). "No"
   * only when the store said there is none: a store that cannot be asked (no credentials, no such
   * bucket, no network) is a configuration error with its own reason, not a missing input.
   */
  private static boolean isObject(Path p, boolean prefix) {
    try {
      BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
      return prefix ? a.isDirectory() : a.isRegularFile();
    } catch (java.nio.file.NoSuchFileException e) {
      return false;
    } catch (IOException | RuntimeException e) {
      throw new ConfigurationException(
          "cannot read " + ObjectStores.name(p) + ": " + PipelineMessages.describe(e), e);
    }
  }

  private interface RelativeFilter {
    boolean accept(String relative);
  }

  private void walk(Path root, @Nullable RelativeFilter filter, List<Entry> found) {
    Path realRoot = realPath(root);
    Path absRoot = absolute(root);
    try {
      Files.walkFileTree(
          root,
          EnumSet.of(FileVisitOption.FOLLOW_LINKS),
          Integer.MAX_VALUE,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
              if (!dir.equals(root)
                  && (isHidden(dir) || isOutput(dir, absRoot) || leavesRoot(dir, realRoot))) {
                return FileVisitResult.SKIP_SUBTREE;
              }
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path visited, BasicFileAttributes attrs) {
              // The S3 provider hands over the objects under a prefix as relative paths.
              Path file =
                  !visited.isAbsolute() && root.isAbsolute() ? visited.toAbsolutePath() : visited;
              if (isHidden(file) || isTemp(file)) {
                return FileVisitResult.CONTINUE;
              }
              String rel = relative(root, file);
              if (filter != null && !filter.accept(rel)) {
                return FileVisitResult.CONTINUE;
              }
              if (attrs.isSymbolicLink()) {
                // The walk follows links, so it hands over a link's own attributes only when the
                // link cannot be followed: its target is missing, or it leads back to itself.
                brokenLinks++;
                Problem p = problem(file);
                warnings.accept(
                    (p.loop() ? "symbolic link loop skipped: " : "broken symbolic link skipped: ")
                        + ObjectStores.name(file)
                        + " -> "
                        + p.target()
                        + " ("
                        + p.detail()
                        + ")");
                return FileVisitResult.CONTINUE;
              }
              if (!attrs.isRegularFile()) {
                warnings.accept("not a regular file, skipped: " + ObjectStores.name(file));
                return FileVisitResult.CONTINUE;
              }
              if (leavesRoot(file, realRoot)) {
                return FileVisitResult.CONTINUE;
              }
              found.add(new Entry(file, rel, attrs.size()));
              mtimes.put(file, attrs.lastModifiedTime().toMillis());
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
              if (e instanceof FileSystemLoopException) {
                warnings.accept(
                    "symbolic link loop skipped: "
                        + ObjectStores.name(file)
                        + " (it leads to a directory above it)");
                return FileVisitResult.SKIP_SUBTREE;
              }
              throw e;
            }
          });
    } catch (IOException e) {
      throw ApiAccess.pipelineException(
          Stage.SOURCE,
          null,
          -1,
          -1,
          Thread.currentThread().getName(),
          "cannot list " + ObjectStores.show(root),
          e);
    }
  }

  /**
   * Whether {@code p} is a symbolic link whose target lies outside the input root: such links are
   * not followed unless asked, so a link planted in an input tree cannot pull in other files.
   */
  private boolean leavesRoot(Path p, @Nullable Path realRoot) {
    if (followOutside || realRoot == null || !Files.isSymbolicLink(p)) {
      return false;
    }
    Path target = realPath(p);
    if (target != null && target.startsWith(realRoot)) {
      return false;
    }
    warnings.accept(
        "symbolic link to outside the input skipped (use --follow-symlinks): "
            + absolute(p)
            + " -> "
            + (target == null ? "?" : target));
    return true;
  }

  private static @Nullable Path realPath(Path p) {
    try {
      return p.toRealPath();
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * Whether {@code dir} lies in the output (or reject) directory and that directory lies inside the
   * input: an input that itself lies inside the output directory is walked whole.
   */
  private boolean isOutput(Path dir, Path absRoot) {
    Path a = absolute(dir);
    return excluded.stream().anyMatch(x -> x.startsWith(absRoot) && a.startsWith(x));
  }

  static boolean isHidden(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().startsWith(".");
  }

  static boolean isTemp(Path p) {
    Path name = p.getFileName();
    return name != null && name.toString().endsWith(TEMP_SUFFIX);
  }

  private static String relative(Path root, Path file) {
    Path rel = root.relativize(file);
    StringBuilder sb = new StringBuilder();
    for (Path part : rel) {
      if (sb.length() > 0) {
        sb.append('/');
      }
      String name = part.toString();
      // The S3 provider names a prefix with its slash ("sub/").
      sb.append(name, 0, name.endsWith("/") ? name.length() - 1 : name.length());
    }
    return sb.toString();
  }

  private static Path absolute(Path p) {
    return p.toAbsolutePath().normalize();
  }

  private record Entry(Path path, String relative, long size) {}
}
