package dev.sluice.engine;

import dev.sluice.api.Progress;
import dev.sluice.api.RunListener;
import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;
import org.jspecify.annotations.Nullable;

/**
 * Samples a run a few times a second: progress counters, queue and budget fill, and each stage's
 * busy share since the last sample. Keeps the samples for the run report (thinned to every other
 * one when {@link #MAX_SAMPLES} is reached, so a long run keeps an even picture at a bounded cost)
 * and hands each to the listeners.
 *
 * <p>Thread-safe: {@link #sample()} runs on the monitor thread (or a test's), under this object's
 * monitor; {@link #stop()} is called by the coordinator, which owns the thread.
 */
final class RunSampler {
  static final int MAX_SAMPLES = 2048;

  private final RunContext ctx;
  private final List<StageMeter> meters;
  private final Ticker clock;
  private final long t0;
  private final long bytesTotal;
  private final List<RunListener> listeners;
  private final List<Progress> samples = new ArrayList<>();
  private long[] lastBusy = new long[3];
  private long[] lastTotal = new long[3];
  private int keepEvery = 1;
  private long taken;
  private @Nullable Thread thread;
  private volatile boolean stopped;

  /** Set once a listener threw an Error (which failed the run): no listener is called again. */
  private boolean listenersFailed;

  RunSampler(RunContext ctx, List<StageMeter> meters, Ticker clock, long t0) {
    this.ctx = ctx;
    this.meters = meters;
    this.clock = clock;
    this.t0 = t0;
    long b = 0;
    for (var f : ctx.files) {
      b += Math.max(0, f.size());
    }
    this.bytesTotal = b;
    this.listeners = ctx.spec.listeners();
  }

  /** Starts sampling on a thread named {@code sluice-monitor-1}, owned by the coordinator. */
  void start(long intervalNanos) {
    Thread t =
        new Thread(
            () -> {
              long next = System.nanoTime() + intervalNanos;
              while (!stopped) {
                long wait = next - System.nanoTime();
                if (wait > 0) {
                  LockSupport.parkNanos(this, wait); // stop() unparks it
                  continue;
                }
                next += intervalNanos;
                try {
                  sample();
                } catch (RuntimeException e) {
                  ctx.counters.warn("progress sampling failed: " + PipelineMessages.describe(e));
                } catch (Throwable e) {
                  // An Error (out of memory, say) is never the monitor's alone: it fails the run.
                  ctx.fail(Stage.COORDINATOR, null, -1, -1, "progress sampling failed", e);
                  return;
                }
              }
            },
            "sluice-monitor-1");
    t.setDaemon(true);
    thread = t;
    t.start();
  }

  /**
   * Stops the thread and joins it (bounded), then takes the final sample; throws
   * InterruptedException after all that if the caller was interrupted meanwhile.
   */
  void stop() throws InterruptedException {
    stopped = true;
    boolean interrupted = BoundedJoin.unparkAndJoin(thread, "monitor", ctx.counters);
    sample();
    if (interrupted) {
      throw new InterruptedException("interrupted while stopping the monitor");
    }
  }

  /** Takes one sample now. */
  synchronized Progress sample() {
    long now = clock.nanos();
    long[] busy = new long[3];
    long[] total = new long[3];
    for (StageMeter m : meters) {
      long[] s = m.snapshot(now);
      int i = m.stage.ordinal() - Stage.READER.ordinal();
      busy[i] += s[0];
      total[i] += s[0] + s[1] + s[2];
    }
    double[] share = new double[3];
    for (int i = 0; i < 3; i++) {
      long dt = total[i] - lastTotal[i];
      share[i] = dt <= 0 ? 0 : (double) (busy[i] - lastBusy[i]) / dt;
    }
    lastBusy = busy;
    lastTotal = total;
    int wq = 0;
    int wcap = 0;
    for (var q : ctx.toWriters) {
      wq += q.size();
      wcap += q.size() + q.remainingCapacity();
    }
    long used = 0;
    long cap = 0;
    for (PermitPool p : ctx.pools) {
      used += p.capacity() - p.available();
      cap += p.capacity();
    }
    Counters k = ctx.counters;
    Progress p =
        new Progress(
            now - t0,
            k.files.sum() + k.filesFailed.sum(),
            ctx.files.size(),
            k.recordsRead.sum(),
            k.bytesRead.sum(),
            bytesTotal,
            k.recordsWritten.sum(),
            ctx.toTransformers.size(),
            ctx.toTransformers.size() + ctx.toTransformers.remainingCapacity(),
            wq,
            wcap,
            used,
            cap,
            share[0],
            share[1],
            share[2]);
    if (taken++ % keepEvery == 0) {
      samples.add(p);
      if (samples.size() >= MAX_SAMPLES) {
        // Keep every other sample and sample half as often from now on.
        List<Progress> thinned = new ArrayList<>(samples.size() / 2 + 1);
        for (int i = 0; i < samples.size(); i += 2) {
          thinned.add(samples.get(i));
        }
        samples.clear();
        samples.addAll(thinned);
        keepEvery *= 2;
      }
    }
    if (!listenersFailed) {
      for (RunListener l : listeners) {
        try {
          l.onProgress(p);
        } catch (RuntimeException e) {
          k.warn("a run listener failed: " + PipelineMessages.describe(e));
        } catch (Error e) {
          // It fails the run; the listeners are not called again.
          listenersFailed = true;
          ctx.fail(Stage.COORDINATOR, null, -1, -1, "a run listener failed", e);
          break;
        }
      }
    }
    return p;
  }

  synchronized List<Progress> samples() {
    return List.copyOf(samples);
  }

  /** Each stage's totals over the whole run. */
  List<StageStats> stages() {
    long now = clock.nanos();
    List<StageStats> out = new ArrayList<>();
    for (Stage s : List.of(Stage.READER, Stage.TRANSFORMER, Stage.WRITER)) {
      long b = 0;
      long i = 0;
      long o = 0;
      long batches = 0;
      int threads = 0;
      for (StageMeter m : meters) {
        if (m.stage == s) {
          long[] x = m.snapshot(now);
          b += x[0];
          i += x[1];
          o += x[2];
          batches += x[3];
          threads++;
        }
      }
      out.add(new StageStats(s, threads, b, i, o, batches));
    }
    return out;
  }
}
