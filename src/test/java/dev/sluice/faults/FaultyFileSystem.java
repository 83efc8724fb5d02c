package dev.sluice.faults;

import java.io.IOException;
import java.nio.file.FileStore;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.nio.file.WatchService;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;
import java.util.function.Predicate;
import org.jspecify.annotations.Nullable;

/**
 * A decorator of the default file system that counts I/O operations by kind and can make one of
 * them fail. Paths made by {@link #wrap} route every operation through {@link FaultyProvider}, so a
 * job whose inputs and output are such paths does all its file I/O here (the engine and formats
 * only use {@code java.nio.file.Files} on the paths they are given).
 *
 * <pre>{@code
 * FaultyFileSystem fs = FaultyFileSystem.create();
 * fs.failNth(Op.READ, 3, p -> true, p -> new IOException("injected"));
 * Sluice.builder().input(fs.wrap(in)).output(fs.wrap(out)).run();  // the 3rd read fails
 * }</pre>
 *
 * <p>It reports the views of the default file system, "posix" included, so the engine's permission
 * handling (owner-only temporary files, the umask probe) runs through it too, and the engine syncs
 * directories on it as on the default file system ({@link Op#SYNC_DIR}). Not counted: metadata
 * (attributes, size, access checks), copies, memory mapping and locks.
 *
 * <p>Thread-safe: counters are atomic, and exactly one operation fails per {@link #failNth} (or
 * every one from the n-th on, for {@link #failFrom}).
 */
final class FaultyFileSystem extends FileSystem {
  /** The kinds of operation counted. */
  enum Op {
    /** {@code newByteChannel} without WRITE or APPEND (also {@code Files.newInputStream}). */
    OPEN_READ,
    /** A read call on a channel. */
    READ,
    /**
     * {@code newByteChannel} with WRITE or APPEND (also {@code newOutputStream}, {@code
     * createFile}).
     */
    OPEN_WRITE,
    /** A write call on a channel. */
    WRITE,
    /** {@code FileChannel.force}. */
    FORCE,
    /** Closing a channel (the file is closed even when the fault strikes, as the OS does). */
    CLOSE,
    /** {@code Files.move}. */
    MOVE,
    /** {@code delete} and {@code deleteIfExists}. */
    DELETE,
    /** Opening a directory stream. */
    LIST,
    /** {@code createDirectory} (also each level of {@code createDirectories}). */
    MKDIR,
    /**
     * Syncing a directory: opening a channel on a directory, forcing it and closing it each count
     * once (none of them counts as {@link #OPEN_READ}, {@link #FORCE} or {@link #CLOSE}).
     */
    SYNC_DIR
  }

  private final FileSystem real;
  private final FaultyProvider provider;
  private final Map<Op, AtomicInteger> counts = new EnumMap<>(Op.class);
  private final Map<Op, List<Path>> seen = new EnumMap<>(Op.class);
  private volatile @Nullable Fault fault;
  private volatile boolean armed;

  private FaultyFileSystem(FileSystem real) {
    this.real = real;
    this.provider = new FaultyProvider(this);
    for (Op op : Op.values()) {
      counts.put(op, new AtomicInteger());
      seen.put(op, new ArrayList<>());
    }
  }

  /** A faulty view of the default file system, with no fault armed. */
  static FaultyFileSystem create() {
    return new FaultyFileSystem(FileSystems.getDefault());
  }

  /** The path of this file system that stands for {@code realPath} (a default file system path). */
  Path wrap(Path realPath) {
    if (realPath instanceof FaultyPath) {
      throw new IllegalArgumentException("already wrapped: " + realPath);
    }
    return new FaultyPath(this, realPath);
  }

  /** The default file system path behind {@code p}, which must be one of ours. */
  static Path unwrap(Path p) {
    if (!(p instanceof FaultyPath)) {
      throw new java.nio.file.ProviderMismatchException("not a faulty path: " + p);
    }
    return ((FaultyPath) p).real;
  }

  /** Operations seen so far, by kind. */
  Map<Op, Integer> counts() {
    Map<Op, Integer> m = new EnumMap<>(Op.class);
    counts.forEach((op, n) -> m.put(op, n.get()));
    return m;
  }

  /** The real paths of the operations of kind {@code op} seen so far, in order. */
  List<Path> seen(Op op) {
    List<Path> l = seen.get(op);
    synchronized (l) {
      return List.copyOf(l);
    }
  }

