package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.engine.AutoSizer.Move;
import dev.sluice.engine.AutoSizer.Plan;
import dev.sluice.engine.AutoSizer.Window;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.assertj.core.api.Assertions;
import org.junit.jupiter.api.Test;

/**
 * The sizer's decisions on synthetic measurements: the pure proposal for the classic cases, the
 * hysteresis, and a small model of a two-stage pipeline in which the sizer must settle on a split
 * that serves the slow stage, inside the budget, never below one thread.
 */
class AutoSizerTest {
  private static final Plan BOTH = new Plan(8, true, true, 2, 2, 7, 7);

  private static Window w(double busy, double in, double out) {
    return new Window(busy, in, out);
  }

  private static final Window READING_FLAT_OUT = w(0.98, 0.0, 0.02);
  private static final Window STARVING = w(0.10, 0.90, 0.0);
  private static final Window WORKING_FLAT_OUT = w(0.97, 0.02, 0.01);
  private static final Window BLOCKED = w(0.15, 0.0, 0.85);

  @Test
  void readersBusyWhileTransformersStarveShouldGrowTheReaders() {
    assertThat(AutoSizer.propose(READING_FLAT_OUT, STARVING, 2, 2, BOTH))
        .isEqualTo(Move.GROW_READERS);
  }

  @Test
  void transformersBusyWhileReadersWaitToHandOnShouldGrowTheTransformers() {
    assertThat(AutoSizer.propose(BLOCKED, WORKING_FLAT_OUT, 2, 2, BOTH))
        .isEqualTo(Move.GROW_TRANSFORMERS);
  }

  @Test
  void aFullBudgetShouldTakeAThreadFromAnIdleStageFirst() {
    assertThat(AutoSizer.propose(READING_FLAT_OUT, STARVING, 4, 4, BOTH))
        .isEqualTo(Move.RETIRE_TRANSFORMER);
    assertThat(AutoSizer.propose(BLOCKED, WORKING_FLAT_OUT, 4, 4, BOTH))
        .isEqualTo(Move.RETIRE_READER);
  }

  @Test
  void aStageThatWouldBecomeBusyShouldKeepItsThreads() {
    // Two transformers at 45% would be one at 90%: the move would only move the bottleneck.
    assertThat(AutoSizer.propose(READING_FLAT_OUT, w(0.45, 0.55, 0.0), 6, 2, BOTH))
        .isEqualTo(Move.HOLD);
    assertThat(AutoSizer.propose(READING_FLAT_OUT, STARVING, 7, 1, BOTH)).isEqualTo(Move.HOLD);
  }

  @Test
  void writersLimitingTheRunShouldChangeNothing() {
    // Both stages wait to hand on: more of either would only wait more.
    assertThat(AutoSizer.propose(w(0.2, 0.0, 0.8), w(0.3, 0.0, 0.7), 2, 2, BOTH))
        .isEqualTo(Move.HOLD);
    // Both keep up.
    assertThat(AutoSizer.propose(w(0.5, 0.1, 0.4), w(0.5, 0.4, 0.1), 2, 2, BOTH))
        .isEqualTo(Move.HOLD);
  }

  @Test
  void aFixedStageShouldNeitherGrowNorGiveUpThreads() {
    Plan readersOnly = new Plan(8, true, false, 2, 3, 5, 3);
    assertThat(AutoSizer.propose(BLOCKED, WORKING_FLAT_OUT, 2, 3, readersOnly))
        .isEqualTo(Move.HOLD);
    assertThat(AutoSizer.propose(READING_FLAT_OUT, STARVING, 5, 3, readersOnly))
        .isEqualTo(Move.HOLD);
    assertThat(AutoSizer.propose(READING_FLAT_OUT, STARVING, 4, 3, readersOnly))
        .isEqualTo(Move.GROW_READERS);
  }

