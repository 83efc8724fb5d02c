package dev.sluice.api.spi;

import java.net.URI;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * One input file found by the listing: a file of an NIO file system, or an HTTP(S) URL.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id position in the sorted listing, from 0
 * @param path where to read it; for a URL, a relative label equal to {@code relativeName} that
 *     names no file and is never opened
 * @param relativeName its path relative to the input root, with {@code /} separators; the output
 *     mirrors it. For a URL, its sanitised path (see {@code PipelineSpec.inputUrls()})
 * @param size its size in bytes when listed, or -1 if unknown (always for a URL): the built-in
 *     formats read a file only up to this size (what is appended later is left for a later run) and
 *     fail it if it ends before; with the modification time, its identity in a manifest
 * @param uri the URL to fetch it from, or null for a file read through {@code path}
 * @since 0.1
 */
public record InputFile(int id, Path path, String relativeName, long size, @Nullable URI uri) {
  /** A file of an NIO file system. */
  public InputFile(int id, Path path, String relativeName, long size) {
    this(id, path, relativeName, size, null);
  }

  /**
   * A file fetched from {@code uri}, named {@code relativeName}, size unknown.
   *
   * @since 0.2
   */
  public static InputFile ofUri(int id, URI uri, String relativeName) {
    return new InputFile(id, Path.of(relativeName), relativeName, -1, uri);
  }

  /** Whether it is fetched from a URL rather than read from a file system. @since 0.2 */
  public boolean isRemote() {
    return uri != null;
  }

  /** The same file at another position in the listing. @since 0.2 */
  public InputFile withId(int newId) {
    return new InputFile(newId, path, relativeName, size, uri);
  }

  /**
   * The URL (without any user info, which may hold a password), or the path, for messages. @since
   * 0.2
   */
  public String location() {
    if (uri == null) {
      return path.toString();
    }
    if (uri.getRawUserInfo() == null) {
      return uri.toString();
    }
    String s = uri.toString();
    int at = s.indexOf('@');
    int start = s.indexOf("//");
    return at > start && start >= 0 ? s.substring(0, start + 2) + s.substring(at + 1) : s;
  }
}
