package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorType;
import dev.sluice.api.MissingColumnException;
import dev.sluice.api.Reject;
import dev.sluice.api.Row;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.Utf8Formatter;
import dev.sluice.api.internal.Utf8Sink;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A transformer thread's loop: applies the steps to each batch and formats the result into output
 * bytes, which go to the writer that owns the file.
 *
 * <p>Not thread-safe: one instance per transformer thread. It owns the thread's reusable buffers
 * (the text builder, the {@link TextEncoder} and its buffers, the formatter), which is what keeps
 * the format path from allocating per record: only one exact-size byte array per batch leaves the
 * thread.
 */
final class TransformerWorker implements Runnable, StepChain.Sink {
  private final RunContext ctx;

  /** This transformer's place in {@link RunContext#transformerSlots}. */
  private final int slot;

  private final StageMeter meter;
  private final RecordFormatter formatter;
  private final boolean escapeHeader;
  private final TextEncoder encoder;
  private StringBuilder text = new StringBuilder(64 * 1024);

  /** The formatter's UTF-8 side, when the output is UTF-8 and it has one; else null. */
  private final @Nullable Utf8Formatter utf8;

  /** The batch's output as UTF-8 bytes, when {@link #utf8} is set (else {@link #text} is used). */
  private final Utf8Sink bytes = new Utf8Sink();

  private @Nullable StepChain chain;
  private @Nullable InputFile file;

  /** The split of the batch in hand. */
  private dev.sluice.api.spi.@Nullable Split split;

  /** The split whose lines before it were counted last, and that count (see {@link #fileLine}). */
  private dev.sluice.api.spi.@Nullable Split counted;

  private long countedLines = -1;
  private long line = -1;
  private long record = -1;
  private long emitted;

  TransformerWorker(RunContext ctx, int slot, StageMeter meter) {
    this.ctx = ctx;
    this.slot = slot;
    this.meter = meter;
    this.formatter = ctx.output.newFormatter();
    this.escapeHeader = RejectRows.escapesFormulas(ctx.spec);
    this.encoder = new TextEncoder(ctx.output.charset());
    this.utf8 =
        formatter instanceof Utf8Formatter && ctx.output.charset().name().equalsIgnoreCase("UTF-8")
            ? (Utf8Formatter) formatter
            : null;
  }

  @Override
  public void run() {
    Batch held = null;
    Chunk made = null;
    meter.start();
    try {
      while (!ctx.stopping) {
        if (ctx.transformerSlots.tryRetire(slot)) {
          // Between batches: nothing held, and the stage is still open, so the end markers the
          // last reader will send are counted without this thread.
          meter.enter(StageMeter.DONE);
          return;
        }
        meter.enter(StageMeter.WAIT_IN);
        Batch b = ctx.take(ctx.toTransformers);
        meter.enter(StageMeter.BUSY);
        if (b == Batch.END || ctx.stopping) {
          held = b == Batch.END ? null : b;
          break;
        }
        held = b;
        ctx.hooks.at(EngineHooks.Point.TRANSFORMER_TAKE, b.split().file().id(), b.seq);
        Chunk c = transform(b);
        held = null;
        made = c; // the chunk holds the batch's permits now, and those charged for its output
        if (ctx.stopping) {
          break; // a stop during the batch (seen between its records): the chunk goes nowhere
        }
        ctx.hooks.at(EngineHooks.Point.TRANSFORMER_HANDOFF, b.split().file().id(), b.seq);
        meter.batch();
        meter.enter(StageMeter.WAIT_OUT);
        ctx.put(ctx.toWriters[ctx.writers.writerFor(b.split().file().id())], c);
        made = null;
        meter.enter(StageMeter.BUSY);
      }
      if (ctx.transformerSlots.leave(slot) && !ctx.stopping) {
        ctx.hooks.at(EngineHooks.Point.TRANSFORMER_END, -1, -1);
        for (var q : ctx.toWriters) {
          ctx.put(q, Chunk.END);
        }
      }
      meter.enter(StageMeter.DONE);
    } catch (InterruptedException e) {
      if (!ctx.stopping) {
        ctx.fail(Stage.TRANSFORMER, file, -1, -1, "transformer interrupted", e);
      }
    } catch (StepChain.StepFailure f) {
      dropBuffers();
      boolean error = f.getCause() instanceof Error;
      ctx.fail(
          Stage.TRANSFORMER,
          file,
          error ? line : fileLine(line),
          error ? record : fileRecord(record),
          stepFailed(f),
          f.getCause());
    } catch (MissingColumnException e) {
      ctx.fail(Stage.TRANSFORMER, file, -1, -1, "missing column '" + e.column() + "'", e);
    } catch (RejectCounter.ThresholdExceeded e) {
      ctx.fail(Stage.TRANSFORMER, file, fileLine(line), fileRecord(record), e.getMessage(), null);
    } catch (Throwable t) {
      dropBuffers();
      boolean error = t instanceof Error;
      ctx.fail(
          Stage.TRANSFORMER,
          file,
          error ? line : fileLine(line),
          error ? record : fileRecord(record),
          "transform failed",
          t);
    } finally {
      if (held != null) {
        held.release();
      }
      if (made != null) {
        made.release();
      }
    }
  }

