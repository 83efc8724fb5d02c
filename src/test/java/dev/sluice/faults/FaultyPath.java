package dev.sluice.faults;

import java.io.IOException;
import java.net.URI;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import org.jspecify.annotations.Nullable;

/**
 * A path of a {@link FaultyFileSystem}: a default file system path that answers {@link
 * #getFileSystem()} with the faulty one, so that {@code Files} routes its I/O there. Every path
 * derived from it (parent, resolve, relativize...) is wrapped again.
 *
 * <p>Immutable and thread-safe. {@link #toUri()} is the real path's URI (opening it bypasses the
 * faults), and {@link #toFile()} is unsupported, as for any non-default file system.
 */
final class FaultyPath implements Path {
  final FaultyFileSystem fs;
  final Path real;

  FaultyPath(FaultyFileSystem fs, Path real) {
    this.fs = fs;
    this.real = real;
  }

  private @Nullable Path wrap(@Nullable Path p) {
    return p == null ? null : new FaultyPath(fs, p);
  }

  private static Path other(Path p) {
    return FaultyFileSystem.unwrap(p);
  }

  @Override
  public FaultyFileSystem getFileSystem() {
    return fs;
  }

  @Override
  public boolean isAbsolute() {
    return real.isAbsolute();
  }

  @Override
  public @Nullable Path getRoot() {
    return wrap(real.getRoot());
  }

  @Override
  public @Nullable Path getFileName() {
    return wrap(real.getFileName());
  }

  @Override
  public @Nullable Path getParent() {
    return wrap(real.getParent());
  }

  @Override
  public int getNameCount() {
    return real.getNameCount();
  }

  @Override
  public Path getName(int index) {
    return wrap(real.getName(index));
  }

  @Override
  public Path subpath(int beginIndex, int endIndex) {
    return wrap(real.subpath(beginIndex, endIndex));
  }

  @Override
  public boolean startsWith(Path other) {
    return other instanceof FaultyPath && real.startsWith(other(other));
  }

  @Override
  public boolean endsWith(Path other) {
    return other instanceof FaultyPath && real.endsWith(other(other));
  }

  @Override
  public Path normalize() {
    return wrap(real.normalize());
  }

  @Override
  public Path resolve(Path other) {
    return wrap(real.resolve(other(other)));
  }

  @Override
  public Path relativize(Path other) {
    return wrap(real.relativize(other(other)));
  }

  @Override
  public URI toUri() {
    return real.toUri();
  }

  @Override
  public Path toAbsolutePath() {
    return wrap(real.toAbsolutePath());
  }

  @Override
  public Path toRealPath(LinkOption... options) throws IOException {
    return wrap(real.toRealPath(options));
  }

  @Override
  public WatchKey register(
      WatchService watcher, WatchEvent.Kind<?>[] events, WatchEvent.Modifier... modifiers) {
    throw new UnsupportedOperationException("no watch service on a faulty file system");
  }

  @Override
  public int compareTo(Path other) {
    return real.compareTo(other(other));
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof FaultyPath
        && ((FaultyPath) o).fs == fs
        && ((FaultyPath) o).real.equals(real);
  }

  @Override
  public int hashCode() {
    return real.hashCode();
  }

  @Override
  public String toString() {
    return real.toString();
  }
}
