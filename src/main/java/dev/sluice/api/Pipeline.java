package dev.sluice.api;

/**
 * One run of a job. Create it with {@code dev.sluice.Sluice.pipeline(spec)}, call {@link #run()}
 * once, and close it.
 *
 * <p>Thread-safe: {@link #abort()} and {@link #close()} may be called from any thread while another
 * thread is inside {@link #run()}.
 *
 * <pre>{@code
 * try (Pipeline p = Sluice.pipeline(spec)) {
 *   RunResult r = p.run();
 * }
 * }</pre>
 *
 * @since 0.1
 */
public interface Pipeline extends AutoCloseable {
  /**
   * Runs the job to completion on the engine's own threads and returns what it did. Every thread
   * the run started has ended when this returns or throws.
   *
   * @throws PipelineException if any stage failed, the run was aborted, or the calling thread was
   *     interrupted; nothing half-written is left under a final name
   * @throws ConfigurationException if the inputs or the job are invalid (nothing was processed)
   * @throws IllegalStateException if called a second time
   */
  RunResult run();

  /**
   * Stops a run now: interrupts every stage, deletes temporary files; {@link #run()} then throws a
   * {@link PipelineException}. Does nothing if the run has finished. Idempotent.
   */
  void abort();

  /** Aborts a run in progress, if any. Idempotent. */
  @Override
  void close();
}
