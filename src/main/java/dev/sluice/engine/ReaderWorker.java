package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Reject;
import dev.sluice.api.Row;
import dev.sluice.api.Stage;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A reader thread's loop: takes splits in key order, parses them and hands batches of records to
 * the transformers, after taking the batch's bytes from this reader's own {@link PermitPool}.
 *
 * <p>Under the skip policy a recoverable {@link RecordException} becomes a reject and reading goes
 * on with the next record; any other failure of the split becomes the file's failure, carried by
 * the split's final batch so the writer drops the file.
 *
 * <p>Not thread-safe: one instance per reader thread.
 */
final class ReaderWorker implements Runnable {
  /** Rough heap cost of a row beyond its characters: the Row, its array and String headers. */
  private static final int ROW_OVERHEAD = 48;

  private static final int FIELD_OVERHEAD = 40;

  private static final Row[] NO_ROWS = new Row[0];
  private static final long[] NO_LONGS = new long[0];

  private final RunContext ctx;
  private final PermitPool pool;

  /** This reader's place in {@link RunContext#readerSlots}, and the index of its pool. */
  private final int slot;

  private final StageMeter meter;
  private final int batchSize;
  private final long batchBytes;

  private @Nullable Split current;

  /** The open reader, so a failure can ask it where the failing record starts. */
  private @Nullable RecordReader open;

  // The batch under construction.
  private Row[] rows = new Row[0];
  private long[] lines = new long[0];
  private long[] records = new long[0];
  private int n;
  private long bytes;
  private List<Reject> rejects = new ArrayList<>();
  private long rejected;

  /** Records of the batch under construction already counted in the {@link RejectCounter}. */
  private long readCounted;

  /** Whether a batch of split 0 carrying the columns went on: that one writes the header. */
  private boolean headerSent;

  /** The line breaks of the split just read, for its last batch. */
  private long lastSplitLines = -1;

  ReaderWorker(RunContext ctx, int slot, StageMeter meter) {
    this.ctx = ctx;
    this.slot = slot;
    this.pool = ctx.pools.get(slot);
    this.meter = meter;
    this.batchSize = ctx.spec.batchSize();
    this.batchBytes = ctx.spec.batchBytes();
  }

  @Override
  public void run() {
    meter.start();
    try {
      while (!ctx.stopping) {
        // Between splits is the one safe point to retire: no open reader, no batch half built,
        // and every batch of the split read so far already handed on with its permits.
        if (ctx.readerSlots.tryRetire(slot)) {
          meter.enter(StageMeter.DONE);
          return;
        }
        Split split = ctx.feed.next();
        if (split == null) {
          ctx.readerSlots.close(); // no reader joins once the splits have run out
          break;
        }
        current = split;
        read(split);
        current = null;
      }
      if (ctx.readerSlots.leave(slot) && !ctx.stopping) {
        // The last reader out tells every transformer that no more batches come. Closing the
        // transformers first fixes their number: none joins or retires after this count.
        ctx.hooks.at(EngineHooks.Point.READER_END, -1, -1);
        int transformers = ctx.transformerSlots.close();
        for (int i = 0; i < transformers; i++) {
          ctx.put(ctx.toTransformers, Batch.END);
        }
      }
      meter.enter(StageMeter.DONE);
    } catch (InterruptedException e) {
      discardBatch();
      if (!ctx.stopping) {
        ctx.fail(Stage.READER, file(), -1, -1, "reader interrupted", e);
      }
    } catch (SplitFeed.PlanException e) {
      discardBatch();
      ctx.fail(Stage.SOURCE, e.file, -1, -1, "cannot plan", e.getCause());
    } catch (RejectCounter.ThresholdExceeded e) {
      RecordReader r = open;
      long line = r == null ? -1 : r.line();
      long record = r == null ? -1 : r.recordNumber();
      discardBatch();
      Split s = current;
      if (s != null && s.index() > 0 && r != null) {
        line = fileLine(r, line);
        record = -1; // split-relative: means nothing in the file
      }
      ctx.fail(Stage.READER, file(), line, record, e.getMessage(), null);
    } catch (RecordException e) {
      discardBatch();
      ctx.fail(Stage.READER, file(), e.line(), e.recordNumber(), "bad input", e);
    } catch (Throwable t) {
      // The batch under construction goes first: it may be what filled the heap.
      RecordReader r = open;
      long line = r == null ? -1 : r.line();
      long record = r == null ? -1 : r.recordNumber();
      discardBatch();
      Split s = current;
      if (s != null && s.index() > 0 && r != null && !(t instanceof Error)) {
        // Not for an Error: counting the lines before the split reads the file, which needs memory.
        line = fileLine(r, line);
        record = -1;
      }
      ctx.fail(Stage.READER, file(), line, record, "read failed", t);
    }
  }

