package dev.sluice.api.spi;

/**
 * A byte range of an input file, the unit of reading. Today every file is one split; a format may
 * cut a large file into several, read by different readers, and the writer puts their records back
 * in order.
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the file
 * @param index position of this split in the file, from 0
 * @param count number of splits of the file
 * @param start first byte (inclusive)
 * @param end last byte (exclusive), or -1 for the end of the file
 * @since 0.1
 */
public record Split(InputFile file, int index, int count, long start, long end) {
  /** The single split that covers the whole of {@code file}. */
  public static Split whole(InputFile file) {
    return new Split(file, 0, 1, 0, -1);
  }

  /** Whether this is the file's last split. */
  public boolean isLast() {
    return index == count - 1;
  }
}
