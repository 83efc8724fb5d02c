package dev.sluice.bench.springbatch;

import java.nio.file.Path;
import java.util.Locale;
import org.springframework.batch.core.BatchStatus;
import org.springframework.batch.core.Job;
import org.springframework.batch.core.JobExecution;
import org.springframework.batch.core.JobParametersBuilder;
import org.springframework.batch.core.StepExecution;
import org.springframework.batch.core.launch.JobLauncher;
import org.springframework.context.annotation.AnnotationConfigApplicationContext;

/**
 * Spring Batch peer for bench/run.sh (the job is in {@link JobConfig}):
 *
 * <pre>java -jar bench/springbatch/target/sluice-bench-springbatch.jar T1|T2 INPUT_DIR OUTPUT_DIR THREADS</pre>
 *
 * <p>Prints "springbatch N files in S s" like Baselines.java; S covers the Spring context (with its
 * in-memory job repository) and the job, not the JVM's start.
 */
public final class SpringBatchPeer {
  private SpringBatchPeer() {}

  public static void main(String[] argv) throws Exception {
    if (argv.length != 4 || !(argv[0].equals("T1") || argv[0].equals("T2"))) {
      System.err.println("usage: java -jar sluice-bench-springbatch.jar T1|T2 INPUT_DIR OUTPUT_DIR THREADS");
      System.exit(2);
    }
    PeerArgs args = new PeerArgs(
        argv[0].equals("T2"),
        Path.of(argv[1]).toRealPath(),
        Path.of(argv[2]).toAbsolutePath().normalize(),
        Integer.parseInt(argv[3]));
    // Spring Batch logs every step execution at INFO, 2 lines per file; failures still come out.
    System.setProperty("org.slf4j.simpleLogger.defaultLogLevel", "warn");
    long t0 = System.nanoTime();
    try (AnnotationConfigApplicationContext context = new AnnotationConfigApplicationContext()) {
      context.registerBean(PeerArgs.class, () -> args);
      context.register(JobConfig.class);
      context.refresh();
      long started = System.nanoTime();
      JobExecution execution = context.getBean(JobLauncher.class).run(
          context.getBean(Job.class),
          new JobParametersBuilder()
              .addString("transform", argv[0])
              .addString("input", args.input().toString())
              .addString("output", args.output().toString())
              .toJobParameters());
      if (execution.getStatus() != BatchStatus.COMPLETED) {
        System.err.println("springbatch: job " + execution.getStatus() + " " + execution.getExitStatus());
        execution.getAllFailureExceptions().forEach(e -> e.printStackTrace());
        System.exit(1);
      }
      long files = execution.getStepExecutions().stream()
          .map(StepExecution::getStepName)
          .filter(name -> name.startsWith(JobConfig.WORKER + ":"))
          .count();
      long end = System.nanoTime();
      System.out.printf(Locale.ROOT, "springbatch %d files in %.3f s (%d threads; Spring context %.3f s of it)%n",
          files, (end - t0) / 1e9, args.threads(), (started - t0) / 1e9);
    }
  }
}
