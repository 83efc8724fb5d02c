package dev.sluice.beam;

import dev.sluice.api.InputSettings;
import dev.sluice.api.PipelineSpec;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import org.apache.beam.sdk.transforms.DoFn;
import org.apache.beam.sdk.values.KV;

/**
 * Processes one range of a large file per element, {@code KV(relative name, range)}, with the local
 * engine's code for that split ({@link LocalEngine#processRange}): the range's output and rejects
 * go to parts next to the file's output, and what it did goes on, keyed by the file, to {@link
 * JoinRangesFn}. Adds nothing to the metrics: the join reports the file once.
 *
 * <p>A retried element writes the same parts again under the same names (each committed by an
 * atomic rename), so a retry replaces them instead of adding any; Beam keeps only the output of the
 * attempt that succeeded.
 *
 * <p>Not thread-safe: Beam gives each worker thread its own instance.
 */
final class ProcessRangeFn extends DoFn<KV<String, FileRange>, KV<String, RangeDone>> {
  private static final long serialVersionUID = 1L;

  private final PipelineSpec spec;

  /** The launcher's id of the run: names the parts, and lets the launcher wait for this call. */
  private final String runId;

  ProcessRangeFn(PipelineSpec spec, String runId) {
    this.spec = spec;
    this.runId = runId;
  }

  @ProcessElement
  public void processElement(
      @Element KV<String, FileRange> element, OutputReceiver<KV<String, RangeDone>> out) {
    FileRange range = element.getValue();
    // Throws if the launcher has already returned from this run: nothing may be written for it.
    InProcessWorkers.Run run = InProcessWorkers.enter(runId, range.toString());
    try {
      PipelineSpec one =
          ProcessFileFn.workerSpec(spec, InputSettings.builder().input(range.path()));
      // Throws PipelineException naming the file and its line; Beam fails the bundle and the
      // launcher unwraps it.
      LocalEngine.RangeResult r =
          LocalEngine.processRange(
              one,
              Formats.input(one.inputFormat()),
              Formats.output(one.outputFormat()),
              range.split(),
              runId);
      out.output(KV.of(element.getKey(), new RangeDone(range, r)));
    } finally {
      if (run != null) {
        run.exit();
      }
    }
  }
}
