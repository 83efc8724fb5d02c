package dev.sluice.cli;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Reject;
import dev.sluice.api.RejectListener;
import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.atomic.LongAdder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Counts a run's rejects per input file and error type, for one summary log line per file instead
 * of one line per record.
 *
 * <p>Thread-safe: {@link #onReject} is called from engine threads; {@link #log} once the run has
 * ended (the engine's threads have all stopped by then, which publishes their counts).
 */
final class RejectSummary implements RejectListener {
  private static final Logger log = LoggerFactory.getLogger(RejectSummary.class);

  private final ConcurrentMap<String, ConcurrentMap<ErrorType, LongAdder>> byFile =
      new ConcurrentHashMap<>();
  private final ConcurrentMap<String, String> failedFiles = new ConcurrentHashMap<>();
  private boolean logged;

  @Override
  public void onReject(Reject reject) {
    if (reject.type() == ErrorType.FILE_FAILED) {
      failedFiles.putIfAbsent(reject.file(), reject.message());
      return;
    }
    byFile
        .computeIfAbsent(reject.file(), f -> new ConcurrentHashMap<>())
        .computeIfAbsent(reject.type(), t -> new LongAdder())
        .increment();
  }

  /** Logs one INFO line per failed file and per file with rejected records, sorted; once. */
  void log() {
    if (logged) {
      return;
    }
    logged = true;
    lines().forEach(log::info);
  }

  /** One line per failed file and per file with rejected records, sorted. */
  java.util.List<String> lines() {
    java.util.List<String> out = new java.util.ArrayList<>();
    new TreeMap<>(failedFiles)
        .forEach((file, message) -> out.add("file failed: " + file + ": " + Main.oneLine(message)));
    for (Map.Entry<String, ConcurrentMap<ErrorType, LongAdder>> e :
        new TreeMap<>(byFile).entrySet()) {
      long total = 0;
      StringJoiner types = new StringJoiner(", ");
      for (Map.Entry<ErrorType, LongAdder> t : new EnumMap<>(e.getValue()).entrySet()) {
        long n = t.getValue().sum();
        total += n;
        types.add(t.getKey() + " " + n);
      }
      out.add(
          "rejected in "
              + e.getKey()
              + ": "
              + total
              + " record"
              + (total == 1 ? "" : "s")
              + " ("
              + types
              + ")");
    }
    return out;
  }
}