  /**
   * Lets go of the output text of the batch in hand, first thing on a failure: an expanding step
   * may have grown it to what filled the heap, and the report of the failure needs room.
   */
  private void dropBuffers() {
    try {
      text.setLength(0);
      text.trimToSize();
      bytes.drop();
    } catch (Throwable t) {
      // Nothing freed; the failure is reported all the same.
    }
  }

  /** "step X failed", or without the step's name when even that cannot be built (out of memory). */
  private static String stepFailed(StepChain.StepFailure f) {
    try {
      return "step " + f.step.describe() + " failed";
    } catch (Throwable t) {
      return "a step failed";
    }
  }

  /**
   * {@code line} of the batch in hand as a line of the file. A reader of a split after the first
   * counts lines from the split's start, and only the writer, which sees the splits in order, knows
   * the lines before it; a failure reported from here (the run's failure, a threshold, a warning)
   * cannot wait for that, so it counts them the way the reader does for its own failures ({@code
   * RecordReader.linesBefore}, which may read the file up to the split): only on these paths, once
   * per split and thread. Rejects need none of this: the writer resolves them. Unknown stays as it
   * is: the split-relative line, which the byte offset of the split still places.
   */
  private long fileLine(long line) {
    dev.sluice.api.spi.Split s = split;
    if (s == null || s.index() == 0 || line <= 0) {
      return line;
    }
    if (counted != s) {
      countedLines = -1;
      try (dev.sluice.api.spi.RecordReader r = ctx.input.open(s)) {
        countedLines = r.linesBefore();
      } catch (Exception e) {
        ctx.counters.warn(
            "cannot count the lines before split "
                + s.index()
                + " of "
                + s.file().relativeName()
                + ": "
                + PipelineMessages.describe(e));
      }
      counted = s;
    }
    return countedLines < 0 ? line : line + countedLines;
  }

  /** A record number of the batch in hand, or -1 when it counts within a split after the first. */
  private long fileRecord(long record) {
    dev.sluice.api.spi.Split s = split;
    return s == null || s.index() == 0 ? record : -1;
  }

  /**
   * Whether {@code t}, thrown by a step, is an interrupt reaching it (the step waited on something
   * interruptible): that is the run stopping, or someone interrupting this thread, never a bad
   * record.
   */
  private static boolean isInterrupt(Throwable t) {
    return t instanceof InterruptedException
        || t instanceof java.io.InterruptedIOException
        || t instanceof java.nio.channels.ClosedByInterruptException;
  }

