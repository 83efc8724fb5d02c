package dev.sluice.engine;

import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Reject;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.Verdict;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.fs.DurableFiles;
import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.UUID;
import org.jspecify.annotations.Nullable;

/**
 * Makes a file's output and reject file from the parts its ranges committed ({@link RangeRun}),
 * with the local writer's own code: the parts are fed, range by range and in order, to an {@link
 * OutputFile} as the chunks a local run's writer would have received, so the compression (one
 * stream over the whole file), the reject rows (line numbers made file lines with the lines of the
 * ranges before), the failure handling and the atomic commit are those of a local run.
 *
 * <p>Stateless; each call works on the calling thread, with a {@link RunContext} of its own.
 */
final class RangeJoin {
  /** Bytes of an output part fed to the writer at a time. */
  private static final int PIECE = 1 << 20;

  /** Rejects of a reject part fed to the writer at a time. */
  private static final int REJECTS_PER_CHUNK = 1024;

  /** Input of the join's context, which reads nothing. */
  private static final InputFormatProvider NO_INPUT =
      split -> {
        throw new UnsupportedOperationException("a join reads no input");
      };

  private RangeJoin() {}

  /**
   * Joins the parts of {@code file} (see {@link LocalEngine#joinRanges}).
   *
   * @param one the spec to write with: one thread per stage, overwriting, no state
   * @param limits the spec whose error thresholds apply to the file
   */
  static RunResult join(
      PipelineSpec one,
      PipelineSpec limits,
      OutputFormatProvider output,
      InputFile file,
      List<LocalEngine.RangeResult> ranges,
      String partRunId) {
    long t0 = System.nanoTime();
    String thread = Thread.currentThread().getName();
    List<LocalEngine.RangeResult> parts = inOrder(file, ranges, thread);
    // The join's own commit needs no threshold: it checks the file's totals itself, below.
    PipelineSpec spec =
        one.toBuilder()
            .maxErrors(ErrorThreshold.none())
            .maxErrorsPerFile(ErrorThreshold.none())
            .build();
    RunPlanner planner = new RunPlanner(spec, output);
    Path target = planner.planOutputs(List.of(file), null)[0];
    Path[] rejectTargets = planner.planRejects(List.of(file));
    String runId = UUID.randomUUID().toString().substring(0, 8);
    RunContext c =
        new RunContext(
            spec,
            NO_INPUT,
            output,
            List.of(file),
            new Path[] {target},
            rejectTargets,
            null,
            new long[1],
            new String[1],
            CrashPoints.fromSystemProperty(),
            runId,
            EngineHooks.NONE,
            () -> {});
    c.freshRejectDirectories.addAll(DefaultPipeline.missingDirectories(rejectTargets));
    LocalEngine.RangeResult failed = null;
    for (LocalEngine.RangeResult p : parts) {
      if (p.failure() != null) {
        failed = p;
        break;
      }
    }
    OutputFile out = null;
    boolean committed = false;
    try {
      DurableFiles.createDirectories(spec.output());
      c.finalPermissions = DefaultPipeline.umaskPermissions(spec.output(), runId, c.temps);
      out = new OutputFile(c, file);
      Crossing crossing = new Crossing(limits);
      if (failed != null) {
        feedFailed(out, file, parts);
      } else {
        feedParts(out, file, parts, target, partRunId, crossing);
      }
      checkThresholds(limits, file, parts, failed != null, crossing, thread);
      List<OutputFile.Sink> sinks = out.prepare();
      for (OutputFile.Sink s : sinks) {
        s.force();
      }
      out.publish();
      committed = true;
      c.fsyncPool.syncDirectories(out.directories());
    } catch (PipelineException e) {
      throw e;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw failure(Stage.WRITER, file, thread, "interrupted", e);
    } catch (Exception e) {
      throw failure(Stage.WRITER, file, thread, "write failed", e);
    } finally {
      if (!committed && out != null) {
        out.abandon();
      }
      close(c, file, thread);
    }
    // The parts stay until the launcher's end of the run (LocalEngine.deleteRangeParts): a runner
    // may run a join again after it committed (a lost acknowledgement), and that join must find
    // them to write the same bytes again rather than fail a run whose output is whole.
    return result(c, file, parts, failed, Duration.ofNanos(System.nanoTime() - t0));
  }

  /** The ranges by index, each once; fails unless every range of the file is there. */
  private static List<LocalEngine.RangeResult> inOrder(
      InputFile file, List<LocalEngine.RangeResult> ranges, String thread) {
    TreeMap<Integer, LocalEngine.RangeResult> byIndex = new TreeMap<>();
    for (LocalEngine.RangeResult r : ranges) {
      byIndex.putIfAbsent(r.index, r); // a retried range's result: the same counts
    }
    int count = ranges.isEmpty() ? 0 : ranges.get(0).count;
    if (count == 0 || byIndex.size() != count || byIndex.lastKey() != count - 1) {
      throw failure(
          Stage.COORDINATOR,
          file,
          thread,
          "cannot join "
              + file.relativeName()
              + ": got ranges "
              + byIndex.keySet()
              + " of "
              + count,
          null);
    }
    return new ArrayList<>(byIndex.values());
  }

