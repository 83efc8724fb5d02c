package dev.sluice.engine;

import dev.sluice.api.spi.InputFile;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
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
import java.util.HashMap;
import java.util.Map;
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
  /** Chunks that arrived before their turn, by key; their permits stay taken until written. */
  private final Map<Long, Chunk> pending = new HashMap<>();

  private long expected = Chunk.key(0, 0);
  private boolean complete;
  private boolean closed;

  OutputFile(RunContext ctx, InputFile file, boolean gzip) throws IOException {
    this.ctx = ctx;
    this.file = file;
    this.target = ctx.outputs[file.id()];
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
    if (c.key() != expected) {
      if (pending.putIfAbsent(c.key(), c) != null) {
        throw new IllegalStateException("batch key " + c.key() + " of " + file.relativeName() + " arrived twice");
      }
      return;
    }
    append(c);
    Chunk next;
    while (!complete && (next = pending.remove(expected)) != null) {
      append(next);
    }
  }

  private void append(Chunk c) throws IOException {
    if (complete) {
      throw new IllegalStateException("batch after the end of " + file.relativeName());
    }
    try {
      out.write(c.bytes);
    } finally {
      c.release();
    }
    ctx.counters.bytesWritten.add(c.bytes.length);
    if (!c.last) {
      expected = Chunk.key(c.split.index(), c.seq + 1);
    } else if (c.split.isLast()) {
      complete = true;
    } else {
      expected = Chunk.key(c.split.index() + 1, 0);
    }
  }

  boolean isComplete() {
    return complete;
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
    for (Chunk c : pending.values()) {
      c.release();
    }
    pending.clear();
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
