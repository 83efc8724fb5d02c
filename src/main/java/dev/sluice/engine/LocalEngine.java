package dev.sluice.engine;

import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.io.Serializable;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The local engine's only public class: wires a spec and its formats to the package-private engine.
 * Internal API: use {@code dev.sluice.Sluice} instead.
 *
 * <p>Thread-safe: a static factory with no state.
 */
public final class LocalEngine {
  private LocalEngine() {}

  /** A pipeline for {@code spec} reading with {@code input} and writing with {@code output}. */
  public static Pipeline create(
      PipelineSpec spec, InputFormatProvider input, OutputFormatProvider output) {
    return new DefaultPipeline(spec, input, output, EngineHooks.NONE);
  }

  /** What a run of {@code spec} would do, without writing anything or taking its lock. */
  public static dev.sluice.api.RunPlan plan(
      PipelineSpec spec, InputFormatProvider input, OutputFormatProvider output) {
    return new DefaultPipeline(spec, input, output, EngineHooks.NONE).plan();
  }

  /**
   * Processes one input file exactly as a local run would (same steps, formatting, reject file and
   * atomic commit), on the calling thread's behalf with one thread per stage: for engines that
   * distribute files themselves, such as the Apache Beam translation, so that their output is
   * byte-identical to the local engine's. The spec's inputs are ignored; {@code relativeName}
   * decides the output's relative path. No state directory is used.
   *
   * @return what the run did with this file
   */
  public static RunResult processFile(
      PipelineSpec spec,
      InputFormatProvider input,
      OutputFormatProvider output,
      Path file,
      String relativeName) {
    long size;
    try {
      size = Files.size(file);
    } catch (IOException e) {
      size = -1;
    }
    return processFile(spec, input, output, new InputFile(0, file, relativeName, size));
  }

  /**
   * Like {@link #processFile(PipelineSpec, InputFormatProvider, OutputFormatProvider, Path,
   * String)} for a file already described, such as a URL input ({@link InputFile#ofUri}), which
   * {@code input} must be able to open.
   */
  public static RunResult processFile(
      PipelineSpec spec, InputFormatProvider input, OutputFormatProvider output, InputFile file) {
    // One thread per stage: the caller distributes the files; nothing to size automatically.
    PipelineSpec one =
        spec.toBuilder()
            .stateDir(null)
            .threads(1, 1, 1)
            .autoReaders(false)
            .autoTransformers(false)
            .build();
    try (DefaultPipeline p = new DefaultPipeline(one, input, output, EngineHooks.NONE)) {
      return p.withFiles(List.of(file.withId(0))).run();
    }
  }

  /**
   * Processes one range of a file ({@code range}, one of the splits {@code input.plan} made for it)
   * exactly as a local run reads, transforms and formats that split, for engines that spread a
   * file's ranges over several machines: instead of the file's output, it commits the range's
   * formatted bytes (uncompressed; the header only in range 0) and its rejects (lines relative to
   * the range) to hidden parts next to the file's output, named from {@code runId} and the range,
   * so that a retry replaces them. {@link #joinRanges} makes the file from the parts.
   *
   * <p>Percentage error thresholds are left to the join (a range's share says nothing of the
   * file's); a count threshold that the range alone exceeds fails it here, as it would fail the
   * file. Under the fail policy a bad record fails the call with the file's line, as locally.
   *
   * @return what the range did, for the join
   */
  public static RangeResult processRange(
      PipelineSpec spec,
      InputFormatProvider input,
      OutputFormatProvider output,
      Split range,
      String runId) {
    InputFile f = range.file().withId(0);
    Split s = new Split(f, range.index(), range.count(), range.start(), range.end());
    PipelineSpec one =
        single(spec)
            .maxErrors(countOnly(spec.maxErrors()))
            .maxErrorsPerFile(countOnly(spec.maxErrorsPerFile()))
            .build();
    Path target = new RunPlanner(one, output).outputOf(f);
    RangeRun r =
        new RangeRun(
            s,
            RangeParts.outputPart(target, runId, s.index()),
            RangeParts.rejectPart(target, runId, s.index()));
    // The file planned as this one range, so the engine reads it alone.
    InputFormatProvider only =
        new InputFormatProvider() {
          @Override
          public List<Split> plan(InputFile file) {
            return List.of(s);
          }

          @Override
          public RecordReader open(Split split) throws IOException {
            return input.open(split);
          }
        };
    try (DefaultPipeline p = new DefaultPipeline(one, only, output, EngineHooks.NONE)) {
      RunResult result = p.withRange(r).run();
      RunContext c = java.util.Objects.requireNonNull(p.context(), "context");
      return new RangeResult(
          s.index(),
          s.count(),
          result,
          r.splitLines,
          c.feed.blankLines(0),
          c.feed.grew(0),
          r.failure);
    }
  }

