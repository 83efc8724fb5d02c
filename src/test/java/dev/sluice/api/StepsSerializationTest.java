package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.ObjectInputStream;
import java.io.ObjectOutputStream;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class StepsSerializationTest {
  private static final Columns INPUT = Columns.of("id", "email", "status", "amount");
  private static final List<Row> ROWS =
      List.of(
          Row.of(INPUT, "1", " Ann@Example.org ", "SHIPPED", "150"),
          Row.of(INPUT, "2", "bob@example.org", "NEW", "n/a"),
          Row.of(INPUT, "3", "cy@test.org", "SHIPPED", "99"));

  static Stream<Step> builtInSteps() {
    return Stream.of(
        Steps.filter("amount > 100"),
        Steps.filter("email ~ '@example\\.org'"),
        Steps.filter("status == SHIPPED"),
        Steps.select("email", "id"),
        Steps.drop("status"),
        Steps.rename("email", "mail"),
        Steps.upper("email", "status"),
        Steps.lower("email"),
        Steps.trim("email"),
        Steps.replace("email", "@(.*)$", "@[$1]"),
        Steps.hash("email", "id"));
  }

  static Step roundTrip(Step step) throws Exception {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (ObjectOutputStream out = new ObjectOutputStream(bytes)) {
      out.writeObject(step);
    }
    try (ObjectInputStream in =
        new ObjectInputStream(new ByteArrayInputStream(bytes.toByteArray()))) {
      return (Step) in.readObject();
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInSteps")
  void aStepWorksTheSameAfterASerializationRoundTrip(Step step) throws Exception {
    Step copy = roundTrip(step);

    assertThat(copy).isNotSameAs(step);
    assertThat(copy.describe()).isEqualTo(step.describe());
    CollectingEmitter expected = new StepChain(INPUT, step).run(ROWS);
    StepChain copied = new StepChain(INPUT, copy);
    CollectingEmitter actual = copied.run(ROWS);
    assertThat(copied.output()).isEqualTo(step.outputColumns(INPUT));
    assertThat(actual.values()).isEqualTo(expected.values());
    assertThat(actual.warnings).isEqualTo(expected.warnings);
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInSteps")
  void aStepUsedBeforeSerializationStillWorksAfterIt(Step step) throws Exception {
    CollectingEmitter expected = new StepChain(INPUT, step).run(ROWS);

    Step copy = roundTrip(roundTrip(step));

    CollectingEmitter actual = new StepChain(INPUT, copy).run(ROWS);
    assertThat(actual.values()).isEqualTo(expected.values());
    assertThat(actual.warnings).isEqualTo(expected.warnings);
    // Headers it never saw before the trip are resolved afresh.
    Columns other = Columns.of("status", "amount", "email", "id");
    assertThat(copy.outputColumns(other)).isEqualTo(step.outputColumns(other));
  }
}
