package dev.sluice.cli;

import dev.sluice.api.Progress;
import dev.sluice.api.RunListener;
import dev.sluice.api.RunResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * Draws one line of live progress on a terminal, rewritten in place a few times a second: files
 * done/total, records/s, MB/s, ETA, and the fill of the queues and of the in-flight budget.
 *
 * <p>Thread-safe: the engine's monitor thread calls {@link #onProgress}, the command's thread
 * {@link #onFinish}; both write under this object's monitor.
 */
final class ProgressLine implements RunListener {
  private final PrintWriter err;
  private int width;

  ProgressLine(PrintWriter err) {
    this.err = err;
  }

  static String render(Progress p) {
    double eta = p.etaSeconds();
    return String.format(
        Locale.ROOT,
        "files %,d/%,d | %,.0f rec/s | %.1f MB/s | ETA %s | queues %d%% %d%% | budget %d%%",
        p.filesDone(),
        p.filesTotal(),
        p.recordsPerSecond(),
        p.megabytesPerSecond(),
        eta < 0
            ? "?"
            : eta < 100
                ? String.format(Locale.ROOT, "%.0fs", eta)
                : String.format(Locale.ROOT, "%dm%02ds", (long) eta / 60, (long) eta % 60),
        pct(p.transformerQueue(), p.transformerQueueCapacity()),
        pct(p.writerQueues(), p.writerQueuesCapacity()),
        pct(p.inFlightBytes(), p.inFlightCapacity()));
  }

  private static long pct(long n, long of) {
    return of <= 0 ? 0 : Math.round(100.0 * n / of);
  }

  @Override
  public synchronized void onProgress(Progress p) {
    String line = render(p);
    // \r returns to the start of the line; padding erases what a longer previous line left.
    err.print('\r' + line + " ".repeat(Math.max(0, width - line.length())));
    width = line.length();
    err.flush();
  }

  @Override
  public synchronized void onFinish(RunResult result) {
    if (width > 0) {
      err.print('\r' + " ".repeat(width) + '\r'); // the summary replaces the progress line
      err.flush();
      width = 0;
    }
  }
}
