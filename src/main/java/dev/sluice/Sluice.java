package dev.sluice;

import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunPlan;
import dev.sluice.api.RunResult;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import dev.sluice.internal.io.http.HttpInput;
import java.nio.file.Path;

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
    if (spec.inputUrls().isEmpty()) {
      return LocalEngine.create(
          spec, Formats.input(spec.inputFormat()), Formats.output(spec.outputFormat()));
    }
    // The HTTP client (and its threads) lives as long as the run: made on the first URL, stopped
    // when run() returns or throws, after the engine has joined every reader.
    HttpInput http = new HttpInput(spec.http());
    Pipeline p =
        LocalEngine.create(
            spec, Formats.input(spec.inputFormat(), http), Formats.output(spec.outputFormat()));
    return new Pipeline() {
      @Override
      public RunResult run() {
        RunResult r;
        try {
          r = p.run();
        } catch (RuntimeException | Error e) {
          try {
            http.close();
          } catch (RuntimeException c) {
            e.addSuppressed(c); // the run's own failure is what the caller must see
          }
          throw e;
        }
        http.close();
        return r;
      }

      @Override
      public void abort() {
        p.abort();
      }

      @Override
      public void close() {
        try {
          p.close();
        } finally {
          http.close();
        }
      }
    };
  }

  /**
   * Processes one input file exactly as a local run of {@code spec} would (steps, formats, reject
   * file, atomic commit under {@code spec.output()}), ignoring the spec's inputs. For engines that
   * distribute whole files themselves, such as the Apache Beam translation, so their output is
   * byte-identical to the local engine's. Safe to call again for the same file: the output is
   * replaced atomically with the same bytes.
   *
   * @param relativeName the file's path relative to its input root, which the output mirrors
   */
  public static RunResult processFile(PipelineSpec spec, Path file, String relativeName) {
    return LocalEngine.processFile(
        spec.toBuilder().overwrite(true).build(),
        Formats.input(spec.inputFormat()),
        Formats.output(spec.outputFormat()),
        file,
        relativeName);
  }

  /**
   * What running {@code spec} would do ({@code --dry-run}): which files it would process or skip
   * and where their outputs would go. Writes nothing and takes no lock; refuses what a run would
   * refuse (a changed job without {@code full}, conflicting or foreign outputs) with the same
   * exceptions.
   */
  public static RunPlan plan(PipelineSpec spec) {
    return LocalEngine.plan(
        spec, Formats.input(spec.inputFormat()), Formats.output(spec.outputFormat()));
  }

  /** Runs {@code spec} on the local engine and returns what it did. */
  public static RunResult run(PipelineSpec spec) {
    try (Pipeline p = pipeline(spec)) {
      return p.run();
    }
  }
}