  @Test
  void aMoveShouldNeedTwoWindowsThatAgree() {
    AutoSizer s = sizer(BOTH);
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 2, 2)).isEqualTo(Move.HOLD);
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 2, 2)).isEqualTo(Move.GROW_READERS);
    // A window that disagrees resets the streak.
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 3, 2)).isEqualTo(Move.HOLD);
    assertThat(s.decide(BLOCKED, WORKING_FLAT_OUT, 3, 2)).isEqualTo(Move.HOLD);
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 3, 2)).isEqualTo(Move.HOLD);
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 3, 2)).isEqualTo(Move.GROW_READERS);
  }

  @Test
  void aPlaceFreedForAStageShouldGoToItOnceTheThreadHasRetired() {
    AutoSizer s = sizer(BOTH);
    s.decide(READING_FLAT_OUT, STARVING, 4, 4);
    assertThat(s.decide(READING_FLAT_OUT, STARVING, 4, 4)).isEqualTo(Move.RETIRE_TRANSFORMER);
    // The grow is offered until it is granted (the retiring thread may take a while).
    assertThat(s.decide(w(0.5, 0.5, 0), w(0.5, 0.5, 0), 4, 3)).isEqualTo(Move.GROW_READERS);
    s.granted(Move.GROW_READERS, false);
    assertThat(s.decide(w(0.5, 0.5, 0), w(0.5, 0.5, 0), 4, 3)).isEqualTo(Move.GROW_READERS);
    s.granted(Move.GROW_READERS, true);
    assertThat(s.decide(w(0.5, 0.5, 0), w(0.5, 0.5, 0), 5, 3)).isEqualTo(Move.HOLD);
  }

  @Test
  void slowReadsShouldSettleOnMoreReadersInsideTheBudget() {
    // Each reader delivers 1 unit/s (waiting on remote storage), each transformer 10.
    List<int[]> path = simulate(new Plan(8, true, true, 2, 2, 7, 7), 1.0, 10.0, 60);
    int[] end = path.get(path.size() - 1);
    assertThat(end[0]).as("readers").isGreaterThanOrEqualTo(6);
    assertThat(end[1]).as("transformers").isGreaterThanOrEqualTo(1);
    assertSettledInBudget(path, 8, 20);
  }

  @Test
  void anExpensiveStepShouldSettleOnMoreTransformersInsideTheBudget() {
    List<int[]> path = simulate(new Plan(6, true, true, 3, 3, 5, 5), 10.0, 1.0, 60);
    int[] end = path.get(path.size() - 1);
    assertThat(end[1]).as("transformers").isGreaterThanOrEqualTo(4);
    assertThat(end[0]).as("readers").isGreaterThanOrEqualTo(1);
    assertSettledInBudget(path, 6, 20);
  }

  @Test
  void aBalancedPipelineShouldKeepItsStartSizes() {
    List<int[]> path = simulate(new Plan(8, true, true, 3, 3, 7, 7), 2.0, 2.0, 30);
    assertThat(path).allSatisfy(p -> assertThat(p).containsExactly(3, 3));
  }

  @Test
  void theDefaultPlanShouldStartFromTheGivenCountsWithinTheBudget(
      @org.junit.jupiter.api.io.TempDir Path tmp) {
    PipelineSpec.Builder b = PipelineSpec.builder().input(tmp).output(tmp.resolve("out"));
    Plan p = Plan.of(b.threads(6, 6, 1).autoThreads().threadBudget(8).build());
    assertThat(p.readersAtStart() + p.transformersAtStart()).isLessThanOrEqualTo(8);
    assertThat(p.readersAtStart()).isGreaterThanOrEqualTo(1);
    assertThat(p.maxReaders()).isEqualTo(7);
    assertThat(p.maxTransformers()).isEqualTo(7);

    Plan fixedTransformers = Plan.of(b.autoTransformers(false).transformers(3).readers(2).build());
    assertThat(fixedTransformers.maxReaders()).isEqualTo(5);
    assertThat(fixedTransformers.transformersAtStart()).isEqualTo(3);
    assertThat(fixedTransformers.maxTransformers()).isEqualTo(3);

    Plan fixed =
        Plan.of(
            PipelineSpec.builder().input(tmp).output(tmp.resolve("o")).threads(2, 3, 1).build());
    assertThat(fixed.auto()).isFalse();
    assertThat(fixed.maxReaders()).isEqualTo(2);

    Assertions.assertThatThrownBy(() -> b.autoReaders(true).transformers(8).threadBudget(8).build())
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("threadBudget 8");
  }

  private static void assertSettledInBudget(List<int[]> path, int budget, int quietTail) {
    for (int[] p : path) {
      assertThat(p[0]).isGreaterThanOrEqualTo(1);
      assertThat(p[1]).isGreaterThanOrEqualTo(1);
      assertThat(p[0] + p[1]).isLessThanOrEqualTo(budget);
    }
    int[] end = path.get(path.size() - 1);
    for (int[] p : path.subList(path.size() - quietTail, path.size())) {
      assertThat(p).as("settled for the last %d windows", quietTail).containsExactly(end);
    }
  }

  /**
   * A two-stage pipeline at steady state: throughput is the smaller of the stages' capacities; the
   * faster stage waits (readers to hand on, or transformers for input) the rest of its time. A
   * retire takes effect at once, a grow when the sizer asks for it.
   */
  private static List<int[]> simulate(
      Plan plan, double perReader, double perTransformer, int windows) {
    AutoSizer s = sizer(plan);
    int r = plan.readersAtStart();
    int t = plan.transformersAtStart();
    List<int[]> path = new ArrayList<>();
    for (int i = 0; i < windows; i++) {
      double cr = r * perReader;
      double ct = t * perTransformer;
      double x = Math.min(cr, ct);
      Window rw = w(x / cr, 0, 1 - x / cr);
      Window tw = w(x / ct, 1 - x / ct, 0);
      Move m = s.decide(rw, tw, r, t);
      boolean done = true;
      switch (m) {
        case GROW_READERS:
          done = r + t < plan.budget() && r < plan.maxReaders();
          r += done ? 1 : 0;
          break;
        case GROW_TRANSFORMERS:
          done = r + t < plan.budget() && t < plan.maxTransformers();
          t += done ? 1 : 0;
          break;
        case RETIRE_READER:
          r--;
          break;
        case RETIRE_TRANSFORMER:
          t--;
          break;
        default:
          break;
      }
      s.granted(m, done);
      path.add(new int[] {r, t});
    }
    return path;
  }

  private static AutoSizer sizer(Plan plan) {
    return new AutoSizer(plan, null, List.of(), () -> 0L, stage -> false);
  }
}