  /** A failed file: one last chunk per range, with its counts and the failure of the first. */
  private static void feedFailed(
      OutputFile out, InputFile file, List<LocalEngine.RangeResult> parts) throws IOException {
    for (LocalEngine.RangeResult p : parts) {
      Chunk last =
          new Chunk(
              split(file, p), 0, true, new byte[0], counts(p), 0, null, List.of(), p.failure());
      out.offer(last);
    }
  }

  /** Every range's output bytes and rejects, in order, then its counts and lines. */
  private static void feedParts(
      OutputFile out,
      InputFile file,
      List<LocalEngine.RangeResult> parts,
      Path target,
      String partRunId,
      Crossing crossing)
      throws IOException {
    long offset = 0; // the lines before the range being fed; -1 once one did not count them
    for (LocalEngine.RangeResult p : parts) {
      Split s = split(file, p);
      int seq = 0;
      Path bytes = RangeParts.outputPart(target, partRunId, p.index);
      try (InputStream in = Files.newInputStream(bytes)) {
        for (byte[] b = in.readNBytes(PIECE); b.length > 0; b = in.readNBytes(PIECE)) {
          out.offer(new Chunk(s, seq++, false, b, Chunk.Counts.NONE, 0, null, List.of(), null));
        }
      } catch (NoSuchFileException e) {
        throw new IOException("the output part of range " + p.index + " is missing: " + bytes, e);
      }
      long rejects = 0;
      Path rejectPart = RangeParts.rejectPart(target, partRunId, p.index);
      if (p.rejected > 0) {
        try (DataInputStream in =
            new DataInputStream(new BufferedInputStream(Files.newInputStream(rejectPart)))) {
          for (List<Reject> rs = RangeParts.read(in, REJECTS_PER_CHUNK);
              !rs.isEmpty();
              rs = RangeParts.read(in, REJECTS_PER_CHUNK)) {
            crossing.see(rs, p.index == 0 ? 0 : offset);
            rejects += rs.size();
            out.offer(
                new Chunk(s, seq++, false, new byte[0], Chunk.Counts.NONE, 0, null, rs, null));
          }
        } catch (NoSuchFileException e) {
          throw new IOException(
              "the reject part of range " + p.index + " is missing: " + rejectPart, e);
        }
      }
      if (rejects != p.rejected) {
        throw new IOException(
            "the reject part of range "
                + p.index
                + " holds "
                + rejects
                + " rejects where the range counted "
                + p.rejected
                + ": "
                + rejectPart);
      }
      Chunk last = new Chunk(s, seq, true, new byte[0], counts(p), 0, null, List.of(), null);
      last.splitLines = p.splitLines;
      out.offer(last);
      offset = offset < 0 || p.splitLines < 0 ? -1 : offset + p.splitLines;
    }
  }

  /** The split a range's chunks carry: only its index and count matter to the writer. */
  private static Split split(InputFile file, LocalEngine.RangeResult p) {
    return new Split(file, p.index, p.count, 0, -1);
  }

  private static Chunk.Counts counts(LocalEngine.RangeResult p) {
    return new Chunk.Counts(p.read, p.passed, p.filtered, p.rejected, p.written);
  }

  /**
   * Fails the file when its totals exceed a threshold, as a local run would have failed it (during
   * the run for a count, at the end for a percentage): the run-wide limit first, judged on this
   * file alone as for any file on Beam, then the per-file one. A count threshold names the line of
   * the reject that crossed it.
   */
  private static void checkThresholds(
      PipelineSpec limits,
      InputFile file,
      List<LocalEngine.RangeResult> parts,
      boolean failed,
      Crossing crossing,
      String thread) {
    long read = 0;
    long rejected = 0;
    for (LocalEngine.RangeResult p : parts) {
      read += p.read;
      rejected += p.rejected;
    }
    if (failed) {
      rejected = read; // every record of a failed file counts as rejected
    }
    check(limits.maxErrors(), "--max-errors", crossing.runLine, rejected, read, file, thread);
    check(
        limits.maxErrorsPerFile(),
        "--max-errors-per-file",
        crossing.fileLine,
        rejected,
        read,
        file,
        thread);
  }

