package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * Which stage limited a run, the evidence for it, and the thread counts Sluice suggests for the
 * same job on the same machine.
 *
 * <p>Immutable and thread-safe.
 *
 * @param bottleneck the stage that limited the run, or null when the run was too short to tell
 * @param evidence the numbers behind the verdict, e.g. {@code "transformers 97% busy; readers
 *     waited on a full queue 80%; writers idle 60%"}
 * @param readers suggested reader threads
 * @param transformers suggested transformer threads
 * @param writers suggested writer threads
 * @since 0.1
 */
public record Verdict(
    @Nullable Stage bottleneck, String evidence, int readers, int transformers, int writers) {

  /**
   * One line for the summary, e.g. {@code "bottleneck: transformers (...); suggested threads:
   * 2/6/1"}.
   */
  public String line() {
    String what = bottleneck == null ? "none (run too short to tell)" : bottleneck.label() + "s";
    return "bottleneck: "
        + what
        + " ("
        + evidence
        + "); suggested threads: --readers "
        + readers
        + " --transformers "
        + transformers
        + " --writers "
        + writers;
  }
}
