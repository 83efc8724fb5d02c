package dev.sluice.beam;

import dev.sluice.api.InputSettings;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import java.util.ArrayList;
import java.util.List;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Joins the ranges of one large file, {@code KV(relative name, every range's RangeDone)}, into the
 * file's output and reject file ({@link LocalEngine#joinRanges}: the parts concatenated in order,
 * compressed as one stream if the job writes gzip, reject lines made file lines, the thresholds
 * checked on the file's totals, committed by an atomic rename), and adds the file to the Beam
 * metrics, once.
 *
 * <p>A retried join rewrites the same file from the same parts: the parts stay until the launcher
 * deletes them at the end of the run.
 *
 * <p>Not thread-safe: Beam gives each worker thread its own instance.
 */
final class JoinRangesFn extends DoFn<KV<String, Iterable<RangeDone>>, Void> {
  private static final long serialVersionUID = 1L;

  private final PipelineSpec spec;
  private final String runId;
  private final FileMetrics metrics = new FileMetrics();

  JoinRangesFn(PipelineSpec spec, String runId) {
    this.spec = spec;
    this.runId = runId;
  }

  @ProcessElement
  public void processElement(@Element KV<String, Iterable<RangeDone>> file) {
    InProcessWorkers.Run run = InProcessWorkers.enter(runId, file.getKey());
    try {
      List<LocalEngine.RangeResult> results = new ArrayList<>();
      FileRange any = null;
      for (RangeDone d : file.getValue()) {
        results.add(d.result);
        any = d.range;
      }
      metrics.add(join(java.util.Objects.requireNonNull(any, "a file with no range"), results));
    } finally {
      if (run != null) {
        run.exit();
      }
    }
  }

  private RunResult join(FileRange range, List<LocalEngine.RangeResult> results) {
    PipelineSpec one = ProcessFileFn.workerSpec(spec, InputSettings.builder().input(range.path()));
    return LocalEngine.joinRanges(
        one, Formats.output(one.outputFormat()), range.file(), results, runId);
  }
}