  private static void check(
      ErrorThreshold t,
      String flag,
      long crossedAt,
      long rejected,
      long read,
      InputFile file,
      String thread) {
    if (t.exceeded(rejected, read, true)) {
      throw ApiAccess.pipelineException(
          Stage.WRITER,
          file.relativeName(),
          t.isPercent() ? -1 : crossedAt,
          -1,
          thread,
          RejectCounter.describe(rejected, read, t, flag),
          null);
    }
  }

  /**
   * Finds the reject that crosses each count threshold, in file order, and its file line: what a
   * local run reports where it stops.
   */
  private static final class Crossing {
    private final ErrorThreshold run;
    private final ErrorThreshold file;
    private long seen;
    long runLine = -1;
    long fileLine = -1;
    private boolean runCrossed;
    private boolean fileCrossed;

    Crossing(PipelineSpec limits) {
      this.run = limits.maxErrors();
      this.file = limits.maxErrorsPerFile();
    }

    /** Notes {@code rs}, a range's rejects in order, with {@code offset} lines before the range. */
    void see(List<Reject> rs, long offset) {
      for (Reject r : rs) {
        seen++;
        long line = r.line() < 0 || offset < 0 ? -1 : r.line() + offset;
        if (!runCrossed && !run.isPercent() && run.exceeded(seen, 0, false)) {
          runCrossed = true;
          runLine = line;
        }
        if (!fileCrossed && !file.isPercent() && file.exceeded(seen, 0, false)) {
          fileCrossed = true;
          fileLine = line;
        }
      }
    }
  }

  /** Stops the context's sync threads and deletes its temp files still there. */
  private static void close(RunContext c, InputFile file, String thread) {
    PipelineException failure = null;
    try {
      c.fsyncPool.close();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt(); // the caller's, whether the join failed or not
    }
    for (Path p : List.copyOf(c.temps)) {
      try {
        Files.deleteIfExists(p);
        c.temps.remove(p);
      } catch (IOException e) {
        if (failure == null) {
          failure =
              failure(Stage.COORDINATOR, file, thread, "cannot delete temporary file " + p, e);
        } else {
          failure.addSuppressed(e);
        }
      }
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RunResult result(
      RunContext c,
      InputFile file,
      List<LocalEngine.RangeResult> parts,
      LocalEngine.@Nullable RangeResult failed,
      Duration elapsed) {
    Counters k = c.counters;
    long read = 0;
    long bytesRead = 0;
    long warnings = 0;
    long blank = 0;
    boolean grew = false;
    List<String> first = new ArrayList<>();
    Map<ErrorType, Long> byType = new EnumMap<>(ErrorType.class);
    for (LocalEngine.RangeResult p : parts) {
      read += p.read;
      bytesRead += p.bytesRead;
      warnings += p.warnings;
      blank += p.blankLines;
      grew |= p.grew;
      first.addAll(p.firstWarnings);
      p.rejectsByType.forEach((t, n) -> byType.merge(t, n, Long::sum));
      Reject f = p.failure();
      if (f != null) {
        // Each failed range counted its failure; a file counts one, the one the join kept.
        byType.merge(f.type(), -1L, Long::sum);
      }
    }
    Reject kept = failed == null ? null : failed.failure();
    if (kept != null) {
      byType.merge(kept.type(), 1L, Long::sum);
    }
    byType.values().removeIf(n -> n <= 0);
    List<String> fileWarnings = SplitFeed.fileWarnings(file, blank, grew);
    warnings += fileWarnings.size();
    first.addAll(fileWarnings);
    long passed = k.recordsPassed.sum();
    long filtered = k.recordsFiltered.sum();
    long rejected = k.recordsRejected.sum();
    return RunResult.builder()
        .files(k.files.sum())
        .filesFailed(k.filesFailed.sum())
        .filesSkipped(0)
        .recordsRead(read)
        .recordsPassed(passed)
        .recordsFiltered(filtered)
        .recordsRejected(rejected)
        .recordsAbandoned(read - passed - filtered - rejected)
        .recordsWritten(k.recordsWritten.sum())
        .bytesRead(bytesRead)
        .bytesWritten(k.bytesWritten.sum())
        .warnings(warnings)
        .firstWarnings(
            first.size() > Counters.MAX_WARNING_MESSAGES
                ? first.subList(0, Counters.MAX_WARNING_MESSAGES)
                : first)
        .rejectsByType(byType)
        .rejectFiles(new ArrayList<>(k.rejectFiles))
        .stages(List.of())
        .verdict(new Verdict(null, "not measured for a join of ranges", 1, 1, 1))
        .samples(List.of())
        .elapsed(elapsed)
        .readers(1)
        .transformers(1)
        .writers(1)
        .build();
  }

  private static PipelineException failure(
      Stage stage, InputFile file, String thread, String what, @Nullable Throwable cause) {
    return ApiAccess.pipelineException(stage, file.relativeName(), -1, -1, thread, what, cause);
  }
}