  /** Zeroes the counts and forgets the paths seen (the armed fault keeps its own count). */
  void resetCounts() {
    counts.values().forEach(n -> n.set(0));
    seen.values()
        .forEach(
            l -> {
              synchronized (l) {
                l.clear();
              }
            });
  }

  /**
   * Makes the {@code nth} (1-based) operation of kind {@code op} on a real path accepted by {@code
   * where} fail with {@code error.apply(realPath)}, before it is performed (a failed close still
   * closes). Replaces any fault armed before.
   */
  void failNth(Op op, int nth, Predicate<Path> where, Function<Path, IOException> error) {
    fault = new Fault(op, nth, false, where, error);
    armed = true;
  }

  /**
   * Like {@link #failNth}, but the {@code nth} and every later matching operation fail (a full
   * disk).
   */
  void failFrom(Op op, int nth, Predicate<Path> where, Function<Path, IOException> error) {
    fault = new Fault(op, nth, true, where, error);
    armed = true;
  }

  /** Disarms the fault; {@link #struck()} still tells where it struck. */
  void heal() {
    armed = false;
  }

  /** The real paths the last fault armed has struck, in order (empty if it has not struck). */
  List<Path> struck() {
    Fault f = fault;
    return f == null ? List.of() : f.struck();
  }

  /**
   * Counts an operation on {@code realPath} and throws the injected exception if it is the chosen
   * one.
   */
  void check(Op op, Path realPath) throws IOException {
    counts.get(op).incrementAndGet();
    List<Path> l = seen.get(op);
    synchronized (l) {
      l.add(realPath);
    }
    Fault f = fault;
    if (f != null && armed) {
      f.check(op, realPath);
    }
  }

  FileSystem real() {
    return real;
  }

  private static final class Fault {
    final Op op;
    final int nth;
    final boolean sticky;
    final Predicate<Path> where;
    final Function<Path, IOException> error;
    final AtomicInteger seen = new AtomicInteger();
    final AtomicReference<List<Path>> struck = new AtomicReference<>(List.of());

    Fault(
        Op op, int nth, boolean sticky, Predicate<Path> where, Function<Path, IOException> error) {
      if (nth < 1) {
        throw new IllegalArgumentException("nth < 1: " + nth);
      }
      this.op = op;
      this.nth = nth;
      this.sticky = sticky;
      this.where = where;
      this.error = error;
    }

    void check(Op kind, Path realPath) throws IOException {
      if (kind != op || !where.test(realPath)) {
        return;
      }
      int n = seen.incrementAndGet();
      if (n == nth || (sticky && n > nth)) {
        struck.updateAndGet(
            l -> {
              List<Path> copy = new ArrayList<>(l);
              copy.add(realPath);
              return List.copyOf(copy);
            });
        throw error.apply(realPath);
      }
    }

    List<Path> struck() {
      return struck.get();
    }
  }

  // ---- FileSystem: everything but I/O is the default file system's

  @Override
  public FaultyProvider provider() {
    return provider;
  }

  @Override
  public void close() {
    throw new UnsupportedOperationException("the default file system cannot be closed");
  }

  @Override
  public boolean isOpen() {
    return true;
  }

  @Override
  public boolean isReadOnly() {
    return false;
  }

  @Override
  public String getSeparator() {
    return real.getSeparator();
  }

  @Override
  public Iterable<Path> getRootDirectories() {
    List<Path> roots = new ArrayList<>();
    real.getRootDirectories().forEach(r -> roots.add(wrap(r)));
    return roots;
  }

  @Override
  public Iterable<FileStore> getFileStores() {
    return real.getFileStores();
  }

  @Override
  public Set<String> supportedFileAttributeViews() {
    return real.supportedFileAttributeViews();
  }

  @Override
  public Path getPath(String first, String... more) {
    return wrap(real.getPath(first, more));
  }

  @Override
  public PathMatcher getPathMatcher(String syntaxAndPattern) {
    PathMatcher m = real.getPathMatcher(syntaxAndPattern);
    return p -> m.matches(p instanceof FaultyPath ? unwrap(p) : p);
  }

  @Override
  public UserPrincipalLookupService getUserPrincipalLookupService() {
    return real.getUserPrincipalLookupService();
  }

  @Override
  public WatchService newWatchService() {
    throw new UnsupportedOperationException("no watch service on a faulty file system");
  }
}
