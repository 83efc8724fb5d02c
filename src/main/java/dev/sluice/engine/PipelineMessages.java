package dev.sluice.engine;

import dev.sluice.internal.fs.DurableFiles;

/** Describes exceptions for messages and reject rows. Stateless. */
final class PipelineMessages {
  private PipelineMessages() {}

  /**
   * {@code t}, or the {@link Error} behind it when {@code t} only wraps one on its way from another
   * thread (an executor's {@code ExecutionException}, the {@code IOException}s a sync thread's
   * failure reaches the writer in): the run's failure then keeps the Error's category.
   */
  static Throwable errorBehind(Throwable t) {
    Throwable c = t;
    for (int depth = 0; depth < 8 && c != null; depth++) {
      if (c instanceof Error) {
        return c;
      }
      if (!(c instanceof java.io.IOException
          || c instanceof java.io.UncheckedIOException
          || c instanceof java.util.concurrent.ExecutionException)) {
        return t;
      }
      c = c.getCause();
    }
    return t;
  }

  /**
   * The exception's message, with its kind where the message alone says too little: a {@code
   * NoSuchFileException}'s message is only the path.
   */
  static String describe(Throwable t) {
    return DurableFiles.describe(t);
  }
}
