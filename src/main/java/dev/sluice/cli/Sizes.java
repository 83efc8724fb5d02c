package dev.sluice.cli;

import dev.sluice.internal.config.Units;

/** Parses byte sizes such as {@code 65536}, {@code 64k}, {@code 64m}, {@code 1g}, {@code 64MiB}. */
final class Sizes {
  private Sizes() {}

  /**
   * The number of bytes {@code text} stands for (the job file's rules: {@link Units#bytes}).
   *
   * @throws IllegalArgumentException if it is not a size, or is too large for a long
   */
  static long parseBytes(String text) {
    return Units.bytes(text);
  }
}
