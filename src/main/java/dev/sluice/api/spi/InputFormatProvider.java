package dev.sluice.api.spi;

import java.io.IOException;
import java.util.List;

/**
 * Plans the splits of input files and opens readers for them.
 *
 * <p>Thread-safe: reader threads call {@link #open} concurrently; the engine calls {@link #plan}
 * once per file, in listing order.
 *
 * @since 0.1
 */
public interface InputFormatProvider {
  /** The splits of {@code file}, in order. By default, one split for the whole file. */
  default List<Split> plan(InputFile file) throws IOException {
    return List.of(Split.whole(file));
  }

  /** Opens a reader positioned at the first record of {@code split}. */
  RecordReader open(Split split) throws IOException;
}
