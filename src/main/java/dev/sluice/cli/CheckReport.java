package dev.sluice.cli;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import java.io.PrintWriter;
import java.util.Locale;

/**
 * {@code sluice check}: the run that reads every input through the format and the steps but writes
 * nothing (no outputs, no reject files, no state), and its printed verdict with the exit code.
 *
 * <p>Thread-safe: no state.
 */
final class CheckReport {
  private CheckReport() {}

  /** {@code spec} as a check runs it: rejects skipped and collected, nothing written. */
  static PipelineSpec spec(PipelineSpec spec, RejectSummary rejects) {
    return spec.toBuilder()
        .discardOutput(true)
        .onError(ErrorPolicy.SKIP)
        .stateDir(null)
        .rejectListener(rejects)
        .threadFactory(CliLogging.mdcThreadFactory())
        .build();
  }

  /**
   * Prints the rejects per file and the totals (under {@code quiet} only when something would be
   * rejected).
   *
   * @return {@link ExitCodes#REJECTS} when anything would be rejected, else {@link ExitCodes#OK}
   */
  static int print(RunResult r, RejectSummary rejects, boolean quiet, PrintWriter out) {
    boolean bad = r.recordsRejected() > 0 || r.filesFailed() > 0;
    if (!quiet || bad) {
      rejects.lines().forEach(out::println);
      out.printf(
          Locale.ROOT,
          "sluice: check: %,d file(s), %,d record(s) read, %,d would be rejected%s; nothing was written%n",
          r.files() + r.filesFailed(),
          r.recordsRead(),
          r.recordsRejected(),
          r.filesFailed() > 0 ? " (" + r.filesFailed() + " file(s) unreadable as a whole)" : "");
      out.flush();
    }
    return bad ? ExitCodes.REJECTS : ExitCodes.OK;
  }
}
