package dev.sluice.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class UnitsTest {
  @Test
  void durationsAcceptShortUnitsCompoundsAndIso8601() {
    assertThat(Units.duration("30s")).isEqualTo(Duration.ofSeconds(30));
    assertThat(Units.duration("5m")).isEqualTo(Duration.ofMinutes(5));
    assertThat(Units.duration("1h30m")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Units.duration("2d")).isEqualTo(Duration.ofDays(2));
    assertThat(Units.duration("250ms")).isEqualTo(Duration.ofMillis(250));
    assertThat(Units.duration("1m30s500ms")).isEqualTo(Duration.ofMillis(90_500));
    assertThat(Units.duration("PT10M")).isEqualTo(Duration.ofMinutes(10));
    assertThat(Units.duration("pt1h")).isEqualTo(Duration.ofHours(1));
    assertThat(Units.duration(" 0 ")).isZero();
    assertThat(Units.duration("0s")).isZero();
  }

  @Test
  void durationUnitsAreCaseInsensitiveUnderATurkishLocale() {
    // "MS".toLowerCase() under tr is still "ms", but "PT1H" style input must not depend on it.
    assertThat(Units.duration("1H30M")).isEqualTo(Duration.ofMinutes(90));
    assertThat(Units.duration("500MS")).isEqualTo(Duration.ofMillis(500));
  }

  @Test
  void durationsRejectWhatIsNotADuration() {
    for (String bad :
        new String[] {"", "30", "5 m", "1.5h", "-5s", "m", "1w", "PT", "PT-5M", "5mm", "h1"}) {
      assertThatThrownBy(() -> Units.duration(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageContaining(bad.isEmpty() ? "not a duration" : bad);
    }
  }

  @Test
  void hugeDurationsAreAnErrorNotAnOverflow() {
    assertThatThrownBy(() -> Units.duration("99999999999999999999d"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("too long");
    assertThatThrownBy(() -> Units.duration("9223372036854775807d"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void formatWritesWhatDurationReadsBack() {
    for (Duration d :
        new Duration[] {
          Duration.ZERO,
          Duration.ofSeconds(30),
          Duration.ofMinutes(90),
          Duration.ofDays(1).plusMillis(5)
        }) {
      assertThat(Units.duration(Units.format(d))).isEqualTo(d);
    }
    assertThat(Units.format(Duration.ofMinutes(90))).isEqualTo("1h30m");
  }

  @Test
  void sizesAcceptBytesAndBinarySuffixes() {
    assertThat(Units.bytes("65536")).isEqualTo(65536);
    assertThat(Units.bytes("64k")).isEqualTo(64 * 1024);
    assertThat(Units.bytes("64MiB")).isEqualTo(64L << 20);
    assertThat(Units.bytes("1GIB")).isEqualTo(1L << 30);
    assertThatThrownBy(() -> Units.bytes("12q")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Units.bytes("99999999999t")).hasMessageContaining("too large");
  }
}
