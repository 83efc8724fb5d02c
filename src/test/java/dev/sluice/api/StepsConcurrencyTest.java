package dev.sluice.api;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

@Timeout(60)
class StepsConcurrencyTest {
  private static final int THREADS = 8;
  private static final int ROWS_PER_HEADER = 2_000;

  static Stream<Arguments> builtInSteps() {
    return Stream.<Supplier<Step>>of(
            () -> Steps.filter("amount >= 50"),
            () -> Steps.filter("email ~ '^[a-m]'"),
            () -> Steps.filter("status != NEW"),
            () -> Steps.select("amount", "email"),
            () -> Steps.drop("id"),
            () -> Steps.rename("email", "mail"),
            () -> Steps.upper("email"),
            () -> Steps.lower("status"),
            () -> Steps.trim("email"),
            () -> Steps.replace("email", "@.*", "@x"),
            () -> Steps.hash("email", "amount"))
        .map(s -> Arguments.of(s.get().describe(), s));
  }

  /**
   * Rows from three headers, interleaved: two equal header instances and one with another order, so
   * that threads keep switching between cached positions.
   */
  private static List<Row> rows() {
    Columns a = Columns.of("id", "email", "status", "amount");
    Columns sameAsA = Columns.of("id", "email", "status", "amount");
    Columns b = Columns.of("amount", "status", "email", "id");
    List<Row> rows = new ArrayList<>();
    String[] statuses = {"NEW", "SHIPPED", "PAID"};
    for (int i = 0; i < ROWS_PER_HEADER; i++) {
      String id = Integer.toString(i);
      String email = " " + (char) ('a' + i % 26) + i + "@example.org ";
      String status = statuses[i % 3];
      String amount = i % 7 == 0 ? "n/a" : Integer.toString(i % 100);
      rows.add(Row.of(a, id, email, status, amount));
      rows.add(Row.of(b, amount, status, email, id));
      rows.add(Row.of(sameAsA, id, email, status, amount));
    }
    return rows;
  }

  /** One thread's output: values and warnings per input row, in input order. */
  private static List<Object> runAll(
      Step step, List<Row> rows, Map<Columns, Columns> expectedColumns) throws Exception {
    List<Object> results = new ArrayList<>(rows.size());
    for (Row row : rows) {
      CollectingEmitter out = CollectingEmitter.apply(step, row);
      for (Row r : out.rows) {
        if (r.columns() != expectedColumns.get(row.columns())) {
          throw new AssertionError(
              step.describe()
                  + " emitted columns "
                  + r.columns()
                  + " not the outputColumns instance");
        }
      }
      results.add(List.of(out.values(), out.warnings));
    }
    return results;
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("builtInSteps")
  void oneInstanceSharedByEightThreadsGivesTheSingleThreadedResults(
      String name, Supplier<Step> steps) throws Exception {
    List<Row> rows = rows();
    Step reference = steps.get();
    Map<Columns, Columns> referenceColumns = outputColumnsByInstance(reference, rows);
    List<Object> expected = runAll(reference, rows, referenceColumns);

    Step shared = steps.get();
    // As the engine does: outputColumns once per input instance before its rows.
    Map<Columns, Columns> sharedColumns = outputColumnsByInstance(shared, rows);
    CountDownLatch ready = new CountDownLatch(THREADS);
    CountDownLatch start = new CountDownLatch(1);
    ExecutorService pool = Executors.newFixedThreadPool(THREADS);
    try {
      List<Future<List<Object>>> futures = new ArrayList<>();
      for (int t = 0; t < THREADS; t++) {
        futures.add(
            pool.submit(
                () -> {
                  ready.countDown();
                  // Released together so that the threads really overlap on the step.
                  if (!start.await(10, SECONDS)) {
                    throw new AssertionError("start gate not opened");
                  }
                  return runAll(shared, rows, sharedColumns);
                }));
      }
      assertThat(ready.await(10, SECONDS))
          .as("threads ready, %d missing", ready.getCount())
          .isTrue();
      start.countDown();
      for (int t = 0; t < THREADS; t++) {
        assertThat(futures.get(t).get(30, SECONDS)).as("thread %d", t).isEqualTo(expected);
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, SECONDS)).as("pool terminated").isTrue();
    }
  }

  private static Map<Columns, Columns> outputColumnsByInstance(Step step, List<Row> rows) {
    Map<Columns, Columns> byInstance = new IdentityHashMap<>();
    for (Row r : rows) {
      byInstance.computeIfAbsent(r.columns(), step::outputColumns);
    }
    return byInstance;
  }
}