  /**
   * Makes {@code file}'s output and reject file from the parts {@link #processRange} committed for
   * each of its ranges, byte for byte what a local run writes for the file (compression, header,
   * reject rows with file line numbers), committed by an atomic rename. The parts stay, so that a
   * join run again (a runner's retry) writes the same bytes again: {@link #deleteRangeParts}
   * removes them once the run is over. Checks the spec's error thresholds on the file's totals (see
   * {@link #processRange}).
   *
   * @param ranges the results of every range of the file, in any order (a duplicate, as from a
   *     retried range, counts once)
   * @return what a local run reports for the file
   * @throws dev.sluice.api.PipelineException if a threshold is exceeded, a part is missing or the
   *     file cannot be written; the parts are then left for {@link #deleteRangeParts}
   */
  public static RunResult joinRanges(
      PipelineSpec spec,
      OutputFormatProvider output,
      InputFile file,
      List<RangeResult> ranges,
      String runId) {
    return RangeJoin.join(single(spec).build(), spec, output, file.withId(0), ranges, runId);
  }

  /**
   * Deletes whatever parts of {@code file}'s {@code count} ranges {@link #processRange} left for
   * {@code runId}: after a failed run, or to be sure nothing is left.
   *
   * @throws IOException for the first part that could not be deleted (others suppressed)
   */
  public static void deleteRangeParts(
      PipelineSpec spec, OutputFormatProvider output, InputFile file, int count, String runId)
      throws IOException {
    RangeParts.deleteAll(new RunPlanner(spec, output).outputOf(file), runId, count);
  }

  /** The spec of a run on the caller's behalf: one thread per stage, no state, overwriting. */
  private static PipelineSpec.Builder single(PipelineSpec spec) {
    return spec.toBuilder()
        .overwrite(true)
        .stateDir(null)
        .threads(1, 1, 1)
        .autoReaders(false)
        .autoTransformers(false);
  }

  private static ErrorThreshold countOnly(ErrorThreshold t) {
    return t.isPercent() ? ErrorThreshold.none() : t;
  }

  /**
   * What {@link #processRange} did with one range of a file, for {@link #joinRanges}: its counts,
   * the lines it held, what it noticed and, if it failed the file (skip policy), the failure.
   *
   * <p>Immutable; serializable, to travel from the worker that processed the range to the one that
   * joins the file.
   */
  public static final class RangeResult implements Serializable {
    private static final long serialVersionUID = 1L;

    final int index;
    final int count;
    final long read;
    final long passed;
    final long filtered;
    final long rejected;
    final long written;
    final long bytesRead;
    final long warnings;
    final ArrayList<String> firstWarnings;
    final EnumMap<ErrorType, Long> rejectsByType;
    final long splitLines;
    final long blankLines;
    final boolean grew;

    // The failure, as a Reject's parts (a Reject is not serializable); type null when none.
    private final @Nullable ErrorType failureType;
    private final String failureFile;
    private final long failureLine;
    private final long failureOffset;
    private final int failureColumn;
    private final String failureMessage;
    private final @Nullable String failureRaw;

    RangeResult(
        int index,
        int count,
        RunResult r,
        long splitLines,
        long blankLines,
        boolean grew,
        @Nullable Reject failure) {
      this.index = index;
      this.count = count;
      this.read = r.recordsRead();
      this.passed = r.recordsPassed();
      this.filtered = r.recordsFiltered();
      this.rejected = r.recordsRejected();
      this.written = r.recordsWritten();
      this.bytesRead = r.bytesRead();
      this.warnings = r.warnings();
      this.firstWarnings = new ArrayList<>(r.firstWarnings());
      Map<ErrorType, Long> byType = r.rejectsByType();
      this.rejectsByType =
          byType.isEmpty() ? new EnumMap<>(ErrorType.class) : new EnumMap<>(byType);
      this.splitLines = splitLines;
      this.blankLines = blankLines;
      this.grew = grew;
      this.failureType = failure == null ? null : failure.type();
      this.failureFile = failure == null ? "" : failure.file();
      this.failureLine = failure == null ? -1 : failure.line();
      this.failureOffset = failure == null ? -1 : failure.byteOffset();
      this.failureColumn = failure == null ? -1 : failure.column();
      this.failureMessage = failure == null ? "" : failure.message();
      this.failureRaw = failure == null ? null : failure.raw();
    }

    /** The range's position in its file, from 0. */
    public int index() {
      return index;
    }

    /** The number of ranges of the file. */
    public int count() {
      return count;
    }

    /** The file's failure if this range failed it, else null. */
    @Nullable Reject failure() {
      ErrorType t = failureType;
      return t == null
          ? null
          : new Reject(
              failureFile,
              failureLine,
              failureOffset,
              failureColumn,
              t,
              failureMessage,
              failureRaw);
    }

    // Value equality: an engine that moves results around may compare them (Beam does).
    @Override
    public boolean equals(@Nullable Object o) {
      if (!(o instanceof RangeResult)) {
        return false;
      }
      RangeResult r = (RangeResult) o;
      return index == r.index
          && count == r.count
          && read == r.read
          && passed == r.passed
          && filtered == r.filtered
          && rejected == r.rejected
          && written == r.written
          && bytesRead == r.bytesRead
          && warnings == r.warnings
          && firstWarnings.equals(r.firstWarnings)
          && rejectsByType.equals(r.rejectsByType)
          && splitLines == r.splitLines
          && blankLines == r.blankLines
          && grew == r.grew
          && java.util.Objects.equals(failure(), r.failure());
    }

    @Override
    public int hashCode() {
      return java.util.Objects.hash(index, count, read, rejected, written, splitLines);
    }

    @Override
    public String toString() {
      return "range " + index + " of " + count + " (" + read + " records read)";
    }
  }
}
