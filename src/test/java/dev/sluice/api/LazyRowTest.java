package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.internal.LazyFields;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.Test;

/**
 * A row whose values are made on first use ({@link ApiAccess#lazyRow}) against the same row made
 * from Strings: every method gives the same, each value is made once (by one thread), and a value
 * no one asks for is never made.
 */
class LazyRowTest {
  private static final Columns COLUMNS = Columns.of("id", "email", "country");
  private static final String[] VALUES = {"7", "Ann@Example.org", "fr"};

  /** Counts how often each value is made. */
  private static final class Counting extends LazyFields {
    final AtomicIntegerArray made = new AtomicIntegerArray(VALUES.length);

    @Override
    public String value(int i) {
      made.incrementAndGet(i);
      // A new instance each time, as a decoder makes.
      return new String(VALUES[i].toCharArray());
    }
  }

  @Test
  void makesOnlyWhatIsAskedForAndEachValueOnce() {
    Counting f = new Counting();
    Row r = ApiAccess.lazyRow(COLUMNS, f);
    assertThat(r.get("email")).isEqualTo("Ann@Example.org");
    assertThat(r.get(1)).isSameAs(r.get("email"));
    assertThat(f.made.get(0)).isZero();
    assertThat(f.made.get(1)).isEqualTo(1);
    assertThat(f.made.get(2)).isZero();
    assertThat(r.size()).isEqualTo(3);
    assertThat(r.columns()).isSameAs(COLUMNS);
  }

  @Test
  void behavesAsTheRowOfItsValues() {
    Row eager = Row.of(COLUMNS, VALUES);
    assertThat(ApiAccess.lazyRow(COLUMNS, new Counting())).isEqualTo(eager);
    assertThat(eager).isEqualTo(ApiAccess.lazyRow(COLUMNS, new Counting()));
    assertThat(ApiAccess.lazyRow(COLUMNS, new Counting()).hashCode()).isEqualTo(eager.hashCode());
    assertThat(ApiAccess.lazyRow(COLUMNS, new Counting()).values()).containsExactly(VALUES);
    assertThat(ApiAccess.lazyRow(COLUMNS, new Counting()).toArray()).containsExactly(VALUES);
    assertThat(ApiAccess.lazyRow(COLUMNS, new Counting()).toString()).isEqualTo(eager.toString());
    Row changed = ApiAccess.lazyRow(COLUMNS, new Counting()).with("country", "FR");
    assertThat(changed).isEqualTo(eager.with("country", "FR"));
  }

  @Test
  void stepsSeeTheSameValues() throws Exception {
    CollectingEmitter lazy = new CollectingEmitter();
    CollectingEmitter eager = new CollectingEmitter();
    Step chain = Steps.rename("email", "mail");
    chain.apply(ApiAccess.lazyRow(COLUMNS, new Counting()), lazy);
    chain.apply(Row.of(COLUMNS, VALUES), eager);
    assertThat(lazy.rows).isEqualTo(eager.rows);
    assertThat(lazy.rows.get(0).get("mail")).isEqualTo("Ann@Example.org");
  }

  @Test
  void threadsAskingAtOnceAllGetTheValue() throws Exception {
    int threads = 4;
    ExecutorService pool = Executors.newFixedThreadPool(threads);
    try {
      for (int round = 0; round < 200; round++) {
        Row r = ApiAccess.lazyRow(COLUMNS, new Counting());
        CyclicBarrier start = new CyclicBarrier(threads);
        List<Future<String>> got = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          got.add(
              pool.submit(
                  () -> {
                    start.await(10, TimeUnit.SECONDS);
                    return r.get(1) + "|" + r.get(2) + "|" + r.get(0);
                  }));
        }
        for (Future<String> g : got) {
          assertThat(g.get(10, TimeUnit.SECONDS)).isEqualTo("Ann@Example.org|fr|7");
        }
      }
    } finally {
      pool.shutdownNow();
      assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
    }
  }
}
