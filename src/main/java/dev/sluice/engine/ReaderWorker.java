package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import dev.sluice.api.Stage;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.util.Arrays;
import org.jspecify.annotations.Nullable;

/**
 * A reader thread's loop: takes splits in key order, parses them and hands batches of records to
 * the transformers, after taking the batch's bytes from this reader's own {@link PermitPool}.
 *
 * <p>Not thread-safe: one instance per reader thread.
 */
final class ReaderWorker implements Runnable {
  /** Rough heap cost of a row beyond its characters: the Row, its array and String headers. */
  private static final int ROW_OVERHEAD = 48;

  private static final int FIELD_OVERHEAD = 40;

  private final RunContext ctx;
  private final PermitPool pool;
  private final int batchSize;
  private final long batchBytes;

  private @Nullable Split current;
  /** The open reader, so a failure can ask it where the failing record starts. */
  private @Nullable RecordReader open;

  ReaderWorker(RunContext ctx, PermitPool pool) {
    this.ctx = ctx;
    this.pool = pool;
    this.batchSize = ctx.spec.batchSize();
    this.batchBytes = ctx.spec.batchBytes();
  }

  @Override
  public void run() {
    try {
      Split split;
      while (!ctx.stopping && (split = ctx.feed.next()) != null) {
        current = split;
        read(split);
        current = null;
      }
      if (ctx.readersLeft.decrementAndGet() == 0 && !ctx.stopping) {
        // The last reader out tells every transformer that no more batches come.
        ctx.hooks.at(EngineHooks.Point.READER_END, -1, -1);
        for (int i = 0; i < ctx.spec.transformers(); i++) {
          ctx.toTransformers.put(Batch.END);
        }
      }
    } catch (InterruptedException e) {
      if (!ctx.stopping) {
        ctx.fail(Stage.READER, file(), -1, -1, "reader interrupted", e);
      }
    } catch (SplitFeed.PlanException e) {
      ctx.fail(Stage.SOURCE, e.file, -1, -1, "cannot plan", e.getCause());
    } catch (RecordException e) {
      ctx.fail(Stage.READER, file(), e.line(), e.recordNumber(), "bad input", e);
    } catch (Throwable t) {
      RecordReader r = open;
      ctx.fail(Stage.READER, file(), r == null ? -1 : r.line(), r == null ? -1 : r.recordNumber(), "read failed", t);
    }
  }

  private dev.sluice.api.spi.@Nullable InputFile file() {
    return current == null ? null : current.file();
  }

  private void read(Split split) throws Exception {
    int seq = 0;
    Row[] rows = new Row[Math.min(batchSize, 1024)];
    long[] lines = new long[rows.length];
    int n = 0;
    long bytes = 0;
    long firstRecord = 1;
    open = null;
    try (RecordReader reader = ctx.input.open(split)) {
      open = reader;
      while (reader.next()) {
        Columns columns = reader.columns();
        if (columns == null) {
          throw new IllegalStateException("reader returned a record without columns");
        }
        if (n == rows.length) {
          rows = Arrays.copyOf(rows, Math.min(batchSize, rows.length * 2));
          lines = Arrays.copyOf(lines, rows.length);
        }
        String[] values = reader.values();
        rows[n] = Row.wrap(columns, values);
        lines[n] = reader.line();
        n++;
        bytes += reader.charLength() + ROW_OVERHEAD + (long) FIELD_OVERHEAD * values.length;
        ctx.counters.recordsRead.increment();
        if (n == batchSize || bytes >= batchBytes) {
          handOff(split, seq++, false, columns, rows, lines, n, firstRecord, bytes);
          firstRecord += n;
          rows = new Row[rows.length];
          lines = new long[rows.length];
          n = 0;
          bytes = 0;
          if (ctx.stopping) {
            return;
          }
        }
      }
      // The final batch goes on even when empty: it carries "last" and, for split 0, the columns
      // the header is written from.
      handOff(split, seq, true, reader.columns(), rows, lines, n, firstRecord, bytes);
      ctx.counters.bytesRead.add(reader.bytesRead());
    }
    open = null;
  }

  private void handOff(
      Split split,
      int seq,
      boolean last,
      @Nullable Columns columns,
      Row[] rows,
      long[] lines,
      int n,
      long firstRecord,
      long bytes)
      throws Exception {
    long taken = pool.acquire(bytes);
    Batch b =
        new Batch(
            split,
            seq,
            last,
            columns,
            n == rows.length ? rows : Arrays.copyOf(rows, n),
            n == lines.length ? lines : Arrays.copyOf(lines, n),
            firstRecord,
            taken,
            pool);
    try {
      ctx.hooks.at(EngineHooks.Point.READER_HANDOFF, split.file().id(), seq);
      ctx.toTransformers.put(b);
    } catch (Throwable t) {
      b.release();
      throw t;
    }
  }
}
