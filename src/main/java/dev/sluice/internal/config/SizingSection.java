package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.PipelineSpec;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The sizing section ({@link dev.sluice.api.SizingSettings}): threads per stage, queues, batches
 * and the byte budget in flight. Job file object {@code "engine"}. See {@link Section}.
 */
public final class SizingSection extends Section<SizingSection> {
  @Option(
      converter = Converters.Count.class,
      names = "--threads",
      paramLabel = "N|auto",
      order = 40,
      description = {
        "Set readers, transformers and writers to N (the three options below win).",
        "auto: resize readers and transformers during the run from where the stages spend their"
            + " time, within --thread-budget; writers stay fixed. The summary says what it settled on."
      })
  @JsonProperty("threads")
  @Nullable AutoCount threads;

  @Option(
      converter = Converters.Count.class,
      names = "--readers",
      paramLabel = "N|auto",
      order = 41,
      description =
          "Reader threads (default: cores, at least 2); auto: resize them during the run.")
  @JsonProperty("readers")
  @Nullable AutoCount readers;

  @Option(
      converter = Converters.Count.class,
      names = "--transformers",
      paramLabel = "N|auto",
      order = 42,
      description = "Transformer threads (default: cores); auto: resize them during the run.")
  @JsonProperty("transformers")
  @Nullable AutoCount transformers;

  @Option(
      names = "--writers",
      paramLabel = "N",
      order = 43,
      converter = Converters.Positive.class,
      description = "Writer threads (default: half the cores, at least 1).")
  @JsonProperty("writers")
  @JsonDeserialize(using = JobJson.PositiveInt.class)
  @Nullable Integer writers;

  @Option(
      names = "--thread-budget",
      paramLabel = "N",
      order = 44,
      converter = Converters.Positive.class,
      description =
          "With auto threads: the most reader and transformer threads together (default: twice"
              + " the cores, at least 4). Raise it for slow remote storage, where readers wait on I/O.")
  @JsonProperty("threadBudget")
  @JsonDeserialize(using = JobJson.PositiveInt.class)
  @Nullable Integer threadBudget;

  @Option(
      names = "--queue-capacity",
      paramLabel = "N",
      order = 45,
      converter = Converters.Positive.class,
      description = "Batches per queue between stages (default: 16).")
  @JsonProperty("queueCapacity")
  @JsonDeserialize(using = JobJson.PositiveInt.class)
  @Nullable Integer queueCapacity;

  @Option(
      names = "--batch-size",
      paramLabel = "N",
      order = 46,
      converter = Converters.Positive.class,
      description = "Records per batch (default: 1000).")
  @JsonProperty("batchSize")
  @JsonDeserialize(using = JobJson.PositiveInt.class)
  @Nullable Integer batchSize;

  @Option(
      names = "--batch-bytes",
      paramLabel = "SIZE",
      order = 47,
      converter = Converters.IntSize.class,
      description =
          "Bytes per batch at most, e.g. 64k, 1m (default: 256k); a batch is cut at --batch-size"
              + " records or SIZE bytes, whichever comes first.")
  @JsonProperty("batchBytes")
  @JsonDeserialize(using = JobJson.IntSize.class)
  @Nullable Integer batchBytes;

  @Option(
      names = "--max-in-flight",
      paramLabel = "SIZE",
      order = 48,
      converter = Converters.Size.class,
      description =
          "Budget of bytes between reading and writing (records, rejects and the steps' output"
              + " in flight, reorder buffers included), e.g. 65536, 64k, 64m, 1g, 64MiB (k, m, g are"
              + " powers of 1024; default: 64m; at most half the heap limit).")
  @JsonProperty("maxInFlight")
  @JsonDeserialize(using = JobJson.Size.class)
  @Nullable Long maxInFlight;

  @Option(
      names = "--virtual-readers",
      order = 49,
      description =
          "Run the readers on virtual threads (Java 21+), so that hundreds of readers can wait on"
              + " slow storage without a platform thread each.")
  @JsonProperty("virtualReaders")
  @Nullable Boolean virtualReaders;

  @Override
  protected SizingSection empty() {
    return new SizingSection();
  }

  @Override
  protected void adjust(SizingSection base, SizingSection top, SizingSection merged) {
    if (top.threads != null) {
      // "--threads 2" means two of each: a per-stage count from the file would silently win.
      merged.readers = top.readers;
      merged.transformers = top.transformers;
      merged.writers = top.writers;
    }
  }

  /** Sets what this section holds on {@code b}; the rest keeps the spec's defaults. */
  public void applyTo(PipelineSpec.Builder b) {
    boolean autoReaders = false;
    boolean autoTransformers = false;
    if (threads != null) {
      if (threads.auto()) {
        autoReaders = true;
        autoTransformers = true;
      } else {
        b.threads(threads.count(), threads.count(), threads.count());
      }
    }
    // A count for one stage wins over threads auto for that stage.
    if (readers != null) {
      autoReaders = readers.auto();
      if (!readers.auto()) {
        b.readers(readers.count());
      }
    }
    if (transformers != null) {
      autoTransformers = transformers.auto();
      if (!transformers.auto()) {
        b.transformers(transformers.count());
      }
    }
    if (writers != null) {
      b.writers(writers);
    }
    b.autoReaders(autoReaders);
    b.autoTransformers(autoTransformers);
    if (threadBudget != null) {
      b.threadBudget(threadBudget);
    }
    if (queueCapacity != null) {
      b.queueCapacity(queueCapacity);
    }
    if (batchSize != null) {
      b.batchSize(batchSize);
    }
    if (batchBytes != null) {
      b.batchBytes(batchBytes);
    }
    if (maxInFlight != null) {
      b.maxInFlight(maxInFlight);
    }
    b.virtualReaders(Boolean.TRUE.equals(virtualReaders));
  }
}
