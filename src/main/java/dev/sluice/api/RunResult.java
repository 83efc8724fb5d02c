package dev.sluice.api;

import java.time.Duration;
import java.util.List;
import java.util.Locale;

/**
 * What a finished run did: files, record counts, bytes, time and threads. Records read always
 * equal records passed plus records filtered; records written are counted separately because a
 * step may emit several records for one.
 *
 * <p>Immutable and thread-safe.
 *
 * @param files input files processed
 * @param recordsRead records parsed from the inputs (headers excluded)
 * @param recordsPassed input records for which the steps emitted at least one record
 * @param recordsFiltered input records for which the steps emitted nothing
 * @param recordsWritten records written to the outputs
 * @param bytesRead bytes read from the inputs (compressed size for gzip)
 * @param bytesWritten bytes written to the outputs
 * @param warnings warnings counted by steps (for example a non-numeric cell compared as a number)
 * @param firstWarnings the first few warning messages, with file and line
 * @param elapsed wall-clock time of the run
 * @param readers reader threads
 * @param transformers transformer threads
 * @param writers writer threads
 * @since 0.1
 */
public record RunResult(
    long files,
    long recordsRead,
    long recordsPassed,
    long recordsFiltered,
    long recordsWritten,
    long bytesRead,
    long bytesWritten,
    long warnings,
    List<String> firstWarnings,
    Duration elapsed,
    int readers,
    int transformers,
    int writers) {

  /** Validates and copies. */
  public RunResult {
    firstWarnings = List.copyOf(firstWarnings);
  }

  /** Records read per second of elapsed time. */
  public double recordsPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : recordsRead / s;
  }

  /** Megabytes (10^6 bytes) read per second of elapsed time. */
  public double megabytesPerSecond() {
    double s = elapsed.toNanos() / 1e9;
    return s <= 0 ? 0 : bytesRead / 1e6 / s;
  }

  /** A multi-line human-readable summary, the same the CLI prints. */
  public String summary() {
    return String.format(
        Locale.ROOT,
        "files: %,d%nrecords: %,d read, %,d passed, %,d filtered, %,d written%n"
            + "bytes: %,d read, %,d written%nwarnings: %,d%n"
            + "elapsed: %.3f s (%,.0f records/s, %.1f MB/s)%n"
            + "threads: %d readers, %d transformers, %d writers",
        files,
        recordsRead,
        recordsPassed,
        recordsFiltered,
        recordsWritten,
        bytesRead,
        bytesWritten,
        warnings,
        elapsed.toNanos() / 1e9,
        recordsPerSecond(),
        megabytesPerSecond(),
        readers,
        transformers,
        writers);
  }
}
