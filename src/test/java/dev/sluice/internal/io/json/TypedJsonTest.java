package dev.sluice.internal.io.json;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.core.JsonFactory;
import dev.sluice.api.Columns;
import dev.sluice.api.Row;
import org.junit.jupiter.api.Test;

class TypedJsonTest {
  private static String format(boolean infer, String... values) {
    Columns c = Columns.positional(values.length);
    StringBuilder out = new StringBuilder();
    new JsonLinesRecordFormatter(new JsonFactory(), "\n", infer).record(Row.of(c, values), out);
    return out.toString();
  }

  @Test
  void shouldInferNumbersBooleansAndNullsButKeepCodesAsStrings() {
    assertThat(
            format(
                true, "42", "-1.50", "6.02e23", "true", "false", "", "007", "+1", "1.", "12a",
                "TRUE"))
        .isEqualTo(
            "{\"c1\":42,\"c2\":-1.50,\"c3\":6.02e23,\"c4\":true,\"c5\":false,\"c6\":null,"
                + "\"c7\":\"007\",\"c8\":\"+1\",\"c9\":\"1.\",\"c10\":\"12a\",\"c11\":\"TRUE\"}\n");
  }

  @Test
  void shouldWriteStringsByDefault() {
    assertThat(format(false, "42", "", "true"))
        .isEqualTo("{\"c1\":\"42\",\"c2\":\"\",\"c3\":\"true\"}\n");
  }

  @Test
  void plainNumbersShouldFollowJsonsGrammar() {
    assertThat(JsonLinesRecordFormatter.isPlainNumber("0")).isTrue();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("0.5")).isTrue();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("-0")).isTrue();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("1e-7")).isTrue();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("")).isFalse();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("-")).isFalse();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("1e")).isFalse();
    assertThat(JsonLinesRecordFormatter.isPlainNumber("١٢")).isFalse();
    assertThat(JsonLinesRecordFormatter.isPlainNumber(" 1")).isFalse();
  }
}
