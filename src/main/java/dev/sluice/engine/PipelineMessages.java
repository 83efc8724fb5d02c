package dev.sluice.engine;

import java.nio.file.FileSystemException;
import java.util.Locale;

/** Describes exceptions for messages and reject rows. Stateless. */
final class PipelineMessages {
  private PipelineMessages() {}

  /**
   * The exception's message, with its kind where the message alone says too little: a {@code
   * NoSuchFileException}'s message is only the path.
   */
  static String describe(Throwable t) {
    String m = t.getMessage();
    if (m == null || m.isBlank()) {
      return t.getClass().getName();
    }
    if (t instanceof FileSystemException && ((FileSystemException) t).getReason() == null) {
      String type = t.getClass().getSimpleName().replace("Exception", "");
      return type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + ": " + m;
    }
    return m;
  }
}
