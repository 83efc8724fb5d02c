package dev.sluice.engine;

import dev.sluice.api.spi.InputFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One output file being written: a temporary file in the target directory, appended to in key
 * order through a reorder buffer, then forced, closed and renamed into place.
 *
 * <p>Not thread-safe: owned by the one writer the file is assigned to.
 */
final class OutputFile {
  private static final Logger log = LoggerFactory.getLogger(OutputFile.class);
  private static final int BUFFER = 64 * 1024;

  final InputFile file;
  private final Path target;
  private final Path temp;
  private final RunContext ctx;
  private final SeekableByteChannel channel;
  private final OutputStream out;
  private final ReorderBuffer order;
  private boolean closed;

  OutputFile(RunContext ctx, InputFile file, boolean gzip) throws IOException {
    this.ctx = ctx;
    this.file = file;
    this.target = ctx.outputs[file.id()];
    this.order = new ReorderBuffer(file.relativeName());
    Path dir = target.getParent();
    if (dir != null) {
      Files.createDirectories(dir);
    }
    this.temp =
        target.resolveSibling(
            "." + target.getFileName() + "." + ctx.runId + Listing.TEMP_SUFFIX);
    this.channel = Files.newByteChannel(temp, createOptions(), ownerOnly(temp));
    ctx.temps.add(temp);
    OutputStream s = new BufferedOutputStream(Channels.newOutputStream(channel), BUFFER);
    this.out = gzip ? new GZIPOutputStream(s, BUFFER) : s;
  }

  private static Set<OpenOption> createOptions() {
    return Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  }

  private static FileAttribute<?>[] ownerOnly(Path p) {
    // Temporary files may hold personal data before the steps' output is final: owner-only.
    if (p.getFileSystem().supportedFileAttributeViews().contains("posix")) {
      return new FileAttribute<?>[] {
        PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
      };
    }
    return new FileAttribute<?>[0];
  }

  /** Appends {@code c} if it is next, else buffers it; then appends whatever became next. */
  void offer(Chunk c) throws IOException {
    try {
      order.offer(c, this::append);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  private void append(Chunk c) {
    try {
      out.write(c.bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      c.release();
    }
    ctx.counters.bytesWritten.add(c.bytes.length);
  }

  boolean isComplete() {
    return order.isComplete();
  }

  /** Forces the bytes to disk, closes, and renames the temporary file into place. */
  void commit() throws Exception {
    out.flush();
    if (out instanceof GZIPOutputStream) {
      ((GZIPOutputStream) out).finish();
      out.flush();
    }
    if (channel instanceof FileChannel) {
      ((FileChannel) channel).force(true);
    }
    closed = true;
    out.close();
    ctx.hooks.at(EngineHooks.Point.WRITER_COMMIT, file.id(), -1);
    if (ctx.spec.overwrite()) {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    } else {
      Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
    }
    ctx.temps.remove(temp);
    syncDirectory(target.getParent());
  }

  /** Closes and deletes the temporary file, and releases the permits of buffered chunks. */
  void abandon() {
    order.drain(Chunk::release);
    if (!closed) {
      closed = true;
      try {
        out.close();
      } catch (IOException | RuntimeException e) {
        ctx.failures.suppress(e);
      }
    }
    try {
      Files.deleteIfExists(temp);
      ctx.temps.remove(temp);
    } catch (IOException e) {
      // The coordinator retries every temp file still registered once all workers are done.
      ctx.failures.suppress(e);
    }
  }

  /** Makes the rename durable. Not every platform or file system can open a directory to sync it. */
  static void syncDirectory(@Nullable Path dir) {
    if (dir == null || dir.getFileSystem() != FileSystems.getDefault()) {
      return;
    }
    try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
      ch.force(true);
    } catch (IOException e) {
      // Windows cannot open directories; the rename is still atomic, only its durability on power
      // loss is weaker there.
      log.debug("cannot sync directory {}: {}", dir, e.toString());
    }
  }
}
