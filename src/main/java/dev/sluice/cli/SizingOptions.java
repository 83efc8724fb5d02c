package dev.sluice.cli;

import dev.sluice.job.JobDefinition;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The options of the sizing section ({@link dev.sluice.api.SizingSettings}): threads per stage,
 * queues, batches and the byte budget in flight. Each one, when given, is laid over the job file's
 * value; absent, the job file's value (or the default) stays.
 *
 * <p>Not thread-safe: one instance per parsed command.
 */
final class SizingOptions {
  @Option(
      names = "--threads",
      paramLabel = "N|auto",
      order = 40,
      description = {
        "Set readers, transformers and writers to N (the three options below win).",
        "auto: resize readers and transformers during the run from where the stages spend their"
            + " time, within --thread-budget; writers stay fixed. The summary says what it settled on."
      })
  @Nullable String threads;

  @Option(
      names = "--readers",
      paramLabel = "N|auto",
      order = 41,
      description =
          "Reader threads (default: cores, at least 2); auto: resize them during the run.")
  @Nullable String readers;

  @Option(
      names = "--transformers",
      paramLabel = "N|auto",
      order = 42,
      description = "Transformer threads (default: cores); auto: resize them during the run.")
  @Nullable String transformers;

  @Option(
      names = "--thread-budget",
      paramLabel = "N",
      order = 44,
      description =
          "With auto threads: the most reader and transformer threads together (default: twice"
              + " the cores, at least 4). Raise it for slow remote storage, where readers wait on I/O.")
  @Nullable Integer threadBudget;

  @Option(
      names = "--writers",
      paramLabel = "N",
      order = 43,
      description = "Writer threads (default: half the cores, at least 1).")
  @Nullable Integer writers;

  @Option(
      names = "--virtual-readers",
      order = 47,
      description =
          "Run the readers on virtual threads (Java 21+), so that hundreds of readers can wait on"
              + " slow storage without a platform thread each.")
  boolean virtualReaders;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      order = 44,
      description = "Batches per queue between stages (default: 16).")
  @Nullable Integer queueCapacity;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      order = 45,
      description = "Records per batch (default: 1000).")
  @Nullable Integer batchSize;

  @Option(
      names = "--batch-bytes",
      paramLabel = "SIZE",
      order = 45,
      description =
          "Bytes per batch at most, e.g. 64k, 1m (default: 256k); a batch is cut at --batch-size"
              + " records or SIZE bytes, whichever comes first.")
  @Nullable String batchBytes;

  @Option(
      names = "--max-in-flight",
      paramLabel = "SIZE",
      order = 46,
      description =
          "Budget of bytes between reading and writing (records, rejects and the steps' output"
              + " in flight, reorder buffers included), e.g. 65536, 64k, 64m, 1g, 64MiB (k, m, g are"
              + " powers of 1024; default: 64m; at most half the heap limit).")
  @Nullable String maxInFlight;

  /** Lays the options given over {@code b}. @throws UsageException for a bad value */
  void applyTo(JobDefinition.Builder b) {
    if (threads != null) {
      if (RunCommand.isAuto(threads)) {
        b.autoReaders(true).autoTransformers(true);
      } else {
        b.threads(RunCommand.positive("--threads", RunCommand.count("--threads", threads)));
      }
    }
    if (readers != null) {
      // A count for one stage wins over --threads auto for that stage.
      if (RunCommand.isAuto(readers)) {
        b.autoReaders(true);
      } else {
        b.readers(RunCommand.positive("--readers", RunCommand.count("--readers", readers)))
            .autoReaders(false);
      }
    }
    if (transformers != null) {
      if (RunCommand.isAuto(transformers)) {
        b.autoTransformers(true);
      } else {
        b.transformers(
                RunCommand.positive(
                    "--transformers", RunCommand.count("--transformers", transformers)))
            .autoTransformers(false);
      }
    }
    if (threadBudget != null) {
      b.threadBudget(RunCommand.positive("--thread-budget", threadBudget));
    }
    if (writers != null) {
      b.writers(RunCommand.positive("--writers", writers));
    }
    if (queueCapacity != null) {
      b.queueCapacity(RunCommand.positive("--queue-capacity", queueCapacity));
    }
    if (batchSize != null) {
      b.batchSize(RunCommand.positive("--batch-size", batchSize));
    }
    if (batchBytes != null) {
      long n = RunCommand.size("--batch-bytes", batchBytes);
      if (n > Integer.MAX_VALUE) {
        throw new UsageException("--batch-bytes must be below 2g (got " + batchBytes + ")");
      }
      b.batchBytes((int) n);
    }
    if (maxInFlight != null) {
      b.maxInFlight(RunCommand.size("--max-in-flight", maxInFlight));
    }
    // A boolean flag can only switch a setting on: absent, the job file's value stays.
    b.virtualReaders(virtualReaders ? Boolean.TRUE : null);
  }
}
