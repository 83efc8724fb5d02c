package dev.sluice.cli;

import dev.sluice.api.RunPlan;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code --dry-run}: prints what a run would do with each file, from its {@link RunPlan}; writes
 * nothing.
 *
 * <p>Thread-safe: no state.
 */
final class DryRun {
  private DryRun() {}

  /**
   * Prints one line per file (process, with its output, or skip, with the reason) and the totals.
   *
   * @return {@link ExitCodes#OK}
   */
  static int print(RunPlan plan, PrintWriter out) {
    for (RunPlan.Entry e : plan.files()) {
      out.println(
          (e.process() ? "process " : "skip    ")
              + e.relativeName()
              + (e.process() ? " -> " + e.output() : " (" + e.reason() + ")"));
    }
    out.printf(
        Locale.ROOT,
        "sluice: dry run: %d file(s) to process, %d to skip; nothing was written%n",
        plan.toProcess(),
        plan.toSkip());
    out.flush();
    return ExitCodes.OK;
  }
}
