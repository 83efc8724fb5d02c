package dev.sluice.engine;

import dev.sluice.api.Stage;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A writer thread's loop: appends chunks to the files it owns, in key order, and commits each file
 * when its last chunk is written. It never blocks except on I/O and on its own input queue, so the
 * queues and the budget always drain.
 *
 * <p>Not thread-safe: one instance per writer thread.
 */
final class WriterWorker implements Runnable {
  private final RunContext ctx;
  private final StageMeter meter;
  private final BlockingQueue<Chunk> queue;
  private final Map<Integer, OutputFile> open = new HashMap<>();
  private dev.sluice.api.spi.@Nullable InputFile current;

  WriterWorker(RunContext ctx, int index, StageMeter meter) {
    this.ctx = ctx;
    this.meter = meter;
    this.queue = ctx.toWriters[index];
  }

  @Override
  public void run() {
    Chunk held = null;
    meter.start();
    try {
      while (true) {
        meter.enter(StageMeter.WAIT_IN);
        Chunk c = queue.take();
        meter.enter(StageMeter.BUSY);
        meter.batch();
        if (c == Chunk.END || ctx.stopping) {
          held = c == Chunk.END ? null : c;
          break;
        }
        held = c;
        current = c.split.file();
        int fileId = current.id();
        ctx.hooks.at(EngineHooks.Point.WRITER_TAKE, fileId, c.seq);
        OutputFile f = open.get(fileId);
        if (f == null) {
          f = new OutputFile(ctx, c.split.file());
          open.put(fileId, f);
        }
        held = null; // the file owns the chunk now: it writes or buffers it, and releases it
        f.offer(c);
        if (f.isDone()) {
          f.finish();
          open.remove(fileId);
          ctx.writers.done(fileId);
        }
        current = null;
      }
      meter.enter(StageMeter.DONE);
      if (!open.isEmpty() && !ctx.stopping) {
        current = open.values().iterator().next().file;
        throw new IllegalStateException(
            "end of stream with " + open.size() + " output file(s) incomplete");
      }
    } catch (InterruptedException e) {
      if (!ctx.stopping) {
        ctx.fail(Stage.WRITER, current, -1, -1, "writer interrupted", e);
      }
    } catch (ErrorBook.ThresholdExceeded e) {
      ctx.fail(Stage.WRITER, current, -1, -1, e.getMessage(), null);
    } catch (Throwable t) {
      ctx.fail(Stage.WRITER, current, -1, -1, "write failed", t);
    } finally {
      if (held != null) {
        held.release();
      }
      for (OutputFile f : open.values()) {
        f.abandon();
      }
      open.clear();
    }
  }
}
