package dev.sluice.engine;

import com.google.errorprone.annotations.concurrent.GuardedBy;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * Hands splits to readers in key order (file by file, split by split), planning each file when the
 * first reader reaches it. Key order is what keeps the budget deadlock-free: a reader never starts
 * a split before every earlier split of the same file has been started. It also gathers what the
 * readers of a file's splits noticed ({@link #splitRead}), so that the file gets one warning for
 * it, whichever reader finishes last.
 *
 * <p>Thread-safe: {@link #next()} and {@link #splitRead} are synchronized; planning one file is
 * quick (a CSV file cut into splits has a few windows read).
 */
final class SplitFeed {
  private final List<InputFile> files;
  private final InputFormatProvider provider;
  private final ArrayDeque<Split> pending = new ArrayDeque<>();
  private int nextFile;

  // Per file id, what its splits' readers noticed so far.
  @GuardedBy("this")
  private final int[] splitsRead;

  @GuardedBy("this")
  private final long[] blankLines;

  @GuardedBy("this")
  private final boolean[] grew;

  SplitFeed(List<InputFile> files, InputFormatProvider provider) {
    this.files = files;
    this.provider = provider;
    this.splitsRead = new int[files.size()];
    this.blankLines = new long[files.size()];
    this.grew = new boolean[files.size()];
  }

  /**
   * Notes that a reader is done with {@code split}, having read it with {@code reader} (null if it
   * read nothing of it, as for a split beyond {@code --limit}); returns the warnings for the file
   * once its last split is done, else none: the blank lines skipped in it, and whether it grew
   * while it was read (only the bytes it had when listed are read).
   */
  synchronized List<String> splitRead(Split split, @Nullable RecordReader reader) {
    int id = split.file().id();
    if (reader != null) {
      blankLines[id] += reader.blankLinesSkipped();
      grew[id] |= split.isLast() && reader.grewWhileRead();
    }
    if (++splitsRead[id] < split.count()) {
      return List.of();
    }
    return fileWarnings(split.file(), blankLines[id], grew[id]);
  }

  /**
   * The warnings for file {@code f} once all its splits are read: {@code blank} blank lines skipped
   * in them, and whether its last split saw it {@code grew}. Also what a join of ranges read apart
   * reports for the file ({@link RangeJoin}).
   */
  static List<String> fileWarnings(InputFile f, long blank, boolean grew) {
    List<String> warnings = new ArrayList<>(2);
    if (blank > 0) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "%s: %,d blank line%s skipped",
              f.relativeName(),
              blank,
              blank == 1 ? "" : "s"));
    }
    if (grew) {
      warnings.add(
          String.format(
              Locale.ROOT,
              "%s grew while it was read: only the %,d bytes it had when listed were read",
              f.relativeName(),
              f.size()));
    }
    return warnings;
  }

  /** The blank lines the readers of file {@code id}'s splits skipped so far. */
  synchronized long blankLines(int id) {
    return blankLines[id];
  }

  /** Whether the reader of file {@code id}'s last split saw the file grow. */
  synchronized boolean grew(int id) {
    return grew[id];
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
