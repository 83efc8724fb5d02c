package dev.sluice.engine;

import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

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
}
