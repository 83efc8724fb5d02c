// One run of a lopsided job for bench/auto.sh, through the library API:
//   slow-reads : the CSV reader sleeps DELAY_MS after every BLOCK records, like reading blocks from
//                remote storage (the reader's time is mostly waiting, not CPU); light steps.
//   heavy-step : plain local reads; the email column is hashed HASHES times in a row (SHA-256 each),
//                so the transformers are the bottleneck.
//   plain      : plain local reads and the light steps (for the accounting on/off comparison:
//                run it with and without -Dsluice.accounting=false).
// Usage: java -cp target/sluice-*-cli.jar:CLASSES AutoBench MODE R/T/W|auto:BUDGET/W|default IN OUT
// Prints one line: "MODE SPLIT elapsed_s records settled_r/settled_t resizes".
// env: DELAY_MS (default 8), BLOCK (default 500 records), HASHES (default 12).
import dev.sluice.Sluice;
import dev.sluice.api.Columns;
import dev.sluice.api.Pipeline;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.engine.LocalEngine;
import dev.sluice.io.Formats;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

public class AutoBench {
  public static void main(String[] args) throws Exception {
    String mode = args[0];
    String split = args[1];
    Path in = Path.of(args[2]);
    Path out = Path.of(args[3]);
    long delayMs = Long.parseLong(System.getenv().getOrDefault("DELAY_MS", "8"));
    int block = Integer.parseInt(System.getenv().getOrDefault("BLOCK", "500"));
    int hashes = Integer.parseInt(System.getenv().getOrDefault("HASHES", "12"));

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
      for (int i = 0; i < hashes; i++) {
        b.step(Steps.hash("email"));
      }
      input = Formats.input(b.build().inputFormat());
    } else {
      throw new IllegalArgumentException("mode: slow-reads, heavy-step or plain, not " + mode);
    }
    PipelineSpec spec = b.build();
    RunResult r;
    try (Pipeline p = LocalEngine.create(spec, input, Formats.output(spec.outputFormat()))) {
      r = p.run();
    }
    RunResult.AutoSizing a = r.autoSizing();
    System.out.println(String.format(Locale.ROOT, "%s %s %.3f %d %d/%d %d", mode, split, r.elapsed().toNanos() / 1e9,
        r.recordsRead(), r.readers(), r.transformers(), a == null ? 0 : a.resizes()));
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
