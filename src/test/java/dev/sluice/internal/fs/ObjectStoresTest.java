package dev.sluice.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Telling object-store locations from local paths, without a server (no provider call made). */
class ObjectStoresTest {
  @ParameterizedTest
  @CsvSource({
    "s3://bucket/in,true",
    "S3://bucket/in,true",
    "s3x://127.0.0.1:9000/bucket,true",
    "gs://bucket,true",
    "http://host/x.csv,false",
    "https://host/x.csv,false",
    "file:///tmp/x,false",
    "C://data,false",
    "in/s3://x,false",
    "relative/dir,false"
  })
  void shouldTellObjectStoreUrisFromPathsAndUrls(String location, boolean uri) {
    assertThat(ObjectStores.isUri(location)).isEqualTo(uri);
  }

  @ParameterizedTest
  @ValueSource(strings = {"s3://key:secret@bucket/in", "s3x://k:s@127.0.0.1:9000/bucket/in"})
  void shouldRefuseCredentialsInTheUri(String location) {
    assertThatThrownBy(() -> ObjectStores.parse(location))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("credentials")
        .hasMessageNotContaining("secret");
  }

  @Test
  void shouldRefuseAUriWithoutABucket() {
    assertThatThrownBy(() -> ObjectStores.parse("s3:///in"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("no bucket");
  }

  @Test
  void shouldLeaveLocalPathsAsTheyAre() {
    Path p = Path.of("out/x.csv");
    assertThat(ObjectStores.isObjectStore(p)).isFalse();
    assertThat(ObjectStores.asDirectory(p)).isSameAs(p);
    assertThat(ObjectStores.show(p)).isEqualTo("out/x.csv");
    assertThat(ObjectStores.name(p)).isEqualTo(p.toAbsolutePath().normalize().toString());
    assertThat(ObjectStores.path("out/x.csv")).isEqualTo(p);
    assertThat(ObjectStores.isUnder(Path.of("out"), p)).isTrue();
    assertThat(ObjectStores.isUnder(Path.of("outer"), p)).isFalse();
  }
}
