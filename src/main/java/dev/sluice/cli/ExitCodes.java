package dev.sluice.cli;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.LockHeldException;
import picocli.CommandLine.ParameterException;

/** The exit codes of the {@code sluice} command, their help texts, and the failure-to-code map. */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;
  static final int REJECTS = 3;
  static final int LOCKED = 4;
  static final int INTERRUPTED = 130;
  static final int TERMINATED = 143;

  static final String HEADING = "%nExit codes:%n";
  static final String OK_TEXT = "0:success";
  static final String FAILED_TEXT =
      "1:the run failed: I/O, data or step error, rejects over --max-errors, a file failed under"
          + " --on-error fail, --timeout reached; no incomplete output is kept";
  static final String GENERATE_FAILED_TEXT = "1:writing the files failed";
  static final String USAGE_TEXT =
      "2:usage or configuration error: bad option or job file, missing input, the job changed"
          + " since the last run (use --full)";
  static final String REJECTS_TEXT =
      "3:finished, but some records were rejected (--on-error skip, under --max-errors)";
  static final String LOCKED_TEXT =
      "4:another run holds the lock of this job or output (after --wait-lock, if given)";
  static final String INTERRUPTED_TEXT =
      "130:interrupted (SIGINT, Ctrl-C); no partial output is kept";
  static final String TERMINATED_TEXT = "143:terminated (SIGTERM); no partial output is kept";

  /** The exit code for a command that failed with {@code t}. Never 0. */
  static int of(Throwable t) {
    if (t instanceof UsageException
        || t instanceof ConfigurationException
        || t instanceof ParameterException) {
      return USAGE;
    }
    if (t instanceof InterruptedRunException) {
      return ((InterruptedRunException) t).code();
    }
    if (t instanceof LockHeldException) {
      return LOCKED;
    }
    // PipelineException, I/O errors, and anything unexpected (likely a bug).
    return FAILED;
  }

  /** Whether a run that ended with {@code code} counts as a success for monitoring. */
  static boolean success(int code) {
    return code == OK || code == REJECTS;
  }
}
