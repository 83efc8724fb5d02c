package dev.sluice.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code sluice generate}: writes deterministic synthetic order files with {@link OrdersGenerator},
 * several files at a time.
 *
 * <p>Not thread-safe: one instance per parsed command line.
 */
@Command(
    name = "generate",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    customSynopsis = "sluice generate [--files=N] [--rows=M] [--seed=S] [--gzip] --output=DIR",
    description = {
      "Writes synthetic orders CSV files (orders-00001.csv, ...) for tests and benchmarks.",
      "Columns: " + OrdersGenerator.HEADER + ".",
      "The same seed and sizes always give byte-identical files; existing files of the same name"
          + " are replaced."
    },
    exitCodeListHeading = ExitCodes.HEADING,
    exitCodeList = {ExitCodes.OK_TEXT, ExitCodes.GENERATE_FAILED_TEXT, ExitCodes.USAGE_TEXT},
    footerHeading = "%nExample:%n",
    footer = "  sluice generate --files 8 --rows 1000000 --output bench-data --seed 7")
final class GenerateCommand implements Callable<Integer>, HasCommonOptions {
  private static final Logger log = LoggerFactory.getLogger(GenerateCommand.class);

  @ParentCommand @Nullable Main main;

  @Mixin CommonOptions common = new CommonOptions();

  @Option(
      names = "--files",
      paramLabel = "N",
      defaultValue = "1",
      description = "Number of files (default: ${DEFAULT-VALUE}).")
  int files = 1;

  @Option(
      names = "--rows",
      paramLabel = "M",
      defaultValue = "1000",
      description = "Records per file, header excluded (default: ${DEFAULT-VALUE}).")
  long rows = 1000;

  @Option(
      names = {"-o", "--output"},
      paramLabel = "DIR",
      description = "Directory for the files (created if missing). Required.")
  @Nullable String output;

  @Option(
      names = "--seed",
      paramLabel = "S",
      defaultValue = "1",
      description = "Random seed (default: ${DEFAULT-VALUE}).")
  long seed = 1;

  @Option(names = "--gzip", description = "Gzip the files (orders-00001.csv.gz).")
  boolean gzip;

  @Option(
      names = "--threads",
      paramLabel = "N",
      description = "Files written at once (default: the number of cores, at most 4).")
  @Nullable Integer threads;

  @Override
  public CommonOptions common() {
    return common;
  }

  @Override
  public Integer call() throws IOException, InterruptedException {
    common.apply();
    if (files < 1) {
      throw new UsageException("--files must be >= 1 (got " + files + ")");
    }
    if (rows < 0) {
      throw new UsageException("--rows must be >= 0 (got " + rows + ")");
    }
    int n = threads != null ? threads : Math.min(4, Runtime.getRuntime().availableProcessors());
    if (n < 1) {
      throw new UsageException("--threads must be >= 1 (got " + n + ")");
    }
    if (output == null) {
      throw new UsageException("missing required option --output=DIR");
    }
    Path dir = Path.of(output);
    Files.createDirectories(dir);
    long start = System.nanoTime();
    List<OrdersGenerator.FileStats> made = generate(dir, Math.min(n, files));
    double seconds = (System.nanoTime() - start) / 1e9;
    long bytes = made.stream().mapToLong(OrdersGenerator.FileStats::bytes).sum();
    if (!common.quiet) {
      PrintWriter out = main != null ? main.out : new PrintWriter(System.out, true);
      out.println(
          String.format(
              Locale.ROOT,
              "sluice: generated %,d files, %,d rows, %,d bytes in %s (%.1f s)",
              made.size(),
              rows * made.size(),
              bytes,
              dir,
              seconds));
      out.flush();
    }
    return ExitCodes.OK;
  }

  private List<OrdersGenerator.FileStats> generate(Path dir, int poolSize)
      throws IOException, InterruptedException {
    AtomicInteger threadNo = new AtomicInteger();
    List<Thread> threads = new java.util.concurrent.CopyOnWriteArrayList<>();
    ExecutorService pool =
        Executors.newFixedThreadPool(
            poolSize,
            r -> {
              Thread t = new Thread(r, "sluice-generate-" + threadNo.incrementAndGet());
              t.setDaemon(true);
              threads.add(t);
              return t;
            });
    try {
      List<Future<OrdersGenerator.FileStats>> futures = new ArrayList<>(files);
      for (int i = 1; i <= files; i++) {
        int index = i;
        futures.add(pool.submit(() -> OrdersGenerator.writeFile(dir, index, rows, seed, gzip)));
      }
      List<OrdersGenerator.FileStats> made = new ArrayList<>(files);
      for (Future<OrdersGenerator.FileStats> f : futures) {
        OrdersGenerator.FileStats s = get(f);
        log.info("wrote {} ({} rows, {} bytes)", s.path(), s.rows(), s.bytes());
        made.add(s);
      }
      return made;
    } finally {
      // After a failure, the files not started yet are not wanted; running ones stop on interrupt.
      pool.shutdownNow();
      pool.awaitTermination(30, TimeUnit.SECONDS);
      for (Thread t : threads) {
        t.join(TimeUnit.SECONDS.toMillis(10)); // the pool ends before its threads finish exiting
      }
    }
  }

  private static <T> T get(Future<T> f) throws IOException, InterruptedException {
    try {
      return f.get();
    } catch (ExecutionException e) {
      Throwable c = e.getCause();
      if (c instanceof IOException) {
        throw (IOException) c;
      }
      if (c instanceof RuntimeException) {
        throw (RuntimeException) c;
      }
      if (c instanceof Error) {
        throw (Error) c;
      }
      throw new IOException(c);
    }
  }
}
