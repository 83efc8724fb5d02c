package dev.sluice.engine;

import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;

/**
 * The local engine's only public class: wires a spec and its formats to the package-private
 * engine. Internal API: use {@code dev.sluice.Sluice} instead.
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
}
