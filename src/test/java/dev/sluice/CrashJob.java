package dev.sluice;

import dev.sluice.api.Emitter;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The job the crash tests run in a child JVM (and in-process for the reference): T2-like steps,
 * skip policy (so some files have reject files), a state directory. Exit 0, 3 with rejects, 1 on
 * failure; a deliberate crash point halts with 97. With {@code -Dsluice.crash.gate=N} the run's
 * N-th record (counted over all transformers) prints {@code GATE N} on stdout and holds its
 * transformer for good, so a kill sent after that line lands while the run is still going.
 */
public final class CrashJob {
  private CrashJob() {}

  public static void main(String[] args) {
    try {
      RunResult r = run(Path.of(args[0]), Path.of(args[1]));
      System.out.println(r.summary());
      System.exit(r.recordsRejected() > 0 ? 3 : 0);
    } catch (PipelineException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(1);
    }
  }

  static RunResult run(Path in, Path out) {
    return Sluice.builder()
        .input(in)
        .output(out)
        .stateDir(out.resolve(".sluice"))
        .onError(ErrorPolicy.SKIP)
        .step(new Gate())
        .step(Steps.filter("status == SHIPPED"))
        .step(Steps.select("order_id", "customer_name", "email", "country", "amount"))
        .step(Steps.upper("country"))
        .step(Steps.hash("email"))
        .threads(2, 2, 2)
        .batchSize(200)
        .run();
  }

  /**
   * Passes every row. It is part of every run of the job (the reference, crashed and rerun alike)
   * so that the job's fingerprint does not depend on whether the gate is set.
   */
  static final class Gate implements Step {
    private static final long serialVersionUID = 1L;
    private static final long AT = Long.getLong("sluice.crash.gate", -1);
    private static final AtomicLong SEEN = new AtomicLong();

    @Override
    public void apply(Row row, Emitter out) throws Exception {
      if (SEEN.incrementAndGet() == AT) {
        System.out.println("GATE " + AT);
        System.out.flush();
        new CountDownLatch(1).await(); // held until the test kills the JVM
      }
      out.emit(row);
    }

    @Override
    public String describe() {
      return "gate";
    }
  }
}
