package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import org.junit.jupiter.api.Test;

/** Issue 14: partition directory names are safe path elements and distinct for distinct values. */
class PartitionNamesTest {
  private static void assertSafe(String name) {
    assertThat(name.getBytes(StandardCharsets.UTF_8).length)
        .as(name)
        .isLessThanOrEqualTo(PartitionNames.MAX_VALUE_BYTES + 65);
    assertThat(name).doesNotContain("/", "\\", "\u0000").isNotEmpty();
    assertThat(name.codePoints()).noneMatch(Character::isISOControl);
  }

  private static boolean nameable(String s) {
    try {
      java.nio.file.Path.of(s);
      return true;
    } catch (java.nio.file.InvalidPathException e) {
      return false;
    }
  }

  @Test
  void valuesThatCollideAfterCleaningShouldAllGetADistinctSuffixWhateverTheirOrder() {
    List<String> names = PartitionNames.names(List.of("a/b", "a_b", "x"));
    List<String> reversed = PartitionNames.names(List.of("x", "a_b", "a/b"));

    assertThat(names.get(0)).matches("a_b-[0-9a-f]{8}");
    assertThat(names.get(1)).matches("a_b-[0-9a-f]{8}").isNotEqualTo(names.get(0));
    assertThat(names.get(2)).isEqualTo("x");
    assertThat(reversed).containsExactly(names.get(2), names.get(1), names.get(0));
  }

  @Test
  void valuesEqualButForCaseShouldBeToldApartForCaseInsensitiveFileSystems() {
    List<String> names = PartitionNames.names(List.of("DE", "de"));

    assertThat(names.get(0).toLowerCase(Locale.ROOT))
        .isNotEqualTo(names.get(1).toLowerCase(Locale.ROOT));
    assertThat(names.get(0)).startsWith("DE-");
  }

  @Test
  void longEmptyDotAndControlValuesShouldGetSafeNames() {
    String longValue = "é".repeat(300);
    List<String> names =
        PartitionNames.names(
            List.of(
                longValue,
                "",
                ".",
                "..",
                "tab\there",
                "bell\u0007",
                "rtl\u202eexe.csv",
                "\uD800lone"));

    names.forEach(PartitionNamesTest::assertSafe);
    // Under LANG=C a JDK 17 cannot name files with non-ASCII characters: they become _ as well.
    assertThat(names.get(0)).startsWith(nameable("é") ? "éé" : "__").matches(".*-[0-9a-f]{8}");
    assertThat(names.get(1)).isEqualTo(PartitionNames.EMPTY);
    assertThat(names.subList(2, 4)).containsExactly(".", ".."); // COLUMN=. is an ordinary name
    assertThat(names.get(4)).isEqualTo("tab_here");
    assertThat(names.get(5)).isEqualTo("bell_");
    assertThat(names.get(6)).isEqualTo("rtl_exe.csv");
    assertThat(names.get(7)).matches("_lone-[0-9a-f]{8}");
    assertThat(PartitionNames.column("a/b\n" + "c".repeat(200)))
        .doesNotContain("/", "\n")
        .hasSizeLessThanOrEqualTo(PartitionNames.MAX_COLUMN_BYTES);
  }

  @Test
  void aValueSpelledLikeAnotherValuesSuffixedNameShouldStillBeDistinct() {
    String suffixed = PartitionNames.names(List.of("a/b", "a_b")).get(0);

    List<String> names = PartitionNames.names(List.of("a/b", "a_b", suffixed));

    assertThat(new HashSet<>(names)).hasSize(3);
  }

  @Property(tries = 300)
  void distinctValuesShouldAlwaysGetDistinctSafeNames(@ForAll @Size(max = 12) Set<String> values) {
    List<String> list = List.copyOf(values);
    List<String> names = PartitionNames.names(list);

    names.forEach(PartitionNamesTest::assertSafe);
    Set<String> lower = new HashSet<>();
    names.forEach(n -> lower.add(n.toLowerCase(Locale.ROOT)));
    assertThat(lower).hasSize(list.size());
  }
}
