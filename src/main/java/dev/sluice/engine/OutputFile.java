package dev.sluice.engine;

import dev.sluice.api.Reject;
import dev.sluice.api.spi.InputFile;
import dev.sluice.internal.fs.DurableFiles;
import dev.sluice.internal.fs.ObjectStores;
import dev.sluice.internal.fs.ObjectUpload;
import java.io.BufferedOutputStream;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One output file being written, with its reject file: temporary files in the target directories,
 * appended to in key order through a {@link ReorderBuffer}, then forced, closed and renamed into
 * place (the reject file first). When a chunk reports the file failed (skip policy), the output is
 * dropped, later chunks are only counted, and the reject file gets one row for the failure.
 *
 * <p>Not thread-safe: owned by the one writer the file is assigned to.
 */
final class OutputFile {
  private static final Logger log = LoggerFactory.getLogger(OutputFile.class);
  private static final int BUFFER = 64 * 1024;

  final InputFile file;
  private final RunContext ctx;
  private final Path target;
  private final Path rejectTarget;
  private final ReorderBuffer order;
  private final Arrivals arrivals;

  /**
   * The range this file is restricted to, or null: the output and rejects then go to the range's
   * parts, the output uncompressed and the rejects in {@link RangeParts}' form with lines relative
   * to the range, and a failure is noted for the join instead of written.
   */
  private final @Nullable RangeRun range;

  /** Checking only ({@code discardOutput}): count and reject, write nothing. */
  private final boolean discard;

  /** The run escapes formulas: so do its reject files. */
  private final boolean escapeFormulas;

  private @Nullable Sink output;
  private @Nullable Sink rejects;
  private @Nullable Reject failure;
  private long read;
  private long passed;
  private long filtered;
  private long rejected;
  private long written;
  private long rejectRows;

  /** Whether {@link #publish()} renamed a reject file in or deleted a stale one. */
  private boolean rejectDirChanged;

  private final long started = System.nanoTime();

  OutputFile(RunContext ctx, InputFile file) throws IOException {
    this.ctx = ctx;
    this.file = file;
    this.target = ctx.outputs[file.id()];
    this.rejectTarget = ctx.rejectTargets[file.id()];
    this.range = ctx.range;
    RangeRun r = range;
    this.order =
        r == null
            ? new ReorderBuffer(file.relativeName())
            : new ReorderBuffer(file.relativeName(), r.split.index(), true);
    this.arrivals = new Arrivals(r == null ? -1 : r.split.index());
    this.discard = ctx.spec.discardOutput();
    this.escapeFormulas = RejectRows.escapesFormulas(ctx.spec);
    // A range's part is never compressed: the join compresses the whole file as one stream, so
    // that its bytes are those of a local run.
    this.output =
        discard ? null : Sink.open(ctx, target, ctx.output.gzip() && r == null, bufferFor(file));
  }

  /**
   * The output buffer for {@code file}: a small file gets a buffer about its size instead of the
   * full 64 KiB (allocated and zeroed once per file, a visible cost over thousands of small files).
   * The output is usually no bigger than the input; when it is, the buffer just flushes more often.
   */
  static int bufferFor(InputFile file) {
    long size = file.size();
    if (size < 0 || size >= BUFFER) {
      return BUFFER;
    }
    return (int) Math.max(8192, Long.highestOneBit(size) << 1);
  }

  /** Takes the next chunk that arrived for this file (in any order). */
  void offer(Chunk c) throws IOException {
    read += c.counts.read();
    passed += c.counts.passed();
    filtered += c.counts.filtered();
    rejected += c.counts.rejected();
    written += c.counts.written();
    arrivals.record(c);
    if (failure == null && c.failure != null) {
      failure = c.failure;
      dropOutput();
    }
    if (failure != null) {
      c.release();
      return;
    }
    try {
      order.offer(c, this::append);
    } catch (UncheckedIOException e) {
      throw e.getCause();
    }
  }

  /** Line breaks in the splits written so far; -1 once a split did not say. */
  private long lineOffset;

