package dev.sluice.api;

/**
 * A snapshot of a run in progress, taken a few times a second, and the samples of the run report's
 * charts.
 *
 * <p>Immutable and thread-safe.
 *
 * @param elapsedNanos time since the run started
 * @param filesDone input files finished (committed or failed)
 * @param filesTotal input files this run processes
 * @param recordsRead records read so far
 * @param bytesRead input bytes read so far (of finished splits)
 * @param bytesTotal input bytes of all files this run processes
 * @param recordsWritten records written so far (of finished files)
 * @param transformerQueue batches waiting for a transformer
 * @param transformerQueueCapacity capacity of that queue
 * @param writerQueues chunks waiting for a writer, all writers together
 * @param writerQueuesCapacity capacity of the writer queues together
 * @param inFlightBytes bytes of the in-flight budget in use
 * @param inFlightCapacity the in-flight budget
 * @param readersBusy share of reader time spent working since the last snapshot, 0 to 1
 * @param transformersBusy the same for transformers
 * @param writersBusy the same for writers
 * @since 0.1
 */
public record Progress(
    long elapsedNanos,
    long filesDone,
    long filesTotal,
    long recordsRead,
    long bytesRead,
    long bytesTotal,
    long recordsWritten,
    int transformerQueue,
    int transformerQueueCapacity,
    int writerQueues,
    int writerQueuesCapacity,
    long inFlightBytes,
    long inFlightCapacity,
    double readersBusy,
    double transformersBusy,
    double writersBusy) {

  /** Records read per second so far. */
  public double recordsPerSecond() {
    return elapsedNanos <= 0 ? 0 : recordsRead / (elapsedNanos / 1e9);
  }

  /** Megabytes (10^6 bytes) read per second so far. */
  public double megabytesPerSecond() {
    return elapsedNanos <= 0 ? 0 : bytesRead / 1e6 / (elapsedNanos / 1e9);
  }

  /** Estimated seconds left by bytes read, or -1 when unknown. */
  public double etaSeconds() {
    if (bytesRead <= 0 || bytesTotal <= 0 || elapsedNanos <= 0) {
      return -1;
    }
    double rate = bytesRead / (elapsedNanos / 1e9);
    return Math.max(0, (bytesTotal - bytesRead) / rate);
  }
}
