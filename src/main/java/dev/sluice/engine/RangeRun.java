package dev.sluice.engine;

import dev.sluice.api.Reject;
import dev.sluice.api.spi.Split;
import java.nio.file.Path;
import org.jspecify.annotations.Nullable;

/**
 * A run of the local engine restricted to one range (split) of a file, for engines that spread a
 * file's ranges over several machines and join them afterwards ({@link LocalEngine#processRange}).
 * The run reads, transforms and writes the range exactly as a local run reads that split, but its
 * writer commits the range's formatted bytes (never compressed, with the header only in range 0)
 * and its rejects (with lines still relative to the range) to the parts named by {@link
 * RangeParts}, and notes here what the join needs that no counter holds.
 *
 * <p>Thread-safe: the final fields are set before the run starts (published by {@link
 * Thread#start()}); the volatile fields are written by the run's one writer thread and read by the
 * caller after {@code run()} returned, which joins that thread.
 */
final class RangeRun {
  final Split split;
  final Path outputPart;
  final Path rejectPart;

  /** The line breaks the range held, or -1 when its reader did not count them. */
  volatile long splitLines = -1;

  /** The file's failure, if this range failed it (skip policy), else null. */
  volatile @Nullable Reject failure;

  RangeRun(Split split, Path outputPart, Path rejectPart) {
    this.split = split;
    this.outputPart = outputPart;
    this.rejectPart = rejectPart;
  }
}