  private Chunk transform(Batch b) throws InterruptedException {
    file = b.split().file();
    split = b.split;
    line = -1;
    record = -1;
    if (text.capacity() > TextEncoder.KEEP_CAPACITY) {
      text = new StringBuilder(64 * 1024);
    }
    text.setLength(0);
    bytes.reset();
    Utf8Formatter u = utf8;
    long written = 0;
    long passed = 0;
    long filtered = 0;
    long stepRejects = 0;
    long stepRejectBytes = 0;
    List<Reject> rejects = b.rejects;
    Reject failure = b.failure;
    Columns columns = b.columns;
    StepChain c = null;
    if (failure == null && columns != null) {
      try {
        c = bind(columns);
      } catch (MissingColumnException | ConfigurationException e) {
        if (!ctx.errors.skip) {
          throw e;
        }
        ErrorType type =
            e instanceof MissingColumnException ? ErrorType.MISSING_COLUMN : ErrorType.FILE_FAILED;
        failure =
            new Reject(
                file.relativeName(),
                -1,
                -1,
                -1,
                type,
                java.util.Objects.requireNonNullElse(e.getMessage(), e.getClass().getName()),
                String.join(",", columns.names()));
        ctx.fileFailed(file.id(), failure);
      }
    }
    if (c != null) {
      if (b.header) {
        Columns header = escapeHeader ? RejectRows.escapedHeader(c.output) : c.output;
        if (u != null) {
          u.header(header, bytes);
        } else {
          formatter.header(header, text);
        }
      }
      for (int i = 0; i < b.rows.length; i++) {
        if (ctx.stopping) {
          // A user step may swallow interrupts; the flag still ends the batch promptly.
          break;
        }
        line = b.lines[i];
        record = b.records[i];
        emitted = 0;
        int mark = u != null ? bytes.length() : text.length();
        try {
          c.apply(b.rows[i]);
        } catch (StepChain.StepFailure f) {
          Throwable cause = java.util.Objects.requireNonNull(f.getCause(), "cause");
          if (cause instanceof Error) {
            throw f; // an Error (out of memory, say) is never a bad record
          }
          if (ctx.stopping || isInterrupt(cause)) {
            // A stop or an interrupt that reached the step: the batch is abandoned, the record is
            // not rejected (nor, under fail, does the step's complaint become the run's failure).
            InterruptedException stop = new InterruptedException("a step was interrupted");
            stop.initCause(cause);
            throw stop;
          }
          if (!ctx.errors.skip) {
            throw f;
          }
          // Drop whatever the record emitted before its step failed.
          if (u != null) {
            bytes.setLength(mark);
          } else {
            text.setLength(mark);
          }
          Reject r =
              new Reject(
                  file.relativeName(),
                  line,
                  -1,
                  -1,
                  ErrorType.STEP_FAILED,
                  "step " + f.step.describe() + " failed: " + PipelineMessages.describe(cause),
                  RejectRows.join(b.rows[i]));
          if (rejects == b.rejects) {
            rejects = new ArrayList<>(b.rejects);
          }
          rejects.add(r);
          stepRejects++;
          stepRejectBytes += RejectRows.cost(r);
          ctx.errors.reject(file.id(), r, 1);
          continue;
        }
        if (emitted > 0) {
          passed++;
        } else {
          filtered++;
        }
        written += emitted;
      }
    }
    line = -1;
    record = -1;
    if (rejects != b.rejects && !b.rejects.isEmpty()) {
      rejects.sort(
          Comparator.comparingLong(Reject::line)); // reader's and steps' rejects interleave
    }
    Chunk.Counts counts =
        new Chunk.Counts(b.read, passed, filtered, b.read - b.rows.length + stepRejects, written);
    byte[] out = failure != null ? new byte[0] : u != null ? bytes.toArray() : encoder.encode(text);
    // What the chunk holds: its bytes and its rejects (the rows are dropped here). Beyond the
    // batch's permits it is charged to the same reader's pool, without waiting (see PermitPool).
    long holds = out.length + stepRejectBytes;
    for (Reject r : b.rejects) {
      holds += RejectRows.cost(r);
    }
    long extra = holds - b.permits;
    if (extra > 0 && b.pool != null) {
      b.pool.charge(extra);
    }
    ctx.observeOutput(b.estimate, holds);
    long permits = b.permits + Math.max(0, extra);
    Chunk chunk = new Chunk(b.split, b.seq, b.last, out, counts, permits, b.pool, rejects, failure);
    chunk.splitLines = b.splitLines;
    return chunk;
  }

  private StepChain bind(Columns columns) {
    StepChain c = chain;
    if (c == null || c.input != columns) {
      c = new StepChain(ctx.spec.steps(), columns, this);
      chain = c;
    }
    return c;
  }

  @Override
  public void accept(Row row) {
    StepChain c = chain;
    if (c != null && row.columns() != c.output && !row.columns().equals(c.output)) {
      throw new IllegalStateException(
          "a step emitted a row with columns ["
              + row.columns()
              + "] where its outputColumns declared ["
              + c.output
              + "]");
    }
    Utf8Formatter u = utf8;
    if (u != null) {
      u.record(row, bytes);
    } else {
      formatter.record(row, text);
    }
    emitted++;
  }

  @Override
  public void warn(String message) {
    ctx.counters.warn(
        String.format(
            Locale.ROOT,
            "%s line %,d: %s",
            file == null ? "?" : file.relativeName(),
            fileLine(line),
            message));
  }
}
