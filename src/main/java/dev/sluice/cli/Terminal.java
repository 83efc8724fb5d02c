package dev.sluice.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * Whether standard error is a terminal, so live progress is drawn only for a person watching: not
 * in cron, not in a pipe, not in a file. Java 17's {@code System.console()} answers for standard
 * input and output only, so on Linux the answer comes from what file descriptor 2 points at; on
 * other systems, or when that cannot be read, the answer is no (progress stays off unless asked for
 * with {@code --progress}).
 *
 * <p>Thread-safe: stateless.
 */
final class Terminal {
  private Terminal() {}

  static boolean stderrIsTerminal() {
    String term = System.getenv("TERM");
    if (term == null || term.equals("dumb")) {
      return false;
    }
    try {
      Path target = Files.readSymbolicLink(Path.of("/proc/self/fd/2"));
      String t = target.toString().toLowerCase(Locale.ROOT);
      return t.startsWith("/dev/pts/") || t.startsWith("/dev/tty");
    } catch (java.io.IOException | UnsupportedOperationException | SecurityException e) {
      return false; // not Linux, or no /proc: say no rather than draw into a log file
    }
  }
}
