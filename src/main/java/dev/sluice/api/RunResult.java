package dev.sluice.api;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * What a run did: files, record counts, bytes, time and threads. The records always add up:
 * {@code read = passed + filtered + rejected + abandoned}, where abandoned records were in flight
 * when a run was cancelled (zero for a run that finished). Records written are counted separately
 * because a step may emit several records for one. Records of a file that failed as a whole count
 * as rejected.
 *
 * <p>Immutable and thread-safe.
 *
 * @param files input files whose output was committed
 * @param filesFailed input files dropped whole under the skip policy (one reject row each)
 * @param filesSkipped input files skipped because the manifest shows a previous run finished them
 * @param recordsRead records parsed from the inputs (headers excluded), rejected ones included
 * @param recordsPassed records for which the steps emitted at least one record
 * @param recordsFiltered records for which the steps emitted nothing
 * @param recordsRejected records rejected (skip policy), including every record of a failed file
 * @param recordsAbandoned records read but not settled when the run stopped early
 * @param recordsWritten records written to the outputs
 * @param bytesRead bytes read from the inputs (compressed size for gzip)
 * @param bytesWritten bytes of the committed outputs
 * @param warnings warnings counted by steps (for example a non-numeric cell compared as a number)
 * @param firstWarnings the first few warning messages, with file and line
 * @param rejectsByType reject rows by error type
 * @param rejectFiles the reject files this run committed
 * @param stages where each stage's threads spent the run
 * @param verdict which stage limited the run, and suggested thread counts
 * @param samples progress snapshots over the run (at most a few thousand, evenly thinned)
 * @param elapsed wall-clock time of the run
 * @param readers reader threads (under automatic sizing: what the run settled on)
 * @param transformers transformer threads (under automatic sizing: what the run settled on)
 * @param writers writer threads
 * @param autoSizing what automatic sizing did, or null when the thread counts were fixed
 * @since 0.1
 */
