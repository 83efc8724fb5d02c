package dev.sluice.bench;

import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.cli.BenchData;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The read side (issue #6, figure 6): one generated orders file read to its last field, per file
 * (divide by {@code rows} for per-record figures). {@code sluiceReader} is the engine's CSV reader
 * (decoding reader, record scanner, Commons CSV; its large buffers are lent by the benchmark
 * thread's {@code dev.sluice.internal.io.ReadBuffers}, Commons CSV's own are allocated per file);
 * {@code commonsCsv} is Commons CSV on a buffered reader, as bench/Baselines.java parses. With 100
 * rows (W2's files) the per-file buffers weigh on every record; with 10,000 (W1's) they do not.
 *
 * <p>Not thread-safe: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class ReadBench {
  private static final CSVFormat READ =
      CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();

  @Param({"100", "10000"})
  public int rows;

  private Path dir;
  private Path file;
  private Split split;
  private InputFormatProvider input;

  @Setup(Level.Trial)
  public void setUp() throws IOException {
    dir = BenchData.tempDir();
    file = BenchData.ordersFile(dir, rows);
    split = Split.whole(new InputFile(0, file, file.getFileName().toString(), Files.size(file)));
    input = Formats.input(Format.csv());
  }

  @TearDown(Level.Trial)
  public void tearDown() throws IOException {
    Files.deleteIfExists(file);
    Files.deleteIfExists(dir);
  }

  @Benchmark
  public void sluiceReader(Blackhole bh) throws IOException {
    try (RecordReader r = input.open(split)) {
      while (r.next()) {
        bh.consume(r.values());
      }
    }
  }

  @Benchmark
  public void commonsCsv(Blackhole bh) throws IOException {
    try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(in, READ)) {
      for (CSVRecord rec : p) {
        bh.consume(rec.values());
      }
    }
  }
}