  /** A split-relative line of a split after the first as a file line, or as it is when unknown. */
  private static long fileLine(RecordReader r, long line) {
    if (line <= 0) {
      return line;
    }
    try {
      long before = r.linesBefore();
      return before < 0 ? line : line + before;
    } catch (java.io.IOException | RuntimeException e) {
      return line;
    }
  }

  private @Nullable InputFile file() {
    return current == null ? null : current.file();
  }

  private void startBatch() {
    // Small: most files of a many-small-files run fit in it, and the arrays grow (doubling) up to
    // the batch size for bigger ones; a 1024-row start cost three 8 KiB arrays per file.
    int size = Math.min(batchSize, 128);
    rows = new Row[size];
    lines = new long[size];
    records = new long[size];
    n = 0;
    bytes = 0;
    rejects = new ArrayList<>(0);
    rejected = 0;
    readCounted = 0;
  }

  /**
   * Drops the batch under construction, first thing on a failure: it may be what filled the heap,
   * and the report of the failure needs room.
   */
  private void discardBatch() {
    rows = NO_ROWS;
    lines = NO_LONGS;
    records = NO_LONGS;
    n = 0;
    rejects = List.of();
    rejected = 0;
    open = null;
  }

  /**
   * Tells the {@link RejectCounter} of the records delimited so far and not yet counted there. A
   * reject counts the reads before it the same way ({@link RejectCounter#readAndReject}): otherwise
   * the reads of the batch under construction would not count yet, and a file rejected from its
   * first record would never reach the 1,000 records a percentage threshold waits for before its
   * split ended.
   */
  private void countReads(Split split) {
    long uncounted = n + rejected - readCounted;
    if (uncounted > 0) {
      readCounted += uncounted;
      ctx.errors.read(split.file().id(), uncounted);
    }
  }

  private void read(Split split) throws Exception {
    int seq = 0;
    startBatch();
    open = null;
    headerSent = false;
    long limit = ctx.spec.limit();
    if (limit > 0 && split.index() > 0) {
      // --limit reads the first records of a file, which split 0 holds: later splits add nothing.
      warn(ctx.feed.splitRead(split, null));
      handOff(split, 0, true, null, null, 0);
      return;
    }
    Reject failure = null;
    Columns columns = null;
    RecordReader reader;
    try {
      reader = ctx.input.open(split);
    } catch (Exception e) {
      if (!ctx.errors.skip || e instanceof InterruptedException) {
        throw e;
      }
      // A reader may fail at open (a binary file, a broken gzip header, a bad header row).
      long line = e instanceof RecordException ? ((RecordException) e).line() : -1;
      long offset = e instanceof RecordException ? ((RecordException) e).byteOffset() : -1;
      handOff(split, seq, true, null, fileFailed(split, line, offset, e), 0);
      return;
    }
    try (RecordReader r = reader) {
      open = r;
      while (true) {
        boolean more;
        try {
          more = r.next();
        } catch (RecordException e) {
          if (!ctx.errors.skip) {
            throw atFileLine(split, r, e);
          }
          if (!e.recoverable()) {
            RecordException f = atFileLine(split, r, e);
            failure = fileFailed(split, f.line(), f.byteOffset(), f);
            break;
          }
          Reject rejectedRecord =
              new Reject(
                  split.file().relativeName(),
                  e.line(),
                  e.byteOffset(),
                  e.column(),
                  e.type(),
                  reason(e),
                  r.rawText());
          rejects.add(rejectedRecord);
          rejected++;
          // Rejects count like rows: input rejected from end to end must not pile up in one
          // batch outside the budget.
          bytes += RejectRows.cost(rejectedRecord);
          long uncounted = n + rejected - readCounted;
          readCounted += uncounted;
          ctx.errors.readAndReject(split.file().id(), uncounted, rejectedRecord);
          if (n + rejected >= batchSize || bytes >= batchBytes) {
            handOff(split, seq++, false, r.columns(), null, bytes);
            if (ctx.stopping) {
              return;
            }
          }
          continue;
        } catch (Exception e) {
          if (!ctx.errors.skip) {
            throw e;
          }
          failure = fileFailed(split, r.line(), -1, e);
          break;
        }
        if (!more) {
          break;
        }
        if (limit > 0 && r.recordNumber() > limit) {
          break; // the limit counts records read, rejected ones included
        }
        columns = r.columns();
        if (columns == null) {
          throw new IllegalStateException("reader returned a record without columns");
        }
        if (n == rows.length) {
          rows = Arrays.copyOf(rows, Math.min(batchSize, rows.length * 2));
          lines = Arrays.copyOf(lines, rows.length);
          records = Arrays.copyOf(records, rows.length);
        }
        Row row = r.row(columns);
        rows[n] = row;
        lines[n] = r.line();
        records[n] = r.recordNumber();
        n++;
        bytes += r.charLength() + ROW_OVERHEAD + (long) FIELD_OVERHEAD * row.size();
        if (n + rejected >= batchSize || bytes >= batchBytes) {
          handOff(split, seq++, false, columns, null, bytes);
          if (ctx.stopping) {
            return;
          }
        }
      }
      if (failure == null) {
        columns = r.columns();
      }
      warn(ctx.feed.splitRead(split, r)); // blank lines skipped, growth while read
      // The final batch goes on even when empty: it carries "last" and, for split 0, the columns
      // the header is written from (or the file's failure).
      lastSplitLines = r.linesRead();
      handOff(split, seq, true, columns, failure, bytes);
      ctx.counters.bytesRead.add(r.bytesRead());
    }
    open = null;
  }

