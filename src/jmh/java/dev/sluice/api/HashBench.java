package dev.sluice.api;

import dev.sluice.cli.BenchData;
import java.security.MessageDigest;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The hash step (issue #6, figure 6): SHA-256 hex of 1,000 generated e-mail addresses, per record.
 * {@code newDigestPerRow} is what {@link HashStep} does (a digest from {@code getInstance} per
 * row); the others get the digest from a {@code ThreadLocal}, by cloning a prototype, or own one
 * (the floor: only the hashing and the hex string). {@code step} runs the step itself on T1 rows.
 *
 * <p>Not thread-safe: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(HashBench.N)
public class HashBench {
  static final int N = 1000;

  private static final ThreadLocal<MessageDigest> LOCAL =
      ThreadLocal.withInitial(HashStep::newDigest);

  private String[] emails;
  private Row[] rows;
  private MessageDigest owned;
  private MessageDigest prototype;
  private Step step;

  @Setup
  public void setUp() {
    rows = BenchData.t1Rows(N);
    emails = new String[N];
    for (int i = 0; i < N; i++) {
      emails[i] = rows[i].get(2);
    }
    owned = HashStep.newDigest();
    prototype = HashStep.newDigest();
    step = Steps.hash("email");
  }

  @Benchmark
  public void newDigestPerRow(Blackhole bh) {
    for (String e : emails) {
      bh.consume(HashStep.hash(HashStep.newDigest(), e));
    }
  }

  @Benchmark
  public void threadLocalDigest(Blackhole bh) {
    for (String e : emails) {
      bh.consume(HashStep.hash(LOCAL.get(), e));
    }
  }

  @Benchmark
  public void clonedDigest(Blackhole bh) throws CloneNotSupportedException {
    for (String e : emails) {
      bh.consume(HashStep.hash((MessageDigest) prototype.clone(), e));
    }
  }

  @Benchmark
  public void ownedDigest(Blackhole bh) {
    for (String e : emails) {
      bh.consume(HashStep.hash(owned, e));
    }
  }

  @Benchmark
  public void step(Blackhole bh) throws Exception {
    Emitter out =
        new Emitter() {
          @Override
          public void emit(Row row) {
            bh.consume(row);
          }

          @Override
          public void warn(String message) {
            throw new IllegalStateException(message);
          }
        };
    for (Row r : rows) {
      step.apply(r, out);
    }
  }
}
