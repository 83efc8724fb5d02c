package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RunResultTest {
  private static final Verdict VERDICT = new Verdict(null, "not measured", 1, 1, 1);

  @Test
  void shouldStartFromZeroCountsAndOneThreadPerStage() {
    RunResult r = RunResult.builder().verdict(VERDICT).build();

    assertThat(r.files()).isZero();
    assertThat(r.recordsRead()).isZero();
    assertThat(r.firstWarnings()).isEmpty();
    assertThat(r.rejectsByType()).isEmpty();
    assertThat(r.elapsed()).isEqualTo(Duration.ZERO);
    assertThat(List.of(r.readers(), r.transformers(), r.writers())).containsExactly(1, 1, 1);
    assertThat(r.autoSizing()).isNull();
  }

  @Test
  void shouldRefuseAResultWithoutAVerdict() {
    assertThatThrownBy(() -> RunResult.builder().build())
        .isInstanceOf(NullPointerException.class)
        .hasMessageContaining("verdict");
  }

  @Test
  void shouldCopyWhatTheBuilderWasGivenSoLaterChangesDoNotLeakIn() {
    List<Path> rejectFiles = new ArrayList<>(List.of(Path.of("a.rejects.csv")));
    Map<ErrorType, Long> byType = new EnumMap<>(ErrorType.class);
    byType.put(ErrorType.WRONG_FIELD_COUNT, 2L);
    RunResult r =
        RunResult.builder().verdict(VERDICT).rejectFiles(rejectFiles).rejectsByType(byType).build();

    rejectFiles.add(Path.of("b.rejects.csv"));
    byType.put(ErrorType.MALFORMED_CSV, 1L);

    assertThat(r.rejectFiles()).containsExactly(Path.of("a.rejects.csv"));
    assertThat(r.rejectsByType()).containsExactly(Map.entry(ErrorType.WRONG_FIELD_COUNT, 2L));
    assertThatThrownBy(() -> r.rejectFiles().add(Path.of("c")))
        .isInstanceOf(UnsupportedOperationException.class);
  }

  @Test
  void shouldRebuildAnEqualResultFromToBuilderAndDifferWhereAValueChanged() {
    RunResult r =
        RunResult.builder()
            .files(3)
            .recordsRead(10)
            .recordsPassed(7)
            .recordsRejected(3)
            .firstWarnings(List.of("w"))
            .verdict(VERDICT)
            .elapsed(Duration.ofMillis(5))
            .readers(2)
            .autoSizing(new RunResult.AutoSizing(4, true, false, 1, 1, 2, 1, 2, 1, 1))
            .build();

    RunResult same = r.toBuilder().build();
    RunResult other = r.toBuilder().recordsPassed(6).recordsFiltered(1).build();

    assertThat(same).isEqualTo(r).hasSameHashCodeAs(r);
    assertThat(same.toString())
        .isEqualTo(r.toString())
        .contains("files=3", "recordsRead=10", "readers=2");
    assertThat(other).isNotEqualTo(r);
    assertThat(other.recordsPassed()).isEqualTo(6);
    assertThat(other.files()).isEqualTo(3);
  }
}
