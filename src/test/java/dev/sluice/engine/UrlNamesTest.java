package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.spi.InputFile;
import java.net.URI;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.StringLength;
import org.junit.jupiter.api.Test;

/** Names of URL inputs: never escaping, never hidden, distinct, independent of the list's order. */
class UrlNamesTest {
  private static String base(String url) {
    return UrlNames.base(URI.create(url));
  }

  @Test
  void shouldNameAUrlByItsDecodedPath() {
    assertThat(base("https://h/data/2026/orders.csv")).isEqualTo("data/2026/orders.csv");
    assertThat(base("https://h/data/my%20orders.csv.gz")).isEqualTo("data/my orders.csv.gz");
    assertThat(base("https://h/")).isEqualTo("index");
    assertThat(base("https://h")).isEqualTo("index");
    assertThat(base("https://h/a.csv?x=1#frag")).isEqualTo("a.csv");
  }

  @Test
  void shouldDropEveryWayOfClimbingOutOfTheOutputDirectory() {
    assertThat(base("https://h/a/../../etc/passwd")).isEqualTo("a/etc/passwd");
    assertThat(base("https://h/%2e%2e/%2E%2e/x.csv")).isEqualTo("x.csv");
    assertThat(base("https://h/a%2F..%2F..%2Fb.csv")).isEqualTo("a/b.csv");
    assertThat(base("https://h/a%5C..%5Cb.csv")).isEqualTo("a/b.csv");
    assertThat(base("https://h//abs//x.csv")).isEqualTo("abs/x.csv");
    assertThat(base("https://h/C:%5Cwin/x.csv")).isEqualTo("C_/win/x.csv");
    assertThat(base("https://h/.git/config")).isEqualTo("_git/config");
    assertThat(base("https://h/a/%00b%0A.csv")).isEqualTo("a/_b_.csv");
    assertThat(base("https://h/.../x")).isEqualTo("x");
    // Decoded once only: a double-encoded dot pair is a harmless literal name.
    assertThat(base("https://h/%252e%252e/x")).isEqualTo("%2e%2e/x");
  }

  @Test
  void shouldTellClashingNamesApartWhateverTheOrder() {
    List<URI> urls =
        List.of(
            URI.create("https://a.example/d/x.csv"),
            URI.create("https://b.example/d/x.csv"),
            URI.create("https://a.example/d/x.csv?page=2"),
            URI.create("https://a.example/d/X.CSV"),
            URI.create("https://a.example/d/y.csv.gz"));
    List<String> names = UrlNames.names(urls);
    assertThat(names.subList(0, 4))
        .allMatch(n -> n.matches("d/[xX]-[0-9a-f]{8}\\.(csv|CSV)"))
        .doesNotHaveDuplicates();
    assertThat(names.get(4)).isEqualTo("d/y.csv.gz");
    List<URI> reversed = new ArrayList<>(urls);
    Collections.reverse(reversed);
    List<String> again = UrlNames.names(reversed);
    Collections.reverse(again);
    assertThat(again).isEqualTo(names);
    assertThat(UrlNames.withSuffix("d/y.csv.gz", "-1")).isEqualTo("d/y-1.csv.gz");
    assertThat(UrlNames.withSuffix("d/y", "-1")).isEqualTo("d/y-1");
  }

  @Test
  void shouldListUrlsAfterTheFilesOnceEach() {
    List<InputFile> files =
        new Listing(List.of(), w -> {})
            .list(
                List.of(),
                List.of(
                    URI.create("http://h/b.csv"),
                    URI.create("http://h/a.csv"),
                    URI.create("http://h/b.csv")));
    assertThat(files).extracting(InputFile::relativeName).containsExactly("b.csv", "a.csv");
    assertThat(files).extracting(InputFile::id).containsExactly(0, 1);
    assertThat(files).allMatch(f -> f.isRemote() && f.size() == -1);
  }

  @Property(tries = 500)
  void aNameNeverLeavesItsDirectory(@ForAll @StringLength(max = 40) String path) {
    StringBuilder enc = new StringBuilder("/");
    for (byte b : path.getBytes(java.nio.charset.StandardCharsets.UTF_8)) {
      enc.append(String.format(java.util.Locale.ROOT, "%%%02X", b & 0xff));
    }
    String name = UrlNames.base(URI.create("http://h" + enc));
    java.nio.file.Path root = java.nio.file.Path.of("/out");
    java.nio.file.Path target = root.resolve(name).normalize();
    assertThat(target.startsWith(root) && !target.equals(root)).as(name).isTrue();
    assertThat(Stream.of(name.split("/")).collect(Collectors.toList()))
        .allMatch(
            s -> !s.isEmpty() && !s.startsWith(".") && s.indexOf('\\') < 0 && s.indexOf(0) < 0);
  }
}
