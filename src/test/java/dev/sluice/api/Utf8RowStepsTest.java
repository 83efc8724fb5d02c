package dev.sluice.api;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import java.io.ByteArrayOutputStream;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * upper, lower, hash and hmac on a row whose fields are UTF-8 bytes ({@link LazyFields#utf8Range}):
 * the values are those of the row made from Strings, and the bytes stand in for the String where
 * they can (a value the step replaces or leaves as it is is not made). The tests run in the Turkish
 * locale (the build's argLine), where a default-locale upper-case of "i" would give a dotted
 * capital I.
 */
class Utf8RowStepsTest {
  private static final Columns COLUMNS = Columns.of("id", "email", "name");
  private static final byte[] KEY = "0123456789abcdef0123456789abcdef".getBytes(UTF_8);

  /** Fields as their UTF-8 bytes in one array, as a reader keeps them; counts values made. */
  private static final class Utf8Fields extends LazyFields {
    private final String[] values;
    private final byte[] bytes;
    private final int[] starts;
    private final boolean ranges;
    final AtomicIntegerArray made;

    Utf8Fields(boolean ranges, String... values) {
      this.values = values;
      this.ranges = ranges;
      this.made = new AtomicIntegerArray(values.length);
      this.starts = new int[values.length + 1];
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      out.write('x'); // a field never starts the array, as in a reader's buffer
      for (int i = 0; i < values.length; i++) {
        starts[i] = out.size();
        out.writeBytes(values[i].getBytes(UTF_8));
      }
      starts[values.length] = out.size();
      this.bytes = out.toByteArray();
    }

    @Override
    public String value(int i) {
      made.incrementAndGet(i);
      return new String(bytes, starts[i], starts[i + 1] - starts[i], UTF_8);
    }

    @Override
    public byte[] bytes() {
      return bytes;
    }

    @Override
    public long utf8Range(int i) {
      return ranges ? range(starts[i], starts[i + 1]) : -1;
    }
  }

  private static Row one(Step step, Row in) throws Exception {
    CollectingEmitter out = CollectingEmitter.apply(step, in);
    assertThat(out.rows).hasSize(1);
    return out.rows.get(0);
  }

  @Test
  void upperLeavesAnAsciiValueThatStaysAsItIsUnmadeAndTheRowAsItIs() throws Exception {
    Utf8Fields f = new Utf8Fields(true, "7", "ANN@EXAMPLE.ORG", "fr");
    Row in = ApiAccess.lazyRow(COLUMNS, f);
    assertThat(one(Steps.upper("email"), in)).isSameAs(in);
    assertThat(f.made.get(1)).isZero();
  }

  @Test
  void upperAndLowerMapAsciiBytesWithoutMakingTheValue() throws Exception {
    Utf8Fields f = new Utf8Fields(true, "7", "title@Example.org", "Iris");
    Row upper = one(Steps.upper("email", "name"), ApiAccess.lazyRow(COLUMNS, f));
    assertThat(upper.values()).containsExactly("7", "TITLE@EXAMPLE.ORG", "IRIS");
    assertThat(f.made.get(1)).isZero();
    assertThat(f.made.get(2)).isZero();
    assertThat(f.made.get(0)).isEqualTo(1);

    Utf8Fields g = new Utf8Fields(true, "7", "TITLE@Example.ORG", "IRIS");
    Row lower = one(Steps.lower("email", "name"), ApiAccess.lazyRow(COLUMNS, g));
    assertThat(lower.values()).containsExactly("7", "title@example.org", "iris");
    assertThat(g.made.get(1)).isZero();
  }

  @Test
  void aValueBeyondAsciiTakesTheUnicodePath() throws Exception {
    Utf8Fields f = new Utf8Fields(true, "7", "straße", "ŉ İı");
    Row upper = one(Steps.upper("email", "name"), ApiAccess.lazyRow(COLUMNS, f));
    assertThat(upper.values()).containsExactly("7", "STRASSE", "ʼN İI");
    assertThat(f.made.get(1)).isEqualTo(1);
    Row lower = one(Steps.lower("name"), ApiAccess.lazyRow(COLUMNS, f));
    assertThat(lower.values()).containsExactly("7", "straße", "ŉ i̇ı");
  }

  @Test
  void hashAndHmacDigestTheBytesWithoutMakingTheValue() throws Exception {
    String[] values = {"7", "Zoë@example.org", "日本 \uD83D\uDE00"};
    Row eager = Row.of(COLUMNS, values);
    for (Step step : new Step[] {Steps.hash("email", "name"), Steps.hmac(KEY, "email", "name")}) {
      Utf8Fields f = new Utf8Fields(true, values);
      Row fromBytes = one(step, ApiAccess.lazyRow(COLUMNS, f));
      assertThat(fromBytes).isEqualTo(one(step, eager));
      assertThat(f.made.get(1)).as(step.describe()).isZero();
      assertThat(f.made.get(2)).as(step.describe()).isZero();
    }
    assertThat(one(Steps.hash("email"), eager).get("email"))
        .isEqualTo(HashStep.hash(HashStep.newDigest(), "Zoë@example.org"))
        .hasSize(64);
  }

  @Test
  void fieldsWithoutUtf8BytesTakeTheStringPath() throws Exception {
    String[] values = {"7", "ann@example.org", "Zoë"};
    for (Step step :
        new Step[] {
          Steps.upper("email", "name"),
          Steps.lower("email", "name"),
          Steps.hash("email", "name"),
          Steps.hmac(KEY, "email", "name")
        }) {
      Utf8Fields f = new Utf8Fields(false, values);
      assertThat(one(step, ApiAccess.lazyRow(COLUMNS, f)))
          .as(step.describe())
          .isEqualTo(one(step, Row.of(COLUMNS, values)));
      assertThat(f.made.get(2)).as(step.describe()).isEqualTo(1);
    }
  }
}
