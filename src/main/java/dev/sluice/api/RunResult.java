package dev.sluice.api;

import java.nio.file.FileSystems;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What a run did: files, record counts, bytes, time and threads. The records always add up: {@code
 * read = passed + filtered + rejected + abandoned}, where abandoned records were in flight when a
 * run was cancelled (zero for a run that finished). Records written are counted separately because
 * a step may emit several records for one. Records of a file that failed as a whole count as
 * rejected.
 *
 * <p>Made by the engine; {@link #builder()} makes one elsewhere, for example in a test of code that
 * consumes results. Accessors keep the names they had when this was a record.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class RunResult {
  private final long files;
  private final long filesFailed;
  private final long filesSkipped;
  private final long recordsRead;
  private final long recordsPassed;
  private final long recordsFiltered;
  private final long recordsRejected;
  private final long recordsAbandoned;
  private final long recordsWritten;
  private final long bytesRead;
  private final long bytesWritten;
  private final long warnings;
  private final List<String> firstWarnings;
  private final Map<ErrorType, Long> rejectsByType;
  private final List<Path> rejectFiles;
  private final List<StageStats> stages;
  private final Verdict verdict;
  private final List<Progress> samples;
  private final Duration elapsed;
  private final int readers;
  private final int transformers;
  private final int writers;
  private final @Nullable AutoSizing autoSizing;
  private final @Nullable Runner runner;

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

  private RunResult(Builder b) {
    this.files = b.files;
    this.filesFailed = b.filesFailed;
    this.filesSkipped = b.filesSkipped;
    this.recordsRead = b.recordsRead;
    this.recordsPassed = b.recordsPassed;
    this.recordsFiltered = b.recordsFiltered;
    this.recordsRejected = b.recordsRejected;
    this.recordsAbandoned = b.recordsAbandoned;
    this.recordsWritten = b.recordsWritten;
    this.bytesRead = b.bytesRead;
    this.bytesWritten = b.bytesWritten;
    this.warnings = b.warnings;
    this.firstWarnings = List.copyOf(b.firstWarnings);
    this.rejectsByType =
        b.rejectsByType.isEmpty() ? Map.of() : Map.copyOf(new EnumMap<>(b.rejectsByType));
    this.rejectFiles = List.copyOf(b.rejectFiles);
    this.stages = List.copyOf(b.stages);
    this.verdict = Objects.requireNonNull(b.verdict, "verdict not set");
    this.samples = List.copyOf(b.samples);
    this.elapsed = b.elapsed;
    this.readers = b.readers;
    this.transformers = b.transformers;
    this.writers = b.writers;
    this.autoSizing = b.autoSizing;
    this.runner = b.runner;
  }

  /**
   * A builder with every count zero, no warnings, rejects, stages or samples, no elapsed time, one
   * thread per stage and no automatic sizing; {@link Builder#verdict} must be set.
   *
   * @since 0.3
   */
  public static Builder builder() {
    return new Builder();
  }

  /**
   * A builder holding this result's values.
   *
   * @since 0.3
   */
  public Builder toBuilder() {
    Builder b = new Builder();
    b.files = files;
    b.filesFailed = filesFailed;
    b.filesSkipped = filesSkipped;
    b.recordsRead = recordsRead;
    b.recordsPassed = recordsPassed;
    b.recordsFiltered = recordsFiltered;
    b.recordsRejected = recordsRejected;
    b.recordsAbandoned = recordsAbandoned;
    b.recordsWritten = recordsWritten;
    b.bytesRead = bytesRead;
    b.bytesWritten = bytesWritten;
    b.warnings = warnings;
    b.firstWarnings = firstWarnings;
    b.rejectsByType = rejectsByType;
    b.rejectFiles = rejectFiles;
    b.stages = stages;
    b.verdict = verdict;
    b.samples = samples;
    b.elapsed = elapsed;
    b.readers = readers;
    b.transformers = transformers;
    b.writers = writers;
    b.autoSizing = autoSizing;
    b.runner = runner;
    return b;
  }

  /** Input files whose output was committed. */
  public long files() {
    return files;
  }

  /** Input files dropped whole under the skip policy (one reject row each). */
  public long filesFailed() {
    return filesFailed;
  }

  /** Input files skipped because the manifest shows a previous run finished them. */
  public long filesSkipped() {
    return filesSkipped;
  }

  /** Records parsed from the inputs (headers excluded), rejected ones included. */
  public long recordsRead() {
    return recordsRead;
  }

  /** Records for which the steps emitted at least one record. */
  public long recordsPassed() {
    return recordsPassed;
  }

  /** Records for which the steps emitted nothing. */
  public long recordsFiltered() {
    return recordsFiltered;
  }

  /** Records rejected (skip policy), including every record of a failed file. */
  public long recordsRejected() {
    return recordsRejected;
  }

  /** Records read but not settled when the run stopped early. */
  public long recordsAbandoned() {
    return recordsAbandoned;
  }

  /** Records written to the outputs. */
  public long recordsWritten() {
    return recordsWritten;
  }

  /** Bytes read from the inputs (compressed size for gzip). */
  public long bytesRead() {
    return bytesRead;
  }

  /** Bytes of the committed outputs. */
  public long bytesWritten() {
    return bytesWritten;
  }

  /** Warnings counted by steps (for example a non-numeric cell compared as a number). */
  public long warnings() {
    return warnings;
  }

  /** The first few warning messages, with file and line. */
  public List<String> firstWarnings() {
    return firstWarnings;
  }

  /** Reject rows by error type. */
  public Map<ErrorType, Long> rejectsByType() {
    return rejectsByType;
  }

  /** The reject files this run committed. */
  public List<Path> rejectFiles() {
    return rejectFiles;
  }

  /** Where each stage's threads spent the run. */
  public List<StageStats> stages() {
    return stages;
  }

  /** Which stage limited the run, and suggested thread counts. */
  public Verdict verdict() {
    return verdict;
  }

  /** Progress snapshots over the run (at most a few thousand, evenly thinned). */
  public List<Progress> samples() {
    return samples;
  }

  /** Wall-clock time of the run. */
  public Duration elapsed() {
    return elapsed;
  }

  /** Reader threads (under automatic sizing: what the run settled on). */
  public int readers() {
    return readers;
  }

  /** Transformer threads (under automatic sizing: what the run settled on). */
  public int transformers() {
    return transformers;
  }

  /**
   * Where a run on Apache Beam ran: the runner and the parallelism it was given. The local engine's
   * results have none.
   *
   * <p>Immutable and thread-safe.
   *
   * @param name the runner's name, such as {@code FlinkRunner}
   * @param parallelism the parallelism the runner was given ({@code --parallelism}, the cores of
   *     {@code --sparkMaster=local[N]}, {@code --targetParallelism}), or 0 where the runner chooses
   * @since 0.4
   */
  public record Runner(String name, int parallelism) {
    /** Checks the values. */
    public Runner {
      Objects.requireNonNull(name, "name");
      if (parallelism < 0) {
        throw new IllegalArgumentException("parallelism < 0: " + parallelism);
      }
    }

    /** One line for the summary, e.g. {@code "ran on: Beam FlinkRunner, parallelism 2"}. */
    public String line() {
      return "ran on: Beam "
          + name
          + ", "
          + (parallelism > 0 ? "parallelism " + parallelism : "parallelism chosen by the runner");
    }
  }

  /** Writer threads. */
  public int writers() {
    return writers;
  }

  /** What automatic sizing did, or null when the thread counts were fixed. */
  public @Nullable AutoSizing autoSizing() {
    return autoSizing;
  }

  /**
   * The Beam runner that ran this run, or null for the local engine (whose threads {@link
   * #readers()}, {@link #transformers()} and {@link #writers()} tell).
   *
   * @since 0.4
   */
  public @Nullable Runner runner() {
    return runner;
  }

  @Override
  public boolean equals(@Nullable Object o) {
    if (o == this) {
      return true;
    }
    if (!(o instanceof RunResult)) {
      return false;
    }
    RunResult r = (RunResult) o;
    return files == r.files
        && filesFailed == r.filesFailed
        && filesSkipped == r.filesSkipped
        && recordsRead == r.recordsRead
        && recordsPassed == r.recordsPassed
        && recordsFiltered == r.recordsFiltered
        && recordsRejected == r.recordsRejected
        && recordsAbandoned == r.recordsAbandoned
        && recordsWritten == r.recordsWritten
        && bytesRead == r.bytesRead
        && bytesWritten == r.bytesWritten
        && warnings == r.warnings
        && Objects.equals(firstWarnings, r.firstWarnings)
        && Objects.equals(rejectsByType, r.rejectsByType)
        && Objects.equals(rejectFiles, r.rejectFiles)
        && Objects.equals(stages, r.stages)
        && Objects.equals(verdict, r.verdict)
        && Objects.equals(samples, r.samples)
        && Objects.equals(elapsed, r.elapsed)
        && readers == r.readers
        && transformers == r.transformers
        && writers == r.writers
        && Objects.equals(autoSizing, r.autoSizing)
        && Objects.equals(runner, r.runner);
  }

  @Override
  public int hashCode() {
    return Objects.hash(
        files,
        filesFailed,
        filesSkipped,
        recordsRead,
        recordsPassed,
        recordsFiltered,
        recordsRejected,
        recordsAbandoned,
        recordsWritten,
        bytesRead,
        bytesWritten,
        warnings,
        firstWarnings,
        rejectsByType,
        rejectFiles,
        stages,
        verdict,
        samples,
        elapsed,
        readers,
        transformers,
        writers,
        autoSizing,
        runner);
  }

  /** The values in the form a record prints them, for debugging. */
  @Override
  public String toString() {
    return "RunResult["
        + "files="
        + files
        + ", filesFailed="
        + filesFailed
        + ", filesSkipped="
        + filesSkipped
        + ", recordsRead="
        + recordsRead
        + ", recordsPassed="
        + recordsPassed
        + ", recordsFiltered="
        + recordsFiltered
        + ", recordsRejected="
        + recordsRejected
        + ", recordsAbandoned="
        + recordsAbandoned
        + ", recordsWritten="
        + recordsWritten
        + ", bytesRead="
        + bytesRead
        + ", bytesWritten="
        + bytesWritten
        + ", warnings="
        + warnings
        + ", firstWarnings="
        + firstWarnings
        + ", rejectsByType="
        + rejectsByType
        + ", rejectFiles="
        + rejectFiles
        + ", stages="
        + stages
        + ", verdict="
        + verdict
        + ", samples="
        + samples
        + ", elapsed="
        + elapsed
        + ", readers="
        + readers
        + ", transformers="
        + transformers
        + ", writers="
        + writers
        + ", autoSizing="
        + autoSizing
        + ", runner="
        + runner
        + "]";
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
    sb.append(
        String.format(
            Locale.ROOT,
            "%nrecords: %,d read, %,d passed, %,d filtered, %,d rejected",
            recordsRead,
            recordsPassed,
            recordsFiltered,
            recordsRejected));
    if (recordsAbandoned > 0) {
      sb.append(String.format(Locale.ROOT, ", %,d abandoned", recordsAbandoned));
    }
    sb.append(
        String.format(
            Locale.ROOT,
            ", %,d written%nbytes: %,d read, %,d written%nwarnings: %,d%n",
            recordsWritten,
            bytesRead,
            bytesWritten,
            warnings));
    if (!rejectsByType.isEmpty()) {
      sb.append("rejects:");
      new EnumMap<>(rejectsByType)
          .forEach((t, n) -> sb.append(String.format(Locale.ROOT, " %s %,d", t, n)));
      sb.append(String.format(Locale.ROOT, "%nreject files:"));
      int shown = 0;
      for (Path p : rejectFiles) {
        if (shown++ == 10) {
          sb.append(String.format(Locale.ROOT, " (and %,d more)", rejectFiles.size() - 10));
          break;
        }
        // A path of another file system (an object store) shows its URI, which names its bucket.
        sb.append(' ').append(p.getFileSystem() == FileSystems.getDefault() ? p : p.toUri());
      }
      sb.append(System.lineSeparator());
    }
    for (StageStats st : stages) {
      sb.append(
          String.format(
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
    sb.append(
        String.format(
            Locale.ROOT,
            "elapsed: %.3f s (%,.0f records/s, %.1f MB/s)%n",
            elapsed.toNanos() / 1e9,
            recordsPerSecond(),
            megabytesPerSecond()));
    if (runner != null) {
      // A Beam run's thread counts are per element, which says nothing about the run.
      sb.append(runner.line());
    } else {
      sb.append(
          String.format(
              Locale.ROOT,
              "threads: %d readers, %d transformers, %d writers",
              readers,
              transformers,
              writers));
    }
    if (autoSizing != null) {
      sb.append(System.lineSeparator()).append(autoSizing.line());
    }
    return sb.toString();
  }

  /**
   * Collects the values of a {@link RunResult}; {@link #build()} copies the lists and the map.
   *
   * <p>Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private long files;
    private long filesFailed;
    private long filesSkipped;
    private long recordsRead;
    private long recordsPassed;
    private long recordsFiltered;
    private long recordsRejected;
    private long recordsAbandoned;
    private long recordsWritten;
    private long bytesRead;
    private long bytesWritten;
    private long warnings;
    private List<String> firstWarnings = List.of();
    private Map<ErrorType, Long> rejectsByType = Map.of();
    private List<Path> rejectFiles = List.of();
    private List<StageStats> stages = List.of();
    private @Nullable Verdict verdict;
    private List<Progress> samples = List.of();
    private Duration elapsed = Duration.ZERO;
    private int readers = 1;
    private int transformers = 1;
    private int writers = 1;
    private @Nullable AutoSizing autoSizing;
    private @Nullable Runner runner;

    private Builder() {}

    /** Sets the input files whose output was committed. */
    public Builder files(long files) {
      this.files = files;
      return this;
    }

    /** Sets the input files dropped whole under the skip policy (one reject row each). */
    public Builder filesFailed(long filesFailed) {
      this.filesFailed = filesFailed;
      return this;
    }

    /** Sets the input files skipped because the manifest shows a previous run finished them. */
    public Builder filesSkipped(long filesSkipped) {
      this.filesSkipped = filesSkipped;
      return this;
    }

    /** Sets the records parsed from the inputs (headers excluded), rejected ones included. */
    public Builder recordsRead(long recordsRead) {
      this.recordsRead = recordsRead;
      return this;
    }

    /** Sets the records for which the steps emitted at least one record. */
    public Builder recordsPassed(long recordsPassed) {
      this.recordsPassed = recordsPassed;
      return this;
    }

    /** Sets the records for which the steps emitted nothing. */
    public Builder recordsFiltered(long recordsFiltered) {
      this.recordsFiltered = recordsFiltered;
      return this;
    }

    /** Sets the records rejected (skip policy), including every record of a failed file. */
    public Builder recordsRejected(long recordsRejected) {
      this.recordsRejected = recordsRejected;
      return this;
    }

    /** Sets the records read but not settled when the run stopped early. */
    public Builder recordsAbandoned(long recordsAbandoned) {
      this.recordsAbandoned = recordsAbandoned;
      return this;
    }

    /** Sets the records written to the outputs. */
    public Builder recordsWritten(long recordsWritten) {
      this.recordsWritten = recordsWritten;
      return this;
    }

    /** Sets the bytes read from the inputs (compressed size for gzip). */
    public Builder bytesRead(long bytesRead) {
      this.bytesRead = bytesRead;
      return this;
    }

    /** Sets the bytes of the committed outputs. */
    public Builder bytesWritten(long bytesWritten) {
      this.bytesWritten = bytesWritten;
      return this;
    }

    /** Sets the warnings counted by steps (for example a non-numeric cell compared as a number). */
    public Builder warnings(long warnings) {
      this.warnings = warnings;
      return this;
    }

    /** Sets the the first few warning messages, with file and line. */
    public Builder firstWarnings(List<String> firstWarnings) {
      this.firstWarnings = Objects.requireNonNull(firstWarnings, "firstWarnings");
      return this;
    }

    /** Sets the reject rows by error type. */
    public Builder rejectsByType(Map<ErrorType, Long> rejectsByType) {
      this.rejectsByType = Objects.requireNonNull(rejectsByType, "rejectsByType");
      return this;
    }

    /** Sets the the reject files this run committed. */
    public Builder rejectFiles(List<Path> rejectFiles) {
      this.rejectFiles = Objects.requireNonNull(rejectFiles, "rejectFiles");
      return this;
    }

    /** Sets the where each stage's threads spent the run. */
    public Builder stages(List<StageStats> stages) {
      this.stages = Objects.requireNonNull(stages, "stages");
      return this;
    }

    /** Sets the which stage limited the run, and suggested thread counts. */
    public Builder verdict(Verdict verdict) {
      this.verdict = Objects.requireNonNull(verdict, "verdict");
      return this;
    }

    /** Sets the progress snapshots over the run (at most a few thousand, evenly thinned). */
    public Builder samples(List<Progress> samples) {
      this.samples = Objects.requireNonNull(samples, "samples");
      return this;
    }

    /** Sets the wall-clock time of the run. */
    public Builder elapsed(Duration elapsed) {
      this.elapsed = Objects.requireNonNull(elapsed, "elapsed");
      return this;
    }

    /** Sets the reader threads (under automatic sizing: what the run settled on). */
    public Builder readers(int readers) {
      this.readers = readers;
      return this;
    }

    /** Sets the transformer threads (under automatic sizing: what the run settled on). */
    public Builder transformers(int transformers) {
      this.transformers = transformers;
      return this;
    }

    /** Sets the writer threads. */
    public Builder writers(int writers) {
      this.writers = writers;
      return this;
    }

    /** Sets the what automatic sizing did, or null when the thread counts were fixed. */
    public Builder autoSizing(@Nullable AutoSizing autoSizing) {
      this.autoSizing = autoSizing;
      return this;
    }

    /**
     * Sets the Beam runner that ran the run, or null for the local engine.
     *
     * @since 0.4
     */
    public Builder runner(@Nullable Runner runner) {
      this.runner = runner;
      return this;
    }

    /** The result; fails if the verdict is not set. */
    public RunResult build() {
      return new RunResult(this);
    }
  }
}
