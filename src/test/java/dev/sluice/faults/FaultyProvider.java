package dev.sluice.faults;

import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.net.URI;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.AccessMode;
import java.nio.file.CopyOption;
import java.nio.file.DirectoryStream;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.FileAttributeView;
import java.nio.file.spi.FileSystemProvider;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;

/**
 * The provider of one {@link FaultyFileSystem}: unwraps paths, counts the operation, lets the file
 * system fail it, then delegates to the default provider. Not registered with {@link
 * FileSystemProvider#installedProviders()}: a faulty path carries its file system, which is all
 * {@code Files} needs.
 *
 * <p>Thread-safe: stateless beyond its file system.
 */
final class FaultyProvider extends FileSystemProvider {
  private final FaultyFileSystem fs;

  FaultyProvider(FaultyFileSystem fs) {
    this.fs = fs;
  }

  private FileSystemProvider real() {
    return fs.real().provider();
  }

  private static Path real(Path p) {
    return FaultyFileSystem.unwrap(p);
  }

  @Override
  public String getScheme() {
    return "faulty";
  }

  @Override
  public FileSystem newFileSystem(URI uri, Map<String, ?> env) {
    throw new UnsupportedOperationException("make one with FaultyFileSystem.create()");
  }

  @Override
  public FileSystem getFileSystem(URI uri) {
    throw new UnsupportedOperationException("make one with FaultyFileSystem.create()");
  }

  @Override
  public Path getPath(URI uri) {
    throw new UnsupportedOperationException("wrap a path with FaultyFileSystem.wrap(Path)");
  }

  @Override
  public SeekableByteChannel newByteChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    return newFileChannel(path, options, attrs);
  }

  @Override
  public FileChannel newFileChannel(
      Path path, Set<? extends OpenOption> options, FileAttribute<?>... attrs) throws IOException {
    Path p = real(path);
    boolean write =
        options.contains(StandardOpenOption.WRITE) || options.contains(StandardOpenOption.APPEND);
    boolean directory = !write && Files.isDirectory(p);
    fs.check(write ? Op.OPEN_WRITE : directory ? Op.SYNC_DIR : Op.OPEN_READ, p);
    return new FaultyChannel(fs, p, real().newFileChannel(p, options, attrs), directory);
  }

  @Override
  public DirectoryStream<Path> newDirectoryStream(
      Path dir, DirectoryStream.Filter<? super Path> filter) throws IOException {
    Path p = real(dir);
    fs.check(Op.LIST, p);
    DirectoryStream<Path> stream = real().newDirectoryStream(p, e -> filter.accept(fs.wrap(e)));
    return new DirectoryStream<>() {
      @Override
      public Iterator<Path> iterator() {
        Iterator<Path> it = stream.iterator();
        return new Iterator<>() {
          @Override
          public boolean hasNext() {
            return it.hasNext();
          }

          @Override
          public Path next() {
            return fs.wrap(it.next());
          }
        };
      }

      @Override
      public void close() throws IOException {
        stream.close();
      }
    };
  }

  @Override
  public void createDirectory(Path dir, FileAttribute<?>... attrs) throws IOException {
    Path p = real(dir);
    fs.check(Op.MKDIR, p);
    real().createDirectory(p, attrs);
  }

  @Override
  public void delete(Path path) throws IOException {
    Path p = real(path);
    fs.check(Op.DELETE, p);
    real().delete(p);
  }

  @Override
  public boolean deleteIfExists(Path path) throws IOException {
    Path p = real(path);
    fs.check(Op.DELETE, p);
    return real().deleteIfExists(p);
  }

  @Override
  public void copy(Path source, Path target, CopyOption... options) throws IOException {
    real().copy(real(source), real(target), options);
  }

  @Override
  public void move(Path source, Path target, CopyOption... options) throws IOException {
    Path p = real(source);
    fs.check(Op.MOVE, p);
    real().move(p, real(target), options);
  }

  @Override
  public boolean isSameFile(Path path, Path path2) throws IOException {
    if (!(path instanceof FaultyPath) || !(path2 instanceof FaultyPath)) {
      return false;
    }
    return real().isSameFile(real(path), real(path2));
  }

  @Override
  public boolean isHidden(Path path) throws IOException {
    return real().isHidden(real(path));
  }

  @Override
  public FileStore getFileStore(Path path) throws IOException {
    return real().getFileStore(real(path));
  }

  @Override
  public void checkAccess(Path path, AccessMode... modes) throws IOException {
    real().checkAccess(real(path), modes);
  }

  @Override
  public <V extends FileAttributeView> V getFileAttributeView(
      Path path, Class<V> type, LinkOption... options) {
    return real().getFileAttributeView(real(path), type, options);
  }

  @Override
  public <A extends BasicFileAttributes> A readAttributes(
      Path path, Class<A> type, LinkOption... options) throws IOException {
    return real().readAttributes(real(path), type, options);
  }

  @Override
  public Map<String, Object> readAttributes(Path path, String attributes, LinkOption... options)
      throws IOException {
    return real().readAttributes(real(path), attributes, options);
  }

  @Override
  public void setAttribute(Path path, String attribute, Object value, LinkOption... options)
      throws IOException {
    real().setAttribute(real(path), attribute, value, options);
  }

  @Override
  public void createSymbolicLink(Path link, Path target, FileAttribute<?>... attrs)
      throws IOException {
    real().createSymbolicLink(real(link), real(target), attrs);
  }

  @Override
  public void createLink(Path link, Path existing) throws IOException {
    real().createLink(real(link), real(existing));
  }

  @Override
  public Path readSymbolicLink(Path link) throws IOException {
    return fs.wrap(real().readSymbolicLink(real(link)));
  }
}
