package dev.sluice.engine;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.LongAdder;

/**
 * The run's counters, added to by every worker.
 *
 * <p>Thread-safe: {@link LongAdder}s, and a monitor for the first warning messages. The totals are
 * read by the coordinator after every worker has been joined, which makes them exact.
 */
final class Counters {
  static final int MAX_WARNING_MESSAGES = 20;

  final LongAdder files = new LongAdder();
  final LongAdder recordsRead = new LongAdder();
  final LongAdder recordsPassed = new LongAdder();
  final LongAdder recordsFiltered = new LongAdder();
  final LongAdder recordsRejected = new LongAdder();
  final LongAdder filesFailed = new LongAdder();
  final LongAdder filesSkipped = new LongAdder();

  /** Reject files committed by this run. */
  final java.util.Queue<java.nio.file.Path> rejectFiles =
      new java.util.concurrent.ConcurrentLinkedQueue<>();

  final LongAdder recordsWritten = new LongAdder();
  final LongAdder bytesRead = new LongAdder();
  final LongAdder bytesWritten = new LongAdder();
  final LongAdder warnings = new LongAdder();

  private final List<String> firstWarnings = new ArrayList<>();

  void warn(String message) {
    warnings.increment();
    synchronized (firstWarnings) {
      if (firstWarnings.size() < MAX_WARNING_MESSAGES) {
        firstWarnings.add(message);
      }
    }
  }

  List<String> firstWarnings() {
    synchronized (firstWarnings) {
      return List.copyOf(firstWarnings);
    }
  }
}