public record RunResult(
    long files,
    long filesFailed,
    long filesSkipped,
    long recordsRead,
    long recordsPassed,
    long recordsFiltered,
    long recordsRejected,
    long recordsAbandoned,
    long recordsWritten,
    long bytesRead,
    long bytesWritten,
    long warnings,
    List<String> firstWarnings,
    Map<ErrorType, Long> rejectsByType,
    List<Path> rejectFiles,
    List<StageStats> stages,
    Verdict verdict,
    List<Progress> samples,
    Duration elapsed,
    int readers,
    int transformers,
    int writers,
    @Nullable AutoSizing autoSizing) {

  /**
   * What automatic sizing ({@code PipelineSpec.Builder.autoThreads()}) did in a run: where it
   * started, what it settled on (the counts when the input ran out, or when the run stopped), the
   * most threads each stage had at once, and how many threads it started or retired.
   *
   * <p>Immutable and thread-safe.
   *
   * @param budget the most reader and transformer threads together
   * @param autoReaders whether the reader pool was resized
   * @param autoTransformers whether the transformer pool was resized
   * @param readersAtStart reader threads at the start
   * @param transformersAtStart transformer threads at the start
   * @param readers reader threads the run settled on
   * @param transformers transformer threads the run settled on
   * @param readersPeak the most reader threads at once
   * @param transformersPeak the most transformer threads at once
   * @param resizes threads started or retired by the sizing
   * @since 0.1
   */
  public record AutoSizing(
      int budget,
      boolean autoReaders,
      boolean autoTransformers,
      int readersAtStart,
      int transformersAtStart,
      int readers,
      int transformers,
      int readersPeak,
      int transformersPeak,
      int resizes) {

    /** One line for the summary, e.g. {@code "auto threads: readers 2 -> 3 (peak 3), ..."}. */
    public String line() {
      return String.format(
          Locale.ROOT,
          "auto threads: readers %s%d -> %d (peak %d), transformers %s%d -> %d (peak %d); budget %d, %d resize%s",
          autoReaders ? "" : "fixed ",
          readersAtStart,
          readers,
          readersPeak,
          autoTransformers ? "" : "fixed ",
          transformersAtStart,
          transformers,
          transformersPeak,
          budget,
          resizes,
          resizes == 1 ? "" : "s");
    }
  }

  /** A result without automatic sizing (fixed thread counts). */
  public RunResult(
      long files,
      long filesFailed,
      long filesSkipped,
      long recordsRead,
      long recordsPassed,
      long recordsFiltered,
      long recordsRejected,
      long recordsAbandoned,
      long recordsWritten,
      long bytesRead,
      long bytesWritten,
      long warnings,
      List<String> firstWarnings,
      Map<ErrorType, Long> rejectsByType,
      List<Path> rejectFiles,
      List<StageStats> stages,
      Verdict verdict,
      List<Progress> samples,
      Duration elapsed,
      int readers,
      int transformers,
      int writers) {
    this(files, filesFailed, filesSkipped, recordsRead, recordsPassed, recordsFiltered, recordsRejected,
        recordsAbandoned, recordsWritten, bytesRead, bytesWritten, warnings, firstWarnings, rejectsByType,
        rejectFiles, stages, verdict, samples, elapsed, readers, transformers, writers, null);
  }

  /** Validates and copies. */
  public RunResult {
    firstWarnings = List.copyOf(firstWarnings);
    rejectsByType = rejectsByType.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(rejectsByType));
    rejectFiles = List.copyOf(rejectFiles);
    stages = List.copyOf(stages);
    samples = List.copyOf(samples);
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
    StringBuilder sb = new StringBuilder();
    sb.append(String.format(Locale.ROOT, "files: %,d", files));
    if (filesFailed > 0) {
      sb.append(String.format(Locale.ROOT, " (%,d failed)", filesFailed));
    }
    if (filesSkipped > 0) {
      sb.append(String.format(Locale.ROOT, ", %,d skipped (done by an earlier run)", filesSkipped));
    }
    sb.append(String.format(
        Locale.ROOT,
        "%nrecords: %,d read, %,d passed, %,d filtered, %,d rejected",
        recordsRead,
        recordsPassed,
        recordsFiltered,
        recordsRejected));
    if (recordsAbandoned > 0) {
      sb.append(String.format(Locale.ROOT, ", %,d abandoned", recordsAbandoned));
    }
    sb.append(String.format(
        Locale.ROOT,
        ", %,d written%nbytes: %,d read, %,d written%nwarnings: %,d%n",
        recordsWritten,
        bytesRead,
        bytesWritten,
        warnings));
    if (!rejectsByType.isEmpty()) {
      sb.append("rejects:");
      new EnumMap<>(rejectsByType).forEach((t, n) -> sb.append(String.format(Locale.ROOT, " %s %,d", t, n)));
      sb.append(String.format(Locale.ROOT, "%nreject files:"));
      int shown = 0;
      for (Path p : rejectFiles) {
        if (shown++ == 10) {
          sb.append(String.format(Locale.ROOT, " (and %,d more)", rejectFiles.size() - 10));
          break;
        }
        sb.append(' ').append(p);
      }
      sb.append(System.lineSeparator());
    }
    for (StageStats st : stages) {
      sb.append(String.format(
          Locale.ROOT,
          "%s: %d threads, %.0f%% busy, %.0f%% waiting for input, %.0f%% waiting to hand on%n",
          st.stage().label() + "s",
          st.threads(),
          100 * st.busyShare(),
          100 * st.waitInputShare(),
          100 * st.waitOutputShare()));
    }
    if (!stages.isEmpty()) {
      sb.append(verdict.line()).append(System.lineSeparator());
    }
    sb.append(String.format(
        Locale.ROOT,
        "elapsed: %.3f s (%,.0f records/s, %.1f MB/s)%nthreads: %d readers, %d transformers, %d writers",
        elapsed.toNanos() / 1e9,
        recordsPerSecond(),
        megabytesPerSecond(),
        readers,
        transformers,
        writers));
    if (autoSizing != null) {
      sb.append(System.lineSeparator()).append(autoSizing.line());
    }
    return sb.toString();
  }
}
