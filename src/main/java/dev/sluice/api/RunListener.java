package dev.sluice.api;

/**
 * Hears about a run while it happens: progress a few times a second, and the result at the end. For
 * progress bars, dashboards and metrics of embedders; the CLI's live progress uses it too.
 *
 * <p>Implementations must be thread-safe: {@link #onProgress} is called from the engine's monitor
 * thread, {@link #onFinish} from the thread that called {@code run()}. Keep them quick; an
 * exception they throw never fails the run: it is counted as a warning of the run.
 *
 * @since 0.1
 */
public interface RunListener {
  /** A snapshot of the run; called every {@link PipelineSpec#progressInterval()}. */
  default void onProgress(Progress progress) {}

  /**
   * The run finished (successfully or not, in which case {@code result} holds the partial counts).
   */
  default void onFinish(RunResult result) {}
}
