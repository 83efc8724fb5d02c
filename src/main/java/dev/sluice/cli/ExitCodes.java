package dev.sluice.cli;

/** The exit codes of the {@code sluice} command and their help texts. Constants only. */
final class ExitCodes {
  private ExitCodes() {}

  static final int OK = 0;
  static final int FAILED = 1;
  static final int USAGE = 2;

  /** Reserved: the engine does not count rejected records yet. */
  static final int REJECTS = 3;

  static final int LOCKED = 4;
  static final int INTERRUPTED = 130;

  /** Reserved: the JVM itself exits with 143 on SIGTERM. */
  static final int TERMINATED = 143;

  static final String HEADING = "%nExit codes:%n";
  static final String OK_TEXT = "0:success";
  static final String FAILED_TEXT = "1:the run failed (I/O, data or step error)";
  static final String USAGE_TEXT = "2:usage or configuration error (bad option, missing input)";
  static final String REJECTS_TEXT = "3:finished, but some records were rejected (--on-error skip, under --max-errors)";
  static final String LOCKED_TEXT = "4:another run holds the lock of this job or output";
  static final String INTERRUPTED_TEXT = "130:interrupted (Ctrl-C); no partial output is kept";
  static final String TERMINATED_TEXT = "143:terminated (SIGTERM); no partial output is kept";
}
