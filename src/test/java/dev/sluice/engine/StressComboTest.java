package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The stress matrix's sampling: complete coverage for any seed, and a run rebuilt from its index
 * alone.
 */
class StressComboTest {
  @Test
  void shouldCoverEveryValueOfEveryDimensionWithTheFirstCycleOfRunsForAnySeed() {
    for (long seed = -3; seed < 200; seed++) {
      Map<String, Set<Object>> covered = StressCombo.coverage(StressCombo.plan(seed, 0));
      for (Map.Entry<String, List<?>> d : StressCombo.DIMENSIONS.entrySet()) {
        assertThat(covered.get(d.getKey()))
            .as("seed %d, %s", seed, d.getKey())
            .containsExactlyElementsOf(d.getValue());
      }
    }
  }

  @Test
  void shouldRebuildTheSameRunFromSeedAndIndex() {
    List<StressCombo> plan = StressCombo.plan(20261126L, 60);

    for (StressCombo c : plan) {
      assertThat(StressCombo.of(20261126L, c.index)).hasToString(c.toString());
    }
    assertThat(StressCombo.of(1L, 40).toString()).isNotEqualTo(StressCombo.of(2L, 40).toString());
  }

  @Test
  void shouldKeepVictimsInsideTheInputWithSomeTinyFilesAndFailuresNearFortyPercentNone() {
    List<StressCombo> plan = StressCombo.plan(7L, 2000);
    long none = plan.stream().filter(c -> c.failure == StressCombo.Failure.NONE).count();
    long tiny = plan.stream().filter(c -> Arrays.stream(c.records).anyMatch(n -> n < 3)).count();

    assertThat(none).isBetween(700L, 900L);
    assertThat(tiny).as("runs with a tiny file").isBetween(200L, 1200L);
    for (StressCombo c : plan) {
      assertThat(c.batchSize).isBetween(1, StressCombo.MAX_BATCH);
      assertThat(c.files()).isBetween(3, 6);
      if (c.failure != StressCombo.Failure.NONE) {
        assertThat(c.victimFile).isBetween(0, c.files() - 1);
      }
      assertThat(Arrays.stream(c.records).boxed()).allSatisfy(n -> assertThat(n).isBetween(0, 400));
      assertThat(c.totalRecords()).isPositive();
      if (c.failure == StressCombo.Failure.READER || c.failure == StressCombo.Failure.TRANSFORMER) {
        assertThat(c.victimRecord).isLessThan(c.records[c.victimFile]);
      }
      if (c.failure == StressCombo.Failure.WRITER_TAKE) {
        // Split 0 of the victim sends seq 0..(its records / batch size), the last one possibly
        // empty.
        assertThat(c.victimSeq).isBetween(0, c.records[c.victimFile] / c.splits / c.batchSize);
      }
    }
  }
}
