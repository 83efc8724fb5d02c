package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class StepsTest {
  private static final Columns ORDERS = Columns.of("order_id", "email", "status", "amount");

  private static Row order(String... values) {
    return Row.of(ORDERS, values);
  }

  @Test
  void selectKeepsTheNamedColumnsInTheGivenOrder() throws Exception {
    Step step = Steps.select("amount", "order_id");

    StepChain chain = new StepChain(ORDERS, step);
    CollectingEmitter out = chain.run(List.of(order("7", "a@x.org", "SHIPPED", "12.50")));

    assertThat(chain.output().names()).containsExactly("amount", "order_id");
    assertThat(out.values()).containsExactly(List.of("12.50", "7"));
  }

  @Test
  void selectReturnsTheSameOutputInstanceForTheSameInput() {
    Step step = Steps.select("email");

    Columns first = step.outputColumns(ORDERS);

    assertThat(step.outputColumns(ORDERS)).isSameAs(first);
    assertThat(step.outputColumns(Columns.of(ORDERS.names()))).isSameAs(first);
  }

  @Test
  void selectResolvesPositionsPerInputWhenHeadersDifferAndAlternate() throws Exception {
    Step step = Steps.select("b");
    Columns ab = Columns.of("a", "b");
    Columns ba = Columns.of("b", "a");
    Columns abc = Columns.of("x", "a", "b");

    CollectingEmitter out =
        CollectingEmitter.apply(
            step,
            Row.of(ab, "a1", "b1"),
            Row.of(ba, "b2", "a2"),
            Row.of(abc, "x3", "a3", "b3"),
            Row.of(ab, "a4", "b4"),
            Row.of(ba, "b5", "a5"));

    assertThat(out.values())
        .containsExactly(List.of("b1"), List.of("b2"), List.of("b3"), List.of("b4"), List.of("b5"));
  }

  @Test
  void stepsStayCorrectWithMoreDistinctHeadersThanTheyKeepAtHand() throws Exception {
    Step step = Steps.upper("v");
    for (int round = 0; round < 3; round++) {
      for (int width = 1; width <= 20; width++) {
        // Column v moves one place to the right with each header.
        String[] names = new String[width];
        String[] values = new String[width];
        for (int i = 0; i < width; i++) {
          names[i] = i == width - 1 ? "v" : "p" + i;
          values[i] = i == width - 1 ? "value" : "keep";
        }
        Columns columns = Columns.of(names);
        assertThat(step.outputColumns(columns)).isSameAs(columns);

        CollectingEmitter out = CollectingEmitter.apply(step, Row.of(columns, values));

        assertThat(out.rows.get(0).get("v")).isEqualTo("VALUE");
        assertThat(out.rows.get(0).values().subList(0, width - 1))
            .isEqualTo(Collections.nCopies(width - 1, "keep"));
      }
    }
  }

  @Test
  void dropRemovesTheNamedColumnsAndKeepsTheOthersInOrder() throws Exception {
    StepChain chain = new StepChain(ORDERS, Steps.drop("email", "order_id"));

    CollectingEmitter out = chain.run(List.of(order("7", "a@x.org", "SHIPPED", "12.50")));

    assertThat(chain.output().names()).containsExactly("status", "amount");
    assertThat(out.values()).containsExactly(List.of("SHIPPED", "12.50"));
  }

  @Test
  void dropRemovesEveryColumnOfARepeatedName() throws Exception {
    Columns repeated = Columns.of("a", "b", "a");
    StepChain chain = new StepChain(repeated, Steps.drop("a"));

    CollectingEmitter out = chain.run(List.of(Row.of(repeated, "1", "2", "3")));

    assertThat(chain.output().names()).containsExactly("b");
    assertThat(out.values()).containsExactly(List.of("2"));
  }

  @Test
  void renameChangesOnlyTheNameAndKeepsPositionAndValues() throws Exception {
    StepChain chain = new StepChain(ORDERS, Steps.rename("order_id", "id"));

    CollectingEmitter out = chain.run(List.of(order("7", "a@x.org", "SHIPPED", "12.50")));

    assertThat(chain.output().names()).containsExactly("id", "email", "status", "amount");
    assertThat(out.values()).containsExactly(List.of("7", "a@x.org", "SHIPPED", "12.50"));
  }

  @Test
  void renameToTheSameNameKeepsTheInputColumns() {
    assertThat(Steps.rename("email", "email").outputColumns(ORDERS)).isSameAs(ORDERS);
  }

  @Test
  void renameOntoAnExistingColumnFailsBeforeAnyRow() {
    Step step = Steps.rename("order_id", "email");

    assertThatThrownBy(() -> step.outputColumns(ORDERS))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("rename(order_id,email)")
        .hasMessageContaining("already has a column 'email'");
  }

  @Test
  void upperAndLowerUseTheRootLocaleUnderATurkishDefault() throws Exception {
    Locale saved = Locale.getDefault();
    Locale.setDefault(new Locale("tr", "TR"));
    try {
      Columns c = Columns.of("a", "b");
      // The default locale would give "TİTLE" and "tıtle".
      assertThat("title".toUpperCase()).isEqualTo("TİTLE");

      CollectingEmitter up = CollectingEmitter.apply(Steps.upper("a"), Row.of(c, "title", "i"));
      CollectingEmitter low = CollectingEmitter.apply(Steps.lower("a"), Row.of(c, "TITLE", "I"));

      assertThat(up.values()).containsExactly(List.of("TITLE", "i"));
      assertThat(low.values()).containsExactly(List.of("title", "I"));
    } finally {
      Locale.setDefault(saved);
    }
  }

  @Test
  void valueStepsPassUnchangedRowsOnWithoutCopying() throws Exception {
    Row row = order("7", "A@X.ORG", "SHIPPED", "1");

    CollectingEmitter out = CollectingEmitter.apply(Steps.upper("email", "status"), row);

    assertThat(out.rows).singleElement().isSameAs(row);
  }

  @Test
  void trimStripsUnicodeWhiteSpaceButNotNoBreakSpaceOrControlCharacters() throws Exception {
    Columns c = Columns.of("a", "b", "c", "d");
    Row row = Row.of(c, " \t x y \r\n", "\u3000wide\u2003", "\u00a0nbsp\u00a0", "\u0000nul ");

    CollectingEmitter out = CollectingEmitter.apply(Steps.trim("a", "b", "c", "d"), row);

    assertThat(out.values())
        .containsExactly(List.of("x y", "wide", "\u00a0nbsp\u00a0", "\u0000nul"));
  }

  @Test
  void replaceSubstitutesEveryMatchWithJavaGroupSyntax() throws Exception {
    Columns c = Columns.of("phone", "email");
    Row row = Row.of(c, "+44 (20) 7946-0000", "ann@example.org");

    CollectingEmitter phone = CollectingEmitter.apply(Steps.replace("phone", "[^0-9+]", ""), row);
    CollectingEmitter email =
        CollectingEmitter.apply(Steps.replace("email", "^[^@]*@(.*)$", "***@$1"), row);
    CollectingEmitter named =
        CollectingEmitter.apply(Steps.replace("email", "(?<user>[^@]*)@", "${user} at \\$ "), row);

    assertThat(phone.values()).containsExactly(List.of("+442079460000", "ann@example.org"));
    assertThat(email.values()).containsExactly(List.of("+44 (20) 7946-0000", "***@example.org"));
    assertThat(named.values())
        .containsExactly(List.of("+44 (20) 7946-0000", "ann at $ example.org"));
  }

  @Test
  void replaceRejectsABadRegexAtOnce() {
    assertThatThrownBy(() -> Steps.replace("email", "(", "x"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("replace(email): bad regular expression '('")
        .hasCauseInstanceOf(java.util.regex.PatternSyntaxException.class);
  }

  @ParameterizedTest
  @MethodSource
  void replaceRejectsAReplacementThatMatcherWouldRejectMidRun(
      String regex, String replacement, String problem) {
    assertThatThrownBy(() -> Steps.replace("email", regex, replacement))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("bad replacement '" + replacement + "'")
        .hasMessageContaining(problem);
    // The same mistake that Matcher reports only on a match:
    assertThatThrownBy(
            () -> java.util.regex.Pattern.compile(regex).matcher("a@b").replaceAll(replacement))
        .isInstanceOfAny(IllegalArgumentException.class, IndexOutOfBoundsException.class);
  }

  static Stream<Arguments> replaceRejectsAReplacementThatMatcherWouldRejectMidRun() {
    return Stream.of(
        Arguments.of("(a)@", "$2", "refers to group 2 but the regex has 1 group(s)"),
        Arguments.of("a@", "x$", "lone $"),
        Arguments.of("a@", "x\\", "lone \\"),
        Arguments.of("a@", "$x", "$ must be followed by a group number"),
        Arguments.of("(?<u>a)@", "${v}", "no group named 'v'"),
        Arguments.of("(?<u>a)@", "${u", "${ has no closing }"),
        Arguments.of("(?<u>a)@", "${1u}", "is not a group name"));
  }

  @Test
  void replaceAcceptsMultiDigitReferencesTheWayMatcherReadsThem() throws Exception {
    // "$10" with one group is group 1 followed by a literal 0.
    Columns c = Columns.of("a");
    CollectingEmitter out =
        CollectingEmitter.apply(Steps.replace("a", "(b)", "$10"), Row.of(c, "abc"));

    assertThat(out.values()).containsExactly(List.of("ab0c"));
  }

  @Test
  void hashGivesTheLowerCaseHexSha256OfTheUtf8Bytes() throws Exception {
    Columns c = Columns.of("empty", "abc", "accent", "other");
    Row row = Row.of(c, "", "abc", "\u00e9", "kept");

    CollectingEmitter out = CollectingEmitter.apply(Steps.hash("empty", "abc", "accent"), row);

    assertThat(out.values())
        .containsExactly(
            List.of(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855",
                "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
                "4a99557e4033c3539de2eb65472017cad5f9557f7a0625a09f1c3f6e2ba69c4c",
                "kept"));
  }

  @Test
  void chainedSelectRenameUpperProducesTheRenamedUpperCasedColumns() throws Exception {
    StepChain chain =
        new StepChain(
            ORDERS,
            Steps.select("status", "email"),
            Steps.rename("email", "mail"),
            Steps.upper("mail"));

    CollectingEmitter out =
        chain.run(
            List.of(order("1", "ann@x.org", "SHIPPED", "5"), order("2", "bob@x.org", "NEW", "6")));

    assertThat(chain.output().names()).containsExactly("status", "mail");
    assertThat(out.values())
        .containsExactly(List.of("SHIPPED", "ANN@X.ORG"), List.of("NEW", "BOB@X.ORG"));
    assertThat(out.warnings).isEmpty();
  }

  static Stream<Arguments> stepsNamingColumnNope() {
    return Stream.<Supplier<Step>>of(
            () -> Steps.filter("nope == 1"),
            () -> Steps.select("email", "nope"),
            () -> Steps.drop("nope"),
            () -> Steps.rename("nope", "x"),
            () -> Steps.upper("nope"),
            () -> Steps.lower("email", "nope"),
            () -> Steps.trim("nope"),
            () -> Steps.replace("nope", "a", "b"),
            () -> Steps.hash("nope"))
        .map(s -> Arguments.of(s.get()));
  }

  @ParameterizedTest
  @MethodSource("stepsNamingColumnNope")
  void aMissingColumnFailsInOutputColumnsNamingTheColumn(Step step) {
    assertThatThrownBy(() -> step.outputColumns(ORDERS))
        .isInstanceOfSatisfying(
            MissingColumnException.class, e -> assertThat(e.column()).isEqualTo("nope"))
        .hasMessageContaining("'nope'")
        .hasMessageContaining("order_id, email, status, amount");
  }

  @ParameterizedTest
  @MethodSource("stepsNamingColumnNope")
  void aRowWithoutTheColumnFailsInApplyToo(Step step) {
    Row row = order("1", "a@x.org", "NEW", "3");

    assertThatThrownBy(() -> step.apply(row, new CollectingEmitter()))
        .isInstanceOf(MissingColumnException.class)
        .hasMessageContaining("'nope'");
  }

  @Test
  void describeNamesTheStepAndItsArguments() {
    assertThat(Steps.filter("  amount > 100 ").describe()).isEqualTo("filter(amount > 100)");
    assertThat(Steps.select("order_id", "email").describe()).isEqualTo("select(order_id,email)");
    assertThat(Steps.drop("email").describe()).isEqualTo("drop(email)");
    assertThat(Steps.rename("a", "b").describe()).isEqualTo("rename(a,b)");
    assertThat(Steps.upper("a", "b").describe()).isEqualTo("upper(a,b)");
    assertThat(Steps.lower("a").describe()).isEqualTo("lower(a)");
    assertThat(Steps.trim("a").describe()).isEqualTo("trim(a)");
    assertThat(Steps.replace("a", "x+", "$0!").describe()).isEqualTo("replace(a,'x+','$0!')");
    assertThat(Steps.hash("email").describe()).isEqualTo("hash(email)");
    assertThat(Steps.hash("email")).hasToString("hash(email)");
  }

  @Test
  void factoriesRejectMissingColumnListsSayingHowToFixThem() {
    assertThatThrownBy(() -> Steps.select())
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("select: no columns given; name at least one, e.g. Steps.select(\"email\")");
    assertThatThrownBy(() -> Steps.hash((String[]) null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("hash: no columns given");
  }

  @Test
  void factoriesRejectNullEmptyAndRepeatedColumnNames() {
    assertThatThrownBy(() -> Steps.drop("a", null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("drop: column 2 is null; pass a column name");
    assertThatThrownBy(() -> Steps.upper(""))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("upper: column 1 is empty; pass a column name such as \"email\"");
    assertThatThrownBy(() -> Steps.hash("email", "email"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("hash: column 'email' is listed twice; list each column once");
    assertThatThrownBy(() -> Steps.rename("a", null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("rename: to is null; pass a column name");
    assertThatThrownBy(() -> Steps.rename("", "b"))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("rename: from is empty");
    assertThatThrownBy(() -> Steps.replace("a", null, ""))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("replace: regex is null; pass a regular expression");
    assertThatThrownBy(() -> Steps.replace("a", "x", null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("replace: replacement is null; pass \"\" to delete the matches");
    assertThatThrownBy(() -> Steps.filter(null))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("filter expression is null; expected 'column OP value'");
  }

  @Test
  void factoriesCopyTheirColumnArrays() throws Exception {
    String[] columns = {"email"};
    Step step = Steps.upper(columns);
    columns[0] = "status";

    CollectingEmitter out = CollectingEmitter.apply(step, order("1", "a@x", "new", "2"));

    assertThat(out.values()).containsExactly(List.of("1", "A@X", "new", "2"));
  }

  @Test
  void javadocExampleBuildsASpec() {
    // Keep in step with the example in Steps' class javadoc.
    PipelineSpec spec =
        PipelineSpec.builder()
            .input(Path.of("in"))
            .output(Path.of("out"))
            .step(Steps.filter("status == SHIPPED"))
            .step(Steps.select("order_id", "email", "amount"))
            .step(Steps.rename("order_id", "id"))
            .step(Steps.trim("email"))
            .step(Steps.lower("email"))
            .step(Steps.hash("email"))
            .build();

    assertThat(spec.steps())
        .extracting(Step::describe)
        .containsExactly(
            "filter(status == SHIPPED)",
            "select(order_id,email,amount)",
            "rename(order_id,id)",
            "trim(email)",
            "lower(email)",
            "hash(email)");
  }

  @Test
  void javadocExampleRunsOnRows() throws Exception {
    StepChain chain =
        new StepChain(
            ORDERS,
            Steps.filter("status == SHIPPED"),
            Steps.select("order_id", "email", "amount"),
            Steps.rename("order_id", "id"),
            Steps.trim("email"),
            Steps.lower("email"),
            Steps.hash("email"));

    CollectingEmitter out =
        chain.run(
            List.of(
                order("1", " Ann@Example.org ", "SHIPPED", "10"),
                order("2", "bob@example.org", "NEW", "20")));

    assertThat(chain.output().names()).containsExactly("id", "email", "amount");
    assertThat(out.values())
        .containsExactly(
            List.of("1", "438c4c7afe600cdf1e455c369bec76dc970fc8ca463447c7b387a347f3c79331", "10"));
  }
}
