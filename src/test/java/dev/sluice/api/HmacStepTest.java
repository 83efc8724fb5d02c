package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HmacStepTest {
  private static Row run(Step s, String... values) throws Exception {
    Columns c = Columns.of("email", "n");
    List<Row> out = new ArrayList<>();
    s.outputColumns(c);
    s.apply(
        Row.of(c, values),
        new Emitter() {
          @Override
          public void emit(Row row) {
            out.add(row);
          }

          @Override
          public void warn(String message) {}
        });
    return out.get(0);
  }

  @Test
  void shouldMatchTheRfc4231TestVector() throws Exception {
    // RFC 4231 test case 2: key "Jefe", data "what do ya want for nothing?"
    Step s = Steps.hmac("Jefe".getBytes(StandardCharsets.US_ASCII), "email");
    assertThat(run(s, "what do ya want for nothing?", "1").get(0))
        .isEqualTo("5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843");
  }

  @Test
  void shouldDifferFromAPlainHashAndBetweenKeys() throws Exception {
    String plain = run(Steps.hash("email"), "ann@example.org", "1").get(0);
    String k1 = run(Steps.hmac(new byte[] {1, 2, 3}, "email"), "ann@example.org", "1").get(0);
    String k2 = run(Steps.hmac(new byte[] {1, 2, 4}, "email"), "ann@example.org", "1").get(0);
    assertThat(k1).hasSize(64).isNotEqualTo(plain).isNotEqualTo(k2);
  }

  @Test
  void shouldRefuseAnEmptyKeyAndSurviveSerialization() throws Exception {
    assertThatThrownBy(() -> Steps.hmac(new byte[0], "email"))
        .isInstanceOf(ConfigurationException.class);
    Step s = Steps.hmac("Jefe".getBytes(StandardCharsets.US_ASCII), "email");
    Step copy = StepsSerializationTest.roundTrip(s);
    assertThat(run(copy, "what do ya want for nothing?", "1").get(0)).startsWith("5bdcc146");
  }
}
