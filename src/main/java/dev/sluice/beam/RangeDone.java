package dev.sluice.beam;

import dev.sluice.engine.LocalEngine;
import java.io.Serializable;
import org.jspecify.annotations.Nullable;

/**
 * What {@link ProcessRangeFn} hands to {@link JoinRangesFn} for one range of a file: the range and
 * what the local engine did with it. The range's bytes and rejects are not in it: they wait in
 * parts next to the file's output, which every worker sees.
 *
 * <p>Immutable; serializable.
 */
final class RangeDone implements Serializable {
  private static final long serialVersionUID = 1L;

  final FileRange range;
  final LocalEngine.RangeResult result;

  RangeDone(FileRange range, LocalEngine.RangeResult result) {
    this.range = range;
    this.result = result;
  }

  // Value equality: Beam compares elements by it (SerializableCoder's structural value).
  @Override
  public boolean equals(@Nullable Object o) {
    return o instanceof RangeDone
        && range.equals(((RangeDone) o).range)
        && result.equals(((RangeDone) o).result);
  }

  @Override
  public int hashCode() {
    return range.hashCode() * 31 + result.hashCode();
  }

  @Override
  public String toString() {
    return range + ": " + result;
  }
}
