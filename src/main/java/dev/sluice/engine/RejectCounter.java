package dev.sluice.engine;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.RejectListener;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.jspecify.annotations.Nullable;

/**
 * Keeps the live count of rejected and read records for the error thresholds, tells the reject
 * listener, and counts rejects by type.
 *
 * <p>Thread-safe: atomics only. Counts here are live (for thresholds); the exact per-category
 * totals of a run come from the writers, which settle each file's counts when it ends.
 */
final class RejectCounter {
  /** A threshold was crossed: the run fails with this message, at the place it was crossed. */
  static final class ThresholdExceeded extends RuntimeException {
    private static final long serialVersionUID = 1L;

    ThresholdExceeded(String message) {
      super(message, null, false, false);
    }
  }

  final boolean skip;
  private final ErrorThreshold perRun;
  private final ErrorThreshold perFile;
  private final @Nullable RejectListener listener;
  private final AtomicLong read = new AtomicLong();
  private final AtomicLong rejected = new AtomicLong();
  private final AtomicLongArray fileRead;
  private final AtomicLongArray fileRejected;
  private final LongAdder[] byType = new LongAdder[ErrorType.values().length];

  RejectCounter(PipelineSpec spec, int files) {
    this.skip = spec.onError() == ErrorPolicy.SKIP;
    this.perRun = spec.maxErrors();
    this.perFile = spec.maxErrorsPerFile();
    this.listener = spec.rejectListener();
    this.fileRead = new AtomicLongArray(files);
    this.fileRejected = new AtomicLongArray(files);
    for (int i = 0; i < byType.length; i++) {
      byType[i] = new LongAdder();
    }
  }

  /**
   * Counts {@code n} records read from file {@code fileId}; checks percentage thresholds only (a
   * read can cross one by reaching the 1,000 records it waits for). A count threshold is crossed by
   * a reject alone, and is reported where that reject happened, not wherever another thread happens
   * to count its reads next.
   */
  void read(int fileId, long n) {
    long total = read.addAndGet(n);
    long inFile = fileRead.addAndGet(fileId, n);
    if (perRun.isPercent() && perRun.exceeded(rejected.get(), total, false)) {
      throw new ThresholdExceeded(describe(rejected.get(), total, perRun, "--max-errors"));
    }
    long fileRej = fileRejected.get(fileId);
    if (perFile.isPercent() && perFile.exceeded(fileRej, inFile, false)) {
      throw new ThresholdExceeded(describe(fileRej, inFile, perFile, "--max-errors-per-file"));
    }
  }

  /**
   * Counts {@code read} more records read from file {@code fileId}, the last of them rejected as
   * {@code r}, then checks the thresholds once: the reject is judged with its own read counted.
   */
  void readAndReject(int fileId, long read, Reject r) {
    if (read > 0) {
      this.read.addAndGet(read);
      fileRead.addAndGet(fileId, read);
    }
    reject(fileId, r, 1);
  }

  /**
   * Records a reject of {@code records} records (1 for a record, the file's records for a failed
   * file) and throws {@link ThresholdExceeded} when a limit is crossed.
   */
  void reject(int fileId, Reject r, long records) {
    byType[r.type().ordinal()].increment();
    long total = rejected.addAndGet(records);
    long inFile = fileRejected.addAndGet(fileId, records);
    check(total, read.get(), inFile, fileRead.get(fileId), false);
  }

  /**
   * Tells the listener about a reject, from the writer as it records it: by then a later split's
   * line numbers are resolved to the file's, and each file's rejects come in line order.
   */
  void announce(Reject r) {
    if (listener != null) {
      listener.onReject(r);
    }
  }

  /** Adds records of a failed file that were read but not yet counted as rejected. */
  void rejectMore(int fileId, long records) {
    if (records > 0) {
      long total = rejected.addAndGet(records);
      long inFile = fileRejected.addAndGet(fileId, records);
      check(total, read.get(), inFile, fileRead.get(fileId), false);
    }
  }

  /** The end-of-run check of percentage thresholds over the whole run. */
  void checkAtEnd() {
    check(rejected.get(), read.get(), 0, 0, true);
    for (int i = 0; i < fileRead.length(); i++) {
      check(0, 0, fileRejected.get(i), fileRead.get(i), true);
    }
  }

  private void check(long runRejected, long runRead, long fileRej, long fileRd, boolean atEnd) {
    if (perRun.exceeded(runRejected, runRead, atEnd)) {
      throw new ThresholdExceeded(describe(runRejected, runRead, perRun, "--max-errors"));
    }
    if (perFile.exceeded(fileRej, fileRd, atEnd)) {
      throw new ThresholdExceeded(describe(fileRej, fileRd, perFile, "--max-errors-per-file"));
    }
  }

  static String describe(long rejected, long read, ErrorThreshold t, String flag) {
    return String.format(
        Locale.ROOT,
        "too many rejected records: %,d of %,d read exceed %s %s",
        rejected,
        read,
        flag,
        t);
  }

  Map<ErrorType, Long> byType() {
    Map<ErrorType, Long> m = new EnumMap<>(ErrorType.class);
    for (ErrorType t : ErrorType.values()) {
      long n = byType[t.ordinal()].sum();
      if (n > 0) {
        m.put(t, n);
      }
    }
    return m;
  }
}
