package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class EscapeFormulasStepTest {
  private static Row escape(String... values) throws Exception {
    Columns c = Columns.positional(values.length);
    List<Row> out = new ArrayList<>();
    Steps.escapeFormulas()
        .apply(
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
  void shouldPrefixCellsThatSpreadsheetsWouldRunAsFormulas() throws Exception {
    assertThat(
            escape(
                    "=HYPERLINK(\"http://x\")",
                    "@SUM(A1)",
                    "+cmd|' /C calc'!A0",
                    "-2+3",
                    "\tx",
                    "\ry")
                .values())
        .containsExactly(
            "'=HYPERLINK(\"http://x\")",
            "'@SUM(A1)",
            "'+cmd|' /C calc'!A0",
            "'-2+3",
            "'\tx",
            "'\ry");
  }

  @Test
  void shouldLeaveNumbersAndOrdinaryTextAlone() throws Exception {
    Row plain = escape("-12.5", "+3", "-1e5", ".5", "", "a=b", "plain", "x@y");
    assertThat(plain.values())
        .containsExactly("-12.5", "+3", "-1e5", ".5", "", "a=b", "plain", "x@y");
  }

  @Test
  void shouldSurviveSerialization() throws Exception {
    Step s = StepsSerializationTest.roundTrip(Steps.escapeFormulas());
    assertThat(s.describe()).isEqualTo("escapeFormulas");
  }
}
