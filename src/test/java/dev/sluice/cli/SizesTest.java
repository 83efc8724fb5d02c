package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class SizesTest {
  @Test
  void parsesPlainBytesAndBinarySuffixes() {
    assertThat(Sizes.parseBytes("65536")).isEqualTo(65536);
    assertThat(Sizes.parseBytes("64k")).isEqualTo(64 * 1024);
    assertThat(Sizes.parseBytes("64m")).isEqualTo(64L << 20);
    assertThat(Sizes.parseBytes("1g")).isEqualTo(1L << 30);
    assertThat(Sizes.parseBytes("64MiB")).isEqualTo(64L << 20);
    assertThat(Sizes.parseBytes("64MB")).isEqualTo(64L << 20);
    assertThat(Sizes.parseBytes("2 KB")).isEqualTo(2048);
    assertThat(Sizes.parseBytes("100b")).isEqualTo(100);
    assertThat(Sizes.parseBytes("1T")).isEqualTo(1L << 40);
  }

  @Test
  void parsesUnderATurkishLocaleToo() {
    // Upper-case I in "MiB"/"GIB" lower-cases to a dotless i under tr: the parser must not care.
    assertThat(Sizes.parseBytes("1GIB")).isEqualTo(1L << 30);
  }

  @Test
  void rejectsWhatIsNotASize() {
    for (String bad : new String[] {"", "k", "12q", "-5", "1.5g", "64 MiBs", "12kk"}) {
      assertThatThrownBy(() -> Sizes.parseBytes(bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void rejectsSizesBeyondALong() {
    assertThatThrownBy(() -> Sizes.parseBytes("99999999999999999999"))
        .hasMessageContaining("too large");
    assertThatThrownBy(() -> Sizes.parseBytes("9999999999999t")).hasMessageContaining("too large");
  }
}
