// One run of a lopsided job for bench/auto.sh, through the library API:
//   slow-reads : the CSV reader sleeps DELAY_MS after every BLOCK records, like reading blocks from
//                remote storage (the reader's time is mostly waiting, not CPU); light steps.
//   heavy-step : plain local reads; a step burns CPU on every record (ROUNDS rounds of a 64-bit
//                mix over the email, which it replaces), so the transformers are the bottleneck. Pure
//                arithmetic on purpose: nothing shared between threads, so it scales with them.
//   plain      : plain local reads and the light steps (for the accounting on/off comparison:
//                run it with and without -Dsluice.accounting=false).
// Usage: java -cp target/sluice-*-cli.jar:CLASSES AutoBench MODE R/T/W|auto:BUDGET/W|default IN OUT
// Prints one line: "MODE SPLIT elapsed_s records settled_r/settled_t resizes".
// env: DELAY_MS (default 8), BLOCK (default 500 records), ROUNDS (default 300).
import dev.sluice.Sluice;
import dev.sluice.api.Columns;
import dev.sluice.api.Emitter;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.engine.LocalEngine;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

public class AutoBench {
  public static void main(String[] args) throws Exception {
    // The CLI jar carries Logback, which logs everything at DEBUG without a configuration: quiet it.
    ((ch.qos.logback.classic.Logger) org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME))
        .setLevel(ch.qos.logback.classic.Level.WARN);
    String mode = args[0];
    String split = args[1];
    Path in = Path.of(args[2]);
    Path out = Path.of(args[3]);
    long delayMs = Long.parseLong(System.getenv().getOrDefault("DELAY_MS", "8"));
    int block = Integer.parseInt(System.getenv().getOrDefault("BLOCK", "500"));
    int rounds = Integer.parseInt(System.getenv().getOrDefault("ROUNDS", "300"));

    PipelineSpec.Builder b = Sluice.builder().input(in).output(out).overwrite(true);
    String[] parts = split.split("/");
    if (split.equals("default")) {
      // the engine's default thread counts
    } else if (parts[0].startsWith("auto")) {
      b.autoThreads();
      if (parts[0].startsWith("auto:")) {
        b.threadBudget(Integer.parseInt(parts[0].substring(5)));
      }
      b.writers(Integer.parseInt(parts[1]));
    } else {
      b.threads(Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2]));
    }
    InputFormatProvider input;
    if (mode.equals("slow-reads") || mode.equals("plain")) {
      b.step(Steps.filter("status == SHIPPED")).step(Steps.select("order_id", "customer_name", "email", "country", "amount"))
          .step(Steps.upper("country")).step(Steps.lower("email"));
      input = Formats.input(b.build().inputFormat());
      if (mode.equals("slow-reads")) {
        input = new SlowInput(input, delayMs, block);
      }
    } else if (mode.equals("heavy-step")) {
      b.step(new Burn(rounds));
      input = Formats.input(b.build().inputFormat());
    } else {
      throw new IllegalArgumentException("mode: slow-reads, heavy-step or plain, not " + mode);
    }
    PipelineSpec spec = b.build();
    RunResult r;
    try (Pipeline p = LocalEngine.create(spec, input, Formats.output(spec.outputFormat()))) {
      r = p.run();
    }
    if (System.getenv("VERBOSE") != null) {
      System.err.println(r.summary());
    }
    RunResult.AutoSizing a = r.autoSizing();
    System.out.println(String.format(Locale.ROOT, "%s %s %.3f %d %d/%d %d", mode, split, r.elapsed().toNanos() / 1e9,
        r.recordsRead(), r.readers(), r.transformers(), a == null ? 0 : a.resizes()));
  }

  /** An expensive step: {@code rounds} rounds of a 64-bit mix over the email, which it replaces. */
  static final class Burn implements Step {
    private static final long serialVersionUID = 1L;
    private final int rounds;

    Burn(int rounds) {
      this.rounds = rounds;
    }

    @Override
    public void apply(Row row, Emitter out) {
      String v = row.get("email");
      long h = 0x9E3779B97F4A7C15L;
      for (int k = 0; k < rounds; k++) {
        for (int i = 0; i < v.length(); i++) {
          h = (h ^ v.charAt(i)) * 0x100000001B3L;
          h ^= h >>> 29;
        }
      }
      out.emit(row.with("email", Long.toHexString(h)));
    }
  }

  /** Wraps a format so that its readers wait {@code delayMs} after every {@code block} records. */
  static final class SlowInput implements InputFormatProvider {
    private final InputFormatProvider inner;
    private final long delayMs;
    private final int block;

    SlowInput(InputFormatProvider inner, long delayMs, int block) {
      this.inner = inner;
      this.delayMs = delayMs;
      this.block = block;
    }

    @Override
    public List<Split> plan(InputFile file) throws IOException {
      return inner.plan(file);
    }

    @Override
    public RecordReader open(Split split) throws IOException {
      RecordReader r = inner.open(split);
      return new RecordReader() {
        long n;

        @Override
        public Columns columns() {
          return r.columns();
        }

        @Override
        public boolean next() throws IOException {
          if (n++ % block == 0) {
            try {
              Thread.sleep(delayMs); // the latency of fetching the next block
            } catch (InterruptedException e) {
              Thread.currentThread().interrupt();
              throw new InterruptedIOException("interrupted while waiting for a block");
            }
          }
          return r.next();
        }

        @Override
        public String[] values() {
          return r.values();
        }

        @Override
        public long line() {
          return r.line();
        }

        @Override
        public long recordNumber() {
          return r.recordNumber();
        }

        @Override
        public long byteOffset() {
          return r.byteOffset();
        }

        @Override
        public int charLength() {
          return r.charLength();
        }

        @Override
        public String rawText() {
          return r.rawText();
        }

        @Override
        public long linesRead() {
          return r.linesRead();
        }

        @Override
        public long bytesRead() {
          return r.bytesRead();
        }

        @Override
        public void close() throws IOException {
          r.close();
        }
      };
    }
  }
}
