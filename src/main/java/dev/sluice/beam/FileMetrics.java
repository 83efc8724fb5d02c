package dev.sluice.beam;

import dev.sluice.api.ErrorType;
import dev.sluice.api.RunResult;
import java.io.Serializable;
import java.util.EnumMap;
import java.util.Map;
import org.apache.beam.sdk.metrics.Counter;
import org.apache.beam.sdk.metrics.Metrics;
import org.apache.beam.sdk.metrics.StringSet;

/**
 * The Beam metrics a file adds to, in the {@value ProcessFileFn#NAMESPACE} namespace, which the
 * launcher reads back into the run's {@link RunResult}: once per input file, by whichever DoFn
 * finished it ({@link ProcessFileFn} for a whole file, {@link JoinRangesFn} for a file processed
 * range by range).
 *
 * <p>Not thread-safe: a field of a DoFn, of which Beam gives each worker thread its own instance.
 */
final class FileMetrics implements Serializable {
  private static final long serialVersionUID = 1L;

  private final Counter files = counter(ProcessFileFn.FILES);
  private final Counter filesFailed = counter(ProcessFileFn.FILES_FAILED);
  private final Counter recordsRead = counter(ProcessFileFn.RECORDS_READ);
  private final Counter recordsPassed = counter(ProcessFileFn.RECORDS_PASSED);
  private final Counter recordsFiltered = counter(ProcessFileFn.RECORDS_FILTERED);
  private final Counter recordsRejected = counter(ProcessFileFn.RECORDS_REJECTED);
  private final Counter recordsWritten = counter(ProcessFileFn.RECORDS_WRITTEN);
  private final Counter bytesRead = counter(ProcessFileFn.BYTES_READ);
  private final Counter bytesWritten = counter(ProcessFileFn.BYTES_WRITTEN);
  private final Counter warnings = counter(ProcessFileFn.WARNINGS);
  private final Map<ErrorType, Counter> rejects = new EnumMap<>(ErrorType.class);
  private final StringSet rejectFiles =
      Metrics.stringSet(ProcessFileFn.NAMESPACE, ProcessFileFn.REJECT_FILES);
  private final StringSet warningMessages =
      Metrics.stringSet(ProcessFileFn.NAMESPACE, ProcessFileFn.WARNING_MESSAGES);

  FileMetrics() {
    for (ErrorType t : ErrorType.values()) {
      rejects.put(t, counter(ProcessFileFn.REJECTS_PREFIX + t.name()));
    }
  }

  private static Counter counter(String name) {
    return Metrics.counter(ProcessFileFn.NAMESPACE, name);
  }

  /** Adds what the local engine reported for one file. */
  void add(RunResult r) {
    files.inc(r.files());
    filesFailed.inc(r.filesFailed());
    recordsRead.inc(r.recordsRead());
    recordsPassed.inc(r.recordsPassed());
    recordsFiltered.inc(r.recordsFiltered());
    recordsRejected.inc(r.recordsRejected());
    recordsWritten.inc(r.recordsWritten());
    bytesRead.inc(r.bytesRead());
    bytesWritten.inc(r.bytesWritten());
    warnings.inc(r.warnings());
    r.rejectsByType()
        .forEach(
            (type, n) ->
                java.util.Objects.requireNonNull(rejects.get(type), "rejects counter").inc(n));
    r.rejectFiles().forEach(p -> rejectFiles.add(Locations.uri(p)));
    r.firstWarnings().stream()
        .limit(ProcessFileFn.WARNING_MESSAGES_PER_FILE)
        .forEach(warningMessages::add);
  }
}
