package dev.sluice.job;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineFactory;
import dev.sluice.api.PipelineSpec;
import dev.sluice.internal.config.JobReader;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads job files: one JSON object with {@code "version": 1} that holds a whole job (inputs, among
 * them HTTP(S) URLs, output, formats, steps, threads, error policy, state options, HTTP options).
 * The format is described key by key in {@code docs/JOB-FILE.md}; it is the command line's settings
 * under the names of their sections. Relative paths in a job file resolve against the directory of
 * the file, so a job file and its data can move together. Files a job file names for its settings
 * (a URL list, an HTTP header file, a hash key, a custom step class) are read when the job file is,
 * so a missing one is an error before anything runs.
 *
 * <pre>{@code
 * RunResult r = Sluice.run(JobFile.read(Path.of("jobs/nightly.job")));
 * // or, with what a job file cannot hold:
 * PipelineSpec spec = JobFile.builder(Path.of("jobs/nightly.job")).listener(myListener).build();
 * }</pre>
 *
 * <p>Unknown keys, a missing or unsupported {@code version} and values of the wrong type are errors
 * ({@link ConfigurationException}) naming the file and the key, so a typo never silently falls back
 * to a default. The state directory defaults to {@code <output>/.sluice}, as on the command line.
 *
 * <p>Thread-safe: static methods.
 *
 * @since 0.1
 */
public final class JobFile {
  /** The job file format version this Sluice reads and documents. */
  public static final int VERSION = JobReader.VERSION;

  /** The usual file name extension of job files, without the dot. */
  public static final String EXTENSION = "job";

  private JobFile() {}

  /**
   * The spec the job file {@code file} describes.
   *
   * @throws ConfigurationException if the file cannot be read, is not valid JSON, or is not a
   *     complete, valid job; the message starts with the file name and names the key at fault
   * @since 0.3
   */
  public static PipelineSpec read(Path file) {
    return builder(file).build();
  }

  /**
   * A spec builder with the job file's settings, for adding what a job file cannot hold (a thread
   * factory, listeners, a reject listener).
   *
   * @throws ConfigurationException as {@link #read}
   * @since 0.3
   */
  public static PipelineSpec.Builder builder(Path file) {
    return JobReader.read(file).toSpecBuilder(PipelineSpec.builder());
  }

  /**
   * Like {@link #builder(Path)}, with a builder whose {@code run()} uses {@code factory}.
   *
   * @since 0.3
   */
  public static PipelineSpec.Builder builder(Path file, PipelineFactory factory) {
    return JobReader.read(file).toSpecBuilder(PipelineSpec.builder(factory));
  }

  /**
   * Every setting a job file can hold, as dotted paths such as {@code engine.maxInFlight} or {@code
   * steps[].filter}. For tools that check or complete job files; the schema the reader enforces.
   *
   * @since 0.3
   */
  public static List<String> keys() {
    return JobReader.keys();
  }
}