  /**
   * {@code e} with its line made a file line, for a failure in a split after the first that ends
   * the run or the file: the writer cannot resolve it from the earlier splits' line counts (they
   * may still be reading), so the reader counts the lines before its split (it may read the file up
   * to there: only on this path). The split-relative record number means nothing in the file and is
   * dropped.
   */
  private static RecordException atFileLine(Split split, RecordReader r, RecordException e) {
    if (split.index() == 0 || e.line() <= 0) {
      return e;
    }
    long before;
    try {
      before = r.linesBefore();
    } catch (java.io.IOException | RuntimeException x) {
      e.addSuppressed(x);
      return e;
    }
    if (before < 0) {
      return e; // the format does not tell: its line stays as it reported it
    }
    RecordException f =
        new RecordException(
            e.type(),
            e.reason(),
            e.line() + before,
            -1,
            e.byteOffset(),
            e.column(),
            e.recoverable(),
            e.getCause());
    f.setStackTrace(e.getStackTrace());
    for (Throwable t : e.getSuppressed()) {
      f.addSuppressed(t);
    }
    return f;
  }

  private Reject fileFailed(Split split, long line, long offset, Exception e) {
    // The original type stays visible in the message of the FILE_FAILED row.
    String message =
        e instanceof RecordException
            ? ((RecordException) e).type() == ErrorType.FILE_FAILED
                ? reason((RecordException) e)
                : ((RecordException) e).type() + ": " + reason((RecordException) e)
            : PipelineMessages.describe(e);
    Reject r =
        new Reject(
            split.file().relativeName(), line, offset, -1, ErrorType.FILE_FAILED, message, null);
    ctx.fileFailed(split.file().id(), r);
    return r;
  }

  private void warn(List<String> warnings) {
    for (String w : warnings) {
      ctx.counters.warn(w);
    }
  }

  private static String reason(RecordException e) {
    return e.reason();
  }

  private void handOff(
      Split split,
      int seq,
      boolean last,
      @Nullable Columns columns,
      @Nullable Reject failure,
      long size)
      throws Exception {
    long read = n + rejected;
    if (read > 0) {
      ctx.counters.recordsRead.add(read);
      countReads(split);
    }
    boolean header = split.index() == 0 && !headerSent && columns != null;
    headerSent |= header;
    meter.batch();
    meter.enter(StageMeter.WAIT_OUT);
    // The estimate of the records, times what the steps have been seen to make of their input.
    long taken = pool.acquire(ctx.ask(size), ctx.stopped);
    Batch b =
        new Batch(
            split,
            seq,
            last,
            columns,
            n == rows.length ? rows : Arrays.copyOf(rows, n),
            n == lines.length ? lines : Arrays.copyOf(lines, n),
            n == records.length ? records : Arrays.copyOf(records, n),
            taken,
            pool,
            rejects.isEmpty() ? List.of() : List.copyOf(rejects),
            failure,
            read,
            header,
            size);
    if (last) {
      b.splitLines = lastSplitLines;
      lastSplitLines = -1;
    }
    startBatch();
    try {
      ctx.hooks.at(EngineHooks.Point.READER_HANDOFF, split.file().id(), seq);
      ctx.put(ctx.toTransformers, b);
      meter.enter(StageMeter.BUSY);
    } catch (Throwable t) {
      b.release();
      throw t;
    }
  }
}
