package dev.sluice;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import java.nio.file.Path;

/**
 * The job the crash tests run in a child JVM (and in-process for the reference): T2-like steps,
 * skip policy (so some files have reject files), a state directory. Exit 0, 3 with rejects, 1 on
 * failure; a deliberate crash point halts with 97.
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
        .step(Steps.filter("status == SHIPPED"))
        .step(Steps.select("order_id", "customer_name", "email", "country", "amount"))
        .step(Steps.upper("country"))
        .step(Steps.hash("email"))
        .threads(2, 2, 2)
        .batchSize(200)
        .run();
  }
}