  private void append(Chunk c) {
    // All inside the try: whatever throws (a reject listener, say) must not keep the chunk's
    // permits from its reader's pool.
    try {
      RangeRun r = range;
      // A range's rejects keep their lines relative to the range: only the join knows the lines
      // before it.
      List<Reject> rs = c.split().index() == 0 || r != null ? c.rejects : resolveLines(c);
      if (c.last) {
        if (r != null) {
          r.splitLines = c.splitLines;
        }
        lineOffset = lineOffset < 0 || c.splitLines < 0 ? -1 : lineOffset + c.splitLines;
      }
      rs.forEach(ctx.errors::announce);
      if (discard) {
        rejectRows += c.rejects.size();
        return;
      }
      java.util.Objects.requireNonNull(output, "output").out.write(c.bytes);
      for (Reject x : rs) {
        if (r != null) {
          RangeParts.write(rejectSink().out, x);
        } else {
          RejectRows.write(rejectSink().writer(), x, escapeFormulas);
        }
        rejectRows++;
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } finally {
      c.release();
    }
  }

  /**
   * A later split's readers count lines from the split's start; the writer sees the splits in order
   * and knows how many lines came before, so it turns them into file line numbers (or, when a split
   * did not count its lines, leaves the line unknown: the byte offset still locates it).
   */
  private List<Reject> resolveLines(Chunk c) {
    if (c.rejects.isEmpty()) {
      return c.rejects;
    }
    List<Reject> out = new ArrayList<>(c.rejects.size());
    for (Reject r : c.rejects) {
      long line = r.line() < 0 || lineOffset < 0 ? -1 : r.line() + lineOffset;
      out.add(
          new Reject(r.file(), line, r.byteOffset(), r.column(), r.type(), r.message(), r.raw()));
    }
    return out;
  }

  private Sink rejectSink() throws IOException {
    if (rejects == null) {
      rejects = Sink.open(ctx, rejectTarget, false);
      if (range == null) {
        rejects.writer().write(RejectRows.HEADER);
      }
    }
    return rejects;
  }

  /** Whether every chunk of the file has arrived (and, if it did not fail, been written). */
  boolean isDone() {
    return failure == null ? order.isComplete() : arrivals.complete();
  }

  boolean failed() {
    return failure != null;
  }

  /**
   * First phase of a commit: finishes writing (for a failed file, writes its reject file) and
   * returns the temporary files that must be forced to disk before they are renamed. The writer
   * forces a whole group of files at once (in parallel), then calls {@link #publish()}.
   */
  List<Sink> prepare() throws IOException {
    List<Sink> sinks = new ArrayList<>(2);
    if (failure != null) {
      ctx.errors.announce(failure);
    }
    if (discard) {
      return sinks;
    }
    RangeRun r = range;
    if (failure != null && r != null) {
      // The join writes the file's reject file for the failure: a range only notes it (and keeps
      // no reject part, so a part left by an earlier attempt is deleted at publish).
      r.failure = failure;
      if (rejects != null) {
        rejects.abandon(ctx);
        rejects = null;
      }
      return sinks;
    }
    if (failure != null) {
      if (rejects != null) {
        rejects.abandon(ctx);
      }
      rejects = Sink.open(ctx, rejectTarget, false);
      rejects.writer().write(RejectRows.HEADER);
      RejectRows.write(rejects.writer(), failure, escapeFormulas);
    }
    if (rejects != null) {
      rejects.flush();
      sinks.add(rejects);
    }
    if (output != null) {
      output.flush();
      sinks.add(output);
    }
    return sinks;
  }

  /**
   * Second phase of a commit, once {@link #prepare()}'s files are forced: renames the reject file
   * and the output into place (the reject file first), and returns the manifest entry to append
   * once the directories are synced, or null without state.
   */
  StateStore.@Nullable Pending publish() throws Exception {
    if (discard) {
      settle(0);
      return null;
    }
    boolean withRejects = rejects != null;
    long bytes = 0;
    if (failure == null) {
      ctx.hooks.at(EngineHooks.Point.WRITER_COMMIT, file.id(), -1);
    }
    if (withRejects) {
      java.util.Objects.requireNonNull(rejects, "rejects").publish(ctx, rejectTarget);
      rejects = null;
      rejectDirChanged = true;
      ctx.counters.rejectFiles.add(rejectTarget);
      ctx.crash.at(CrashPoints.REJECTS);
    } else {
      // A reject file left by an earlier run of this file would now be wrong (there is none in a
      // reject directory that did not exist when the run started).
      Path dir = rejectTarget.getParent();
      if (dir == null || !ctx.freshRejectDirectories.contains(dir)) {
        rejectDirChanged = Files.deleteIfExists(rejectTarget);
      }
    }
    if (failure == null) {
      bytes = java.util.Objects.requireNonNull(output, "output").publish(ctx, target);
      output = null;
      ctx.crash.at(CrashPoints.RENAME);
    }
    settle(bytes);
    String outcome = failure != null ? "failed" : withRejects ? "ok-with-rejects" : "ok";
    return pending(outcome, withRejects, bytes);
  }

  /** Adds the file's counts to the run's, now that it is committed (or failed). */
  private void settle(long bytes) {
    Counters k = ctx.counters;
    if (failure == null) {
      k.files.increment();
      k.recordsPassed.add(passed);
      k.recordsFiltered.add(filtered);
      k.recordsRejected.add(rejected);
      k.recordsWritten.add(written);
      k.bytesWritten.add(bytes);
    } else {
      // Every record of a failed file counts as rejected; those rejected one by one are counted.
      ctx.errors.rejectMore(file.id(), read - rejected);
      k.recordsRejected.add(read);
      k.filesFailed.increment();
      log.debug("{} failed: {}", file.relativeName(), failure.message());
    }
  }

  /** The directories whose entries {@link #publish()} changed, to sync once per group. */
  List<Path> directories() {
    List<Path> dirs = new ArrayList<>(2);
    if (discard) {
      return dirs;
    }
    if (failure == null && target.getParent() != null) {
      dirs.add(target.getParent());
    }
    // Only a reject file renamed in or a stale one deleted changes the reject directory: syncing
    // it otherwise costs a directory fsync per group on a real disk, and fails where the run never
    // made the directory.
    if (rejectDirChanged && rejectTarget.getParent() != null) {
      dirs.add(rejectTarget.getParent());
    }
    return dirs;
  }

  /** The file's manifest entry, to append after its files are durable. */
  private StateStore.@Nullable Pending pending(String outcome, boolean withRejects, long bytes) {
    StateStore state = ctx.state;
    if (state == null) {
      return null;
    }
    java.util.Map<String, Long> counts = new java.util.LinkedHashMap<>();
    counts.put("read", read);
    counts.put("passed", passed);
    counts.put("filtered", filtered);
    counts.put("rejected", failure != null ? read : rejected);
    counts.put("written", written);
    counts.put("bytes", bytes);
    return new StateStore.Pending(
        file,
        ctx.hashes[file.id()],
        ctx.mtimes[file.id()],
        target,
        withRejects ? rejectTarget : null,
        outcome,
        counts,
        java.util.concurrent.TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
  }

  private void dropOutput() {
    order.drain(Chunk::release);
    if (output != null) {
      output.abandon(ctx);
      output = null;
    }
    if (rejects != null) {
      rejects.abandon(ctx);
      rejects = null;
    }
  }

  /** Closes and deletes the temporary files, and releases the permits of buffered chunks. */
  void abandon() {
    dropOutput();
  }

  /** Counts chunks per split, so a failed file knows when its last chunk has arrived. */
  private static final class Arrivals {
    private int[] received = new int[1];
    private int[] expected = {-1};
    private int splitsKnown = 1;

    /** The one split that arrives (a range run), or -1 for all of them. */
    private final int only;

    Arrivals(int only) {
      this.only = only;
    }

    void record(Chunk c) {
      int count = c.split().count();
      if (received.length < count) {
        received = java.util.Arrays.copyOf(received, count);
        int old = expected.length;
        expected = java.util.Arrays.copyOf(expected, count);
        java.util.Arrays.fill(expected, old, count, -1);
        splitsKnown = count;
      }
      int s = c.split().index();
      received[s]++;
      if (c.last) {
        expected[s] = c.seq + 1;
      }
    }

    boolean complete() {
      for (int s = 0; s < splitsKnown; s++) {
        if (only >= 0 && s != only) {
          continue;
        }
        if (expected[s] < 0 || received[s] != expected[s]) {
          return false;
        }
      }
      return true;
    }
  }

  /**
   * A temporary file and its stream, committed by an atomic rename; for an object-store target, a
   * local spool file committed by uploading it whole ({@link ObjectUpload}).
   */
  static final class Sink {
    final Path temp;
    final SeekableByteChannel channel;
    final OutputStream out;

    /** Whether {@link #temp} is a local spool file for an object, rather than a sibling temp. */
    private final boolean spooled;

    private @Nullable Writer writer;
    private boolean closed;

    private Sink(Path temp, SeekableByteChannel channel, OutputStream out, boolean spooled) {
      this.temp = temp;
      this.channel = channel;
      this.out = out;
      this.spooled = spooled;
    }

    static Sink open(RunContext ctx, Path target, boolean gzip) throws IOException {
      return open(ctx, target, gzip, BUFFER);
    }

    static Sink open(RunContext ctx, Path target, boolean gzip, int buffer) throws IOException {
      if (ObjectStores.isObjectStore(target)) {
        // An object store has no rename to commit with, and its provider uploads whatever a closed
        // stream holds, failed or not: write locally, upload only what is committed.
        Path spool = Files.createTempFile("sluice-" + ctx.runId + "-", ".spool", OWNER_ONLY_LOCAL);
        ctx.temps.add(spool);
        SeekableByteChannel ch = Files.newByteChannel(spool, StandardOpenOption.WRITE);
        lockWhileOpen(ch); // a later run deletes it once no one holds it (a killed run's)
        return new Sink(spool, ch, stream(ch, gzip, buffer), true);
      }
      Path dir = target.getParent();
      if (dir != null) {
        ctx.ensureDirectory(dir);
      }
      Path temp =
          target.resolveSibling("." + target.getFileName() + "." + ctx.runId + Listing.TEMP_SUFFIX);
      SeekableByteChannel ch;
      try {
        ch = Files.newByteChannel(temp, CREATE_OPTIONS, ownerOnly(temp));
      } catch (java.nio.file.NoSuchFileException e) {
        if (dir == null) {
          throw e;
        }
        // The directory went away after this run made it: make it again, as without the cache.
        DurableFiles.createDirectories(dir);
        ch = Files.newByteChannel(temp, CREATE_OPTIONS, ownerOnly(temp));
      }
      ctx.temps.add(temp);
      lockWhileOpen(ch);
      return new Sink(temp, ch, stream(ch, gzip, buffer), false);
    }

    private static OutputStream stream(SeekableByteChannel ch, boolean gzip, int buffer)
        throws IOException {
      OutputStream s = new BufferedOutputStream(Channels.newOutputStream(ch), buffer);
      return gzip ? new GZIPOutputStream(s, BUFFER) : s;
    }

    /**
     * Locks the temp file for as long as this process has it open. The OS drops the lock when the
     * process dies, SIGKILL included, so a later run without state (and so without the job's lock)
     * can tell a killed run's temp file (unlocked: removed) from a live run's (locked: left alone);
     * see {@link StateStore#removeAbandoned}. Where the channel or file system cannot lock, the
     * file is simply never taken for abandoned.
     */
    private static void lockWhileOpen(SeekableByteChannel ch) {
      if (ch instanceof FileChannel) {
        try {
          ((FileChannel) ch).tryLock(); // released when the channel closes
        } catch (IOException | RuntimeException e) {
          log.debug("cannot lock a temporary file: {}", e.toString());
        }
      }
    }

    Writer writer() {
      if (writer == null) {
        writer = new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8), 8192);
      }
      return writer;
    }

    /** Writes out everything buffered (the channel stays open for the force). */
    void flush() throws IOException {
      if (writer != null) {
        writer.flush();
      }
      out.flush();
      if (out instanceof GZIPOutputStream) {
        ((GZIPOutputStream) out).finish();
        out.flush();
      }
    }

    /** Forces the file's bytes to the disk. */
    void force() throws IOException {
      if (!spooled && channel instanceof FileChannel) {
        ((FileChannel) channel).force(true);
      }
    }

    /** Closes and renames into place; returns the file's size. */
    long publish(RunContext ctx, Path target) throws IOException {
      long size = channel.size();
      if (spooled) {
        // Uploaded while still open, and so locked: no other run takes it for a killed run's.
        flush();
        ObjectUpload.put(temp, target);
        closed = true;
        out.close();
        Files.deleteIfExists(temp);
        ctx.temps.remove(temp);
        return size;
      }
      closed = true;
      out.close();
      var perms = ctx.finalPermissions;
      if (perms != null) {
        Files.setPosixFilePermissions(temp, perms);
      }
      if (ctx.spec.overwrite()) {
        Files.move(
            temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } else {
        Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE);
      }
      ctx.temps.remove(temp);
      return size;
    }

    void abandon(RunContext ctx) {
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
  }

  private static final Set<OpenOption> CREATE_OPTIONS =
      Set.of(StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
  private static final FileAttribute<?>[] OWNER_ONLY = {
    PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"))
  };
  private static final FileAttribute<?>[] NO_ATTRIBUTES = new FileAttribute<?>[0];

  /** Spool files in the default temp directory: owner-only where the file system has modes. */
  private static final FileAttribute<?>[] OWNER_ONLY_LOCAL =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix")
          ? OWNER_ONLY
          : NO_ATTRIBUTES;

  private static final boolean DEFAULT_POSIX =
      java.nio.file.FileSystems.getDefault().supportedFileAttributeViews().contains("posix");

  private static FileAttribute<?>[] ownerOnly(Path p) {
    // Temporary files may hold personal data before the steps' output is final: owner-only.
    java.nio.file.FileSystem fs = p.getFileSystem();
    boolean posix =
        fs == java.nio.file.FileSystems.getDefault()
            ? DEFAULT_POSIX
            : fs.supportedFileAttributeViews().contains("posix");
    return posix ? OWNER_ONLY : NO_ATTRIBUTES;
  }
}
