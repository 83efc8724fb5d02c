package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.FilterExpression.Op;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class FilterExpressionTest {
  private static final String EXPECTED =
      "expected 'column OP value' where OP is one of == != < <= > >= ~";

  /** Whether {@code expression} keeps a row whose only column {@code c} holds {@code cell}. */
  private static boolean keeps(String expression, String cell) throws Exception {
    CollectingEmitter out = filter(expression, Columns.of("c"), cell);
    assertThat(out.warnings).isEmpty();
    return out.rows.size() == 1;
  }

  private static CollectingEmitter filter(String expression, Columns columns, String... values)
      throws Exception {
    Step step = Steps.filter(expression);
    Row row = Row.of(columns, values);
    assertThat(step.outputColumns(columns)).isSameAs(columns);
    CollectingEmitter out = CollectingEmitter.apply(step, row);
    // A filter emits the row itself or nothing.
    assertThat(out.rows).hasSizeLessThanOrEqualTo(1).allSatisfy(r -> assertThat(r).isSameAs(row));
    return out;
  }

  @ParameterizedTest(name = "{0} with cell {1} keeps the row: {2}")
  @CsvSource(
      delimiter = '|',
      value = {
        "c == SHIPPED      | SHIPPED  | true",
        "c == SHIPPED      | shipped  | false",
        "c == 100          | 100.0    | false",
        "c != SHIPPED      | NEW      | true",
        "c != SHIPPED      | SHIPPED  | false",
        "c < 10            | 9.99     | true",
        "c < 10            | 10       | false",
        "c <= 10           | 10.00    | true",
        "c <= 10           | 10.01    | false",
        "c > 10            | 10       | false",
        "c > 10            | 11       | true",
        "c >= 10           | 1e1      | true",
        "c >= 10           | 9        | false",
        "c > -1.5e3        | -1499.9  | true",
        "c > -1.5e3        | -1500    | false",
        "c >= -1.5e3       | -1500.00 | true",
        "c <= 0100         | 100      | true",
        "c >= 0100         | 100      | true",
        "c > 99            | 0100     | true",
        "c > 99            | +100     | true",
        "c < 0             | -0.0     | false",
        "c ~ ^A            | Ann      | true",
        "c ~ ^A            | bAnn     | false",
        "c ~ nn            | Ann      | true",
      })
  void eachOperatorComparesAsDocumented(String expression, String cell, boolean kept)
      throws Exception {
    assertThat(keeps(expression, cell)).isEqualTo(kept);
  }

  @Test
  void tildeFindsARegexAnywhereInTheCell() throws Exception {
    assertThat(keeps("c ~ '@example\\.org$'", "ann@example.org")).isTrue();
    assertThat(keeps("c ~ '@example\\.org$'", "ann@example_org")).isFalse();
    assertThat(keeps("c ~ '@example\\.org$'", "ann@example.org.evil")).isFalse();
  }

  @Test
  void theLongestOperatorWinsWithOrWithoutSpaces() {
    assertThat(FilterExpression.parse("a<=-1").op()).isEqualTo(Op.LE);
    assertThat(FilterExpression.parse("a<=-1").value()).isEqualTo("-1");
    assertThat(FilterExpression.parse("a>=1").op()).isEqualTo(Op.GE);
    assertThat(FilterExpression.parse("a<1").op()).isEqualTo(Op.LT);
    assertThat(FilterExpression.parse("a!=b").op()).isEqualTo(Op.NE);
    assertThat(FilterExpression.parse("a==b").op()).isEqualTo(Op.EQ);
    assertThat(FilterExpression.parse("a~b").op()).isEqualTo(Op.FIND);
  }

  @Test
  void aBareColumnMayHoldLettersDigitsUnderscoresDotsAndDashes() {
    FilterExpression e = FilterExpression.parse("  order.line-2_größe == 5");

    assertThat(e.column()).isEqualTo("order.line-2_größe");
    assertThat(e.value()).isEqualTo("5");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "\"order date\" == x",
        "'order date' == x",
        "`order date` == x",
        "  \"order date\"==x  ",
      })
  void aColumnMayBeQuotedWithAnyOfThreeQuotes(String expression) {
    FilterExpression e = FilterExpression.parse(expression);

    assertThat(e.column()).isEqualTo("order date");
    assertThat(e.value()).isEqualTo("x");
  }

  @Test
  void aDoubledQuoteInsideQuotesStandsForOne() {
    assertThat(FilterExpression.parse("\"say \"\"hi\"\"\" == 1").column()).isEqualTo("say \"hi\"");
    assertThat(FilterExpression.parse("`a``b` == 1").column()).isEqualTo("a`b");
    assertThat(FilterExpression.parse("name == 'O''Brien'").value()).isEqualTo("O'Brien");
    assertThat(FilterExpression.parse("name == \"a \"\"b\"\"\"").value()).isEqualTo("a \"b\"");
    assertThat(FilterExpression.parse("name == \"it's\"").value()).isEqualTo("it's");
  }

  @Test
  void aQuotedValueKeepsItsSpacesAndABareValueIsTheStrippedRest() throws Exception {
    assertThat(FilterExpression.parse("s == '  in transit '").value()).isEqualTo("  in transit ");
    assertThat(FilterExpression.parse("s ==   in transit  ").value()).isEqualTo("in transit");
    assertThat(FilterExpression.parse("s == ''").value()).isEmpty();
    assertThat(FilterExpression.parse("s == O'Brien").value()).isEqualTo("O'Brien");
    assertThat(keeps("c == 'in transit'", "in transit")).isTrue();
    assertThat(keeps("c == ''", "")).isTrue();
  }

  @Test
  void aQuotedNumberWorksWithNumericOperators() throws Exception {
    assertThat(keeps("c > '100'", "101")).isTrue();
  }

  @Test
  void aNonNumericCellFailsANumericTestWithOneWarning() throws Exception {
    Columns columns = Columns.of("id", "amount");

    CollectingEmitter out = filter("amount > 100", columns, "7", "n/a");

    assertThat(out.rows).isEmpty();
    assertThat(out.warnings)
        .containsExactly(
            "filter(amount > 100): value 'n/a' in column 'amount' is not a number; row dropped");
  }

  @ParameterizedTest
  @ValueSource(strings = {"", " 5", "5 ", "1,000", "0x10", "NaN", "Infinity", "-", "1e", "5%"})
  void cellsThatBigDecimalRejectsAreNotNumbers(String cell) throws Exception {
    CollectingEmitter out = filter("c <= 100", Columns.of("c"), cell);

    assertThat(out.rows).isEmpty();
    assertThat(out.warnings).singleElement().asString().contains("'" + cell + "'");
  }

  @Test
  void theWarningShowsAtMostFortyCharactersOfTheCell() throws Exception {
    String cell = "x".repeat(39) + "\uD83D\uDE00" + "tail";

    CollectingEmitter out = filter("c >= 1", Columns.of("c"), cell);

    assertThat(out.warnings)
        .containsExactly(
            "filter(c >= 1): value '"
                + "x".repeat(39)
                + "...' in column 'c' is not a number;"
                + " row dropped");
  }

  @ParameterizedTest(name = "[{index}] \"{0}\"")
  @CsvSource(
      delimiter = '|',
      quoteCharacter = '^',
      value = {
        "^^                  | the expression is empty",
        "^   ^               | the expression is empty",
        "amount >            | the value is missing after '>'",
        "amount              | the operator is missing after column 'amount'",
        "amount = 5          | unknown operator at '= 5'",
        "amount <> 5         | '> 5' is not a number, and < compares numbers",
        "amount =~ x         | unknown operator at '=~ x'",
        "amount$ > 5         | unknown operator at '$ > 5'",
        "> 5                 | the column name is missing",
        "'' > 5              | the column name is missing",
        "amount > abc        | 'abc' is not a number, and > compares numbers (use == or != to compare text)",
        "amount >= 1.2.3     | '1.2.3' is not a number",
        "email ~ '('         | bad regular expression '(': Unclosed group",
        "\"order date > 5    | the column name has no closing \"",
        "s == 'open          | the value has no closing '",
        "s == 'a' b          | unexpected text after the quoted value: 'b'",
      })
  void aBadExpressionFailsAtOnceSayingWhatIsWrongAndTheExpectedForm(
      String expression, String problem) {
    assertThatThrownBy(() -> Steps.filter(expression))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("filter \"" + expression + "\": ")
        .hasMessageContaining(problem)
        .hasMessageContaining(EXPECTED);
  }

  @Test
  void theMessageForAMissingValueMatchesTheDocumentedForm() {
    assertThatThrownBy(() -> Steps.filter("amount >"))
        .hasMessage(
            "filter \"amount >\": the value is missing after '>'; expected 'column OP value' where"
                + " OP is one of == != < <= > >= ~, e.g. amount > 100 or status == 'SHIPPED'");
  }

  @Test
  void aBadRegexKeepsItsCause() {
    assertThatThrownBy(() -> Steps.filter("c ~ [a-"))
        .hasCauseInstanceOf(java.util.regex.PatternSyntaxException.class);
  }

  /** Cells for the fast-path property test: mostly near-numbers, to hit every branch. */
  private static String randomCell(Random r) {
    String alphabet = "0123456789000999-+.eE x";
    int kind = r.nextInt(10);
    if (kind < 4) {
      // Plain integers of every length around the 18-digit fast-path limit.
      StringBuilder sb = new StringBuilder();
      if (r.nextBoolean()) {
        sb.append(r.nextBoolean() ? '-' : '+');
      }
      int digits = r.nextInt(22);
      for (int i = 0; i < digits; i++) {
        sb.append((char) ('0' + r.nextInt(10)));
      }
      return sb.toString();
    } else if (kind < 6) {
      return Long.toString(r.nextLong() >> r.nextInt(64));
    } else if (kind < 8) {
      // Plain decimals such as amounts (199.00, -0.5, 100.000), around the literals and the limit.
      String whole =
          r.nextBoolean()
              ? Long.toString(r.nextInt(3) - 1 + (long) Math.pow(10, r.nextInt(4)))
              : Long.toString(r.nextLong() >>> r.nextInt(64));
      StringBuilder sb = new StringBuilder(r.nextInt(4) == 0 ? "-" : "").append(whole).append('.');
      int digits = r.nextInt(5) == 0 ? 0 : 1 + r.nextInt(20);
      for (int i = 0; i < digits; i++) {
        sb.append(r.nextInt(3) == 0 ? (char) ('0' + r.nextInt(10)) : '0');
      }
      return sb.toString();
    } else {
      StringBuilder sb = new StringBuilder();
      int n = r.nextInt(8);
      for (int i = 0; i < n; i++) {
        sb.append(alphabet.charAt(r.nextInt(alphabet.length())));
      }
      return sb.toString();
    }
  }

  @Test
  void theFastPathsAgreeWithBigDecimalOnEveryCell() {
    List<String> literals =
        List.of(
            "0",
            "-0",
            "1",
            "-1",
            "100",
            "0100",
            "1e2",
            "100.000",
            "-1.5e3",
            "1.5",
            "-0.5",
            "1e-3",
            "999999999999999999",
            "-999999999999999999",
            "1000000000000000000",
            "9223372036854775807",
            "-9223372036854775808",
            "9223372036854775808",
            "1e30");
    List<String> cells =
        new ArrayList<>(
            List.of(
                "",
                "+",
                "-",
                "-0",
                "+0",
                "00",
                "999999999999999999",
                "-999999999999999999",
                "1000000000000000000",
                "9223372036854775807",
                "-9223372036854775808",
                "9223372036854775808",
                "\u0661\u0662\u0663",
                "1\u0660\u0660",
                ".5",
                "5.",
                "1e3",
                "1E+2",
                "-1.5e3",
                " 1",
                "1 ",
                "0x1",
                "１００",
                "100.00",
                "100.01",
                "99.99",
                "-100.00",
                "-0.00",
                "-0.01",
                "0.",
                "1..0",
                "1.0.0",
                "1.-0",
                "1.+0",
                "1.e3",
                "-.5",
                "999999999999999999.9",
                "1000000000000000000.0",
                "-999999999999999999.99"));
    long seed = Long.getLong("sluice.test.seed", new Random().nextLong());
    Random random = new Random(seed);
    for (int i = 0; i < 20_000; i++) {
      cells.add(randomCell(random));
    }

    for (String literal : literals) {
      FilterExpression e = FilterExpression.parse("c >= " + literal);
      for (String cell : cells) {
        assertThat(e.compareNumber(cell))
            .as("cell '%s' against literal %s (seed %d)", cell, literal, seed)
            .isEqualTo(e.compareBigDecimal(cell));
      }
    }
  }

  @Test
  void theBigDecimalReferenceMatchesBigDecimalItself() {
    FilterExpression e = FilterExpression.parse("c > 7");

    assertThat(e.compareBigDecimal("\u0668")).isEqualTo(1); // Arabic-Indic 8
    assertThat(e.compareBigDecimal("7.000")).isZero();
    assertThat(e.compareBigDecimal("-7")).isEqualTo(-1);
    assertThat(e.compareBigDecimal("seven")).isEqualTo(FilterExpression.NOT_A_NUMBER);
  }
}
