package dev.sluice.internal.fs;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystemNotFoundException;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.ProviderNotFoundException;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Paths in object storage ({@code s3://bucket/prefix}), reached through a {@code java.nio}
 * file-system provider found by {@link java.util.ServiceLoader} (the CLI jar has one for S3).
 *
 * <p>An object store is not a file system, and these are the differences the engine minds:
 *
 * <ul>
 *   <li>a "directory" is a key prefix, which the S3 provider addresses with a trailing slash
 *       ({@link #asDirectory}); making one would only put an empty marker object, so {@link
 *       DurableFiles} makes none, and there is nothing to sync;
 *   <li>there is no atomic rename (a move is a copy and a delete), but an object becomes visible
 *       only once its upload has completed: the engine writes an output to a local spool file and
 *       uploads it whole when it commits ({@link #isObjectStore});
 *   <li>a path's string leaves out its bucket, so a path is written down as its URI ({@link #name})
 *       and read back with {@link #path}.
 * </ul>
 *
 * <p>Stateless and thread-safe.
 */
public final class ObjectStores {
  /** Schemes whose paths are objects; {@code s3x} is the S3 provider's scheme with an endpoint. */
  private static final Set<String> SCHEMES = Set.of("s3", "s3x", "gs", "az", "abfs", "abfss");

  /** {@code scheme://}: two letters at least, so that {@code C://} stays a Windows path. */
  private static final Pattern URI_PREFIX = Pattern.compile("([A-Za-z][A-Za-z0-9+.-]+)://(.*)");

  private static final String GLOB_CHARS = "*?[{";

  private ObjectStores() {}

  /** Whether {@code p} is an object in an object store (not a file of a file system). */
  public static boolean isObjectStore(Path p) {
    FileSystem fs = p.getFileSystem();
    return fs != FileSystems.getDefault()
        && SCHEMES.contains(fs.provider().getScheme().toLowerCase(Locale.ROOT));
  }

  /**
   * Whether {@code location} names an object store ({@code s3://...}) rather than a local path or
   * an HTTP(S) URL.
   */
  public static boolean isUri(String location) {
    Matcher m = URI_PREFIX.matcher(location.strip());
    return m.matches() && SCHEMES.contains(m.group(1).toLowerCase(Locale.ROOT));
  }

  /**
   * The path of an object-store location, which may end in a glob ({@code s3://bucket/in/**}{@code
   * /*.csv}): the part before the first glob character is a URI, the rest is resolved on the
   * store's file system as it is.
   *
   * @throws IllegalArgumentException with the reason, if it is not a valid location or no provider
   *     for its scheme is installed
   */
  public static Path parse(String location) {
    Matcher m = URI_PREFIX.matcher(location.strip());
    if (!m.matches()) {
      throw new IllegalArgumentException("not an object-store URI: " + location);
    }
    String scheme = m.group(1).toLowerCase(Locale.ROOT);
    String rest = m.group(2);
    int slash = rest.indexOf('/');
    String authority = slash < 0 ? rest : rest.substring(0, slash);
    String key = slash < 0 ? "/" : rest.substring(slash);
    if (authority.isEmpty()) {
      throw new IllegalArgumentException("no bucket in " + location);
    }
    if (authority.contains("@")) {
      // The provider would take them, and so would every process list and shell history.
      throw new IllegalArgumentException(
          "credentials in an object-store URI are refused: give them by the AWS SDK's standard"
              + " chain (AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY, AWS_PROFILE, an instance or"
              + " pod role)");
    }
    int glob = indexOfGlob(key);
    String fixed = glob < 0 ? key : key.substring(0, key.lastIndexOf('/', glob) + 1);
    String pattern = glob < 0 ? "" : key.substring(fixed.length());
    Path base;
    try {
      base = Path.of(new URI(scheme, authority, fixed, null, null));
    } catch (URISyntaxException e) {
      throw new IllegalArgumentException(e.getReason() + ": " + location, e);
    } catch (FileSystemNotFoundException | ProviderNotFoundException e) {
      throw new IllegalArgumentException(
          "no file-system provider for "
              + scheme
              + ":// is installed (the sluice CLI jar has one for s3://; a library user adds"
              + " software.amazon.nio.s3:aws-java-nio-spi-for-s3)",
          e);
    }
    return pattern.isEmpty() ? base : base.resolve(pattern);
  }

  private static int indexOfGlob(String s) {
    for (int i = 0; i < s.length(); i++) {
      if (GLOB_CHARS.indexOf(s.charAt(i)) >= 0) {
        return i;
      }
    }
    return -1;
  }

  /**
   * A local path, or an object-store location ({@code s3://...}), as a path.
   *
   * @throws IllegalArgumentException as {@link #parse}, or {@link
   *     java.nio.file.InvalidPathException} for a bad local path
   */
  public static Path path(String location) {
    return isUri(location) ? parse(location) : Path.of(location);
  }

  /**
   * How {@code p} is written down so that {@link #path} finds it again: the absolute path of a
   * local file, the URI (with its bucket) of an object.
   */
  public static String name(Path p) {
    if (isObjectStore(p)) {
      return p.toAbsolutePath().normalize().toUri().toString();
    }
    return p.toAbsolutePath().normalize().toString();
  }

  /** {@code p} for a message: an object as its URI (with its bucket), a file as it is. */
  public static String show(Path p) {
    return isObjectStore(p) ? name(p) : p.toString();
  }

  /**
   * Whether {@code p} lies under {@code dir} (or is it), as {@link Path#startsWith(Path)} tells for
   * a file system. The S3 provider's {@code startsWith} sees {@code /out} and {@code /out/} as
   * different, so objects compare by their keys.
   */
  public static boolean isUnder(Path dir, Path p) {
    if (!isObjectStore(dir) || !isObjectStore(p)) {
      return p.startsWith(dir);
    }
    if (!dir.getFileSystem().equals(p.getFileSystem())) {
      return false;
    }
    String d = dir.toAbsolutePath().normalize().toString();
    String k = p.toAbsolutePath().normalize().toString();
    String prefix = d.endsWith("/") ? d : d + "/";
    return k.equals(d) || k.equals(prefix) || k.startsWith(prefix);
  }

  /**
   * {@code p} as a prefix to list ({@code /in/}): the S3 provider takes a key without the trailing
   * slash for an object, and finds no object there. A local path is returned as it is.
   */
  public static Path asDirectory(Path p) {
    if (!isObjectStore(p)) {
      return p;
    }
    String s = p.toString();
    return s.endsWith("/") ? p : p.getFileSystem().getPath(s + "/");
  }
}
