package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import dev.sluice.api.Verdict;
import java.util.List;
import org.junit.jupiter.api.Test;

class VerdictsTest {
  private static final long S = 1_000_000_000L;

  private static StageStats st(Stage s, int threads, double busy, double in, double out) {
    long total = 10 * S * threads;
    return new StageStats(
        s, threads, (long) (busy * total), (long) (in * total), (long) (out * total), 100);
  }

  @Test
  void shouldNameTheTransformersWhenTheyAreBusyAndTheirNeighboursWait() {
    Verdict v =
        Verdicts.judge(
            List.of(
                st(Stage.READER, 2, 0.20, 0.0, 0.80),
                st(Stage.TRANSFORMER, 2, 0.97, 0.02, 0.01),
                st(Stage.WRITER, 1, 0.40, 0.60, 0.0)),
            5);

    assertThat(v.bottleneck()).isEqualTo(Stage.TRANSFORMER);
    assertThat(v.evidence())
        .isEqualTo(
            "transformers 97% busy; readers waited to hand on 80%; writers waited for input 60%");
    assertThat(v.transformers()).isGreaterThan(v.readers()).isGreaterThan(v.writers() - 1);
    assertThat(v.readers() + v.transformers() + v.writers()).isEqualTo(5);
  }

  @Test
  void shouldNameTheReadersWhenDownstreamStarves() {
    Verdict v =
        Verdicts.judge(
            List.of(
                st(Stage.READER, 1, 0.99, 0.0, 0.01),
                st(Stage.TRANSFORMER, 2, 0.10, 0.90, 0.0),
                st(Stage.WRITER, 1, 0.05, 0.95, 0.0)),
            4);

    assertThat(v.bottleneck()).isEqualTo(Stage.READER);
    assertThat(v.evidence())
        .isEqualTo(
            "readers 99% busy; transformers waited for input 90%; writers waited for input 95%");
    assertThat(v.readers()).isGreaterThanOrEqualTo(2);
  }

  @Test
  void shouldNameTheWritersWhenEverythingBeforeThemWaitsToHandOn() {
    Verdict v =
        Verdicts.judge(
            List.of(
                st(Stage.READER, 2, 0.05, 0.0, 0.95),
                st(Stage.TRANSFORMER, 2, 0.10, 0.0, 0.90),
                st(Stage.WRITER, 1, 0.98, 0.02, 0.0)),
            5);

    assertThat(v.bottleneck()).isEqualTo(Stage.WRITER);
    assertThat(v.evidence())
        .isEqualTo(
            "writers 98% busy; readers waited to hand on 95%; transformers waited to hand on 90%");
    assertThat(v.writers()).isGreaterThanOrEqualTo(3);
  }

  @Test
  void shouldDeclineToJudgeARunTooShortToTell() {
    Verdict v =
        Verdicts.judge(
            List.of(
                new StageStats(Stage.READER, 1, 1000, 0, 0, 1),
                new StageStats(Stage.TRANSFORMER, 1, 1000, 0, 0, 1),
                new StageStats(Stage.WRITER, 1, 1000, 0, 0, 1)),
            3);

    assertThat(v.bottleneck()).isNull();
    assertThat(v.line()).contains("too short");
  }
}
