package dev.sluice.api;

/**
 * Makes a {@link Pipeline} for a job: the local engine, or another engine such as Apache Beam.
 *
 * <p>Implementations are thread-safe.
 *
 * @since 0.1
 */
@FunctionalInterface
public interface PipelineFactory {
  /** A pipeline that will run {@code spec}. */
  Pipeline create(PipelineSpec spec);
}
