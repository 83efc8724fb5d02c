package dev.sluice.cli;

import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineFactory;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Verdict;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * A stand-in engine whose runs end with a given failure, for outcomes the local engine cannot
 * produce on demand (a held lock, a timeout, a changed job). Thread-safe: the spec is volatile.
 */
final class FakePipelines implements PipelineFactory {
  private final RuntimeException failure;
  private volatile @Nullable PipelineSpec lastSpec;

  private FakePipelines(RuntimeException failure) {
    this.failure = failure;
  }

  static FakePipelines failingWith(RuntimeException failure) {
    return new FakePipelines(failure);
  }

  /** The spec of the last pipeline made. */
  @Nullable PipelineSpec lastSpec() {
    return lastSpec;
  }

  @Override
  public Pipeline create(PipelineSpec spec) {
    lastSpec = spec;
    return new Pipeline() {
      @Override
      public RunResult run() {
        throw failure;
      }

      @Override
      public void abort() {}

      @Override
      public void close() {}
    };
  }

  /** A result with the given counts (files ok/failed/skipped, records read/rejected). */
  static RunResult result(long files, long failed, long skipped, long read, long rejected) {
    return RunResult.builder()
        .files(files)
        .filesFailed(failed)
        .filesSkipped(skipped)
        .recordsRead(read)
        .recordsPassed(read - rejected)
        .recordsFiltered(0)
        .recordsRejected(rejected)
        .recordsAbandoned(0)
        .recordsWritten(read - rejected)
        .bytesRead(1000)
        .bytesWritten(500)
        .warnings(0)
        .firstWarnings(List.of())
        .rejectsByType(Map.of())
        .rejectFiles(List.of())
        .stages(List.of())
        .verdict(new Verdict(null, "", 1, 1, 1))
        .samples(List.of())
        .elapsed(Duration.ofMillis(1500))
        .readers(1)
        .transformers(1)
        .writers(1)
        .build();
  }
}
