package dev.sluice;

import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.engine.LocalEngine;
import dev.sluice.io.Formats;

/**
 * The entry point of the library: makes pipelines that run on the local engine.
 *
 * <pre>{@code
 * RunResult result = Sluice.builder()
 *     .input(Path.of("in"))
 *     .output(Path.of("out"))
 *     .step(Steps.filter("amount > 100"))
 *     .step((row, out) -> out.emit(row.with("note", "checked")))
 *     .run();
 * }</pre>
 *
 * <p>Thread-safe: a static factory with no state.
 *
 * @since 0.1
 */
public final class Sluice {
  private Sluice() {}

  /** A builder whose {@code run()} runs the job on the local engine. */
  public static PipelineSpec.Builder builder() {
    return PipelineSpec.builder(Sluice::pipeline);
  }

  /** A pipeline that runs {@code spec} on the local engine; call {@link Pipeline#run()} once. */
  public static Pipeline pipeline(PipelineSpec spec) {
    return LocalEngine.create(
        spec, Formats.input(spec.inputFormat()), Formats.output(spec.outputFormat()));
  }

  /** Runs {@code spec} on the local engine and returns what it did. */
  public static RunResult run(PipelineSpec spec) {
    try (Pipeline p = pipeline(spec)) {
      return p.run();
    }
  }
}
