package dev.sluice.engine;

import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * Hands splits to readers in key order (file by file, split by split), planning each file when the
 * first reader reaches it. Key order is what keeps the budget deadlock-free: a reader never starts
 * a split before every earlier split of the same file has been started.
 *
 * <p>Thread-safe: {@link #next()} is synchronized; planning one file is quick (today it does not
 * touch the file at all).
 */
final class SplitFeed {
  private final List<InputFile> files;
  private final InputFormatProvider provider;
  private final ArrayDeque<Split> pending = new ArrayDeque<>();
  private int nextFile;

  SplitFeed(List<InputFile> files, InputFormatProvider provider) {
    this.files = files;
    this.provider = provider;
  }

  /** Planning a file failed; carries the file so the failure can name it. */
  static final class PlanException extends Exception {
    private static final long serialVersionUID = 1L;
    final transient InputFile file;

    PlanException(InputFile file, Exception cause) {
      super(cause);
      this.file = file;
    }
  }

  /** The next split, or null when every file has been handed out. */
  synchronized @Nullable Split next() throws PlanException {
    while (pending.isEmpty()) {
      if (nextFile >= files.size()) {
        return null;
      }
      InputFile f = files.get(nextFile++);
      List<Split> splits;
      try {
        splits = provider.plan(f);
      } catch (IOException | RuntimeException e) {
        throw new PlanException(f, e);
      }
      if (splits.isEmpty()) {
        throw new PlanException(f, new IllegalStateException("format planned no split"));
      }
      pending.addAll(splits);
    }
    return pending.poll();
  }
}
