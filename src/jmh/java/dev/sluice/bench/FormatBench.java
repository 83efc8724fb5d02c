package dev.sluice.bench;

import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.cli.BenchData;
import dev.sluice.internal.io.Formats;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
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
 * The format path (issue #6, figure 6): rows of a 1,000-record batch to CSV text to UTF-8 bytes
 * that leave the thread for a writer. Scores and {@code gc.alloc.rate.norm} are per record.
 *
 * <ul>
 *   <li>{@code freshPerRecord}: a new builder per record, its bytes handed on one record at a time.
 *   <li>{@code threadLocalPerRecord}: a {@code ThreadLocal} builder, encoder and byte buffer looked
 *       up per record; each record's bytes are still copied out, since they leave the thread.
 *   <li>{@code freshPerBatch}: a new builder per batch, {@code toString().getBytes()}.
 *   <li>{@code threadLocalPerBatch}: the engine's scheme with the buffers from a {@code
 *       ThreadLocal} looked up once per batch.
 *   <li>{@code ownedPerBatch}: the engine's scheme ({@code TransformerWorker}) until issue #6:
 *       builder, encoder and byte buffer owned by the transformer thread, the encoder reading the
 *       builder through {@code CharBuffer.wrap(CharSequence)}, one exact-size copy per batch.
 *   <li>{@code ownedPerBatchCharArray}: the same, the text first copied into an owned char array so
 *       that the encoder gets an array-backed buffer (its fast loop).
 *   <li>{@code ownedPerBatchToString}: owned builder, {@code toString().getBytes()} (fast, but
 *       replaces characters the charset cannot encode instead of reporting them).
 * </ul>
 *
 * <p>Not thread-safe: JMH gives each benchmark thread its own state.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@OperationsPerInvocation(FormatBench.BATCH)
public class FormatBench {
  static final int BATCH = 1000;

  private static final ThreadLocal<Buffers> LOCAL = ThreadLocal.withInitial(Buffers::new);

  private Row[] rows;
  private RecordFormatter formatter;
  private Buffers owned;

  /** A thread's reusable text builder, encoder and byte buffer, as TransformerWorker keeps them. */
  static final class Buffers {
    final StringBuilder text = new StringBuilder(64 * 1024);
    final CharsetEncoder encoder = StandardCharsets.UTF_8.newEncoder();
    ByteBuffer bytes = ByteBuffer.allocate(64 * 1024);
    char[] chars = new char[64 * 1024];

    /**
     * As {@link #encode}, from a copy of the text in a reused char array (an array-backed buffer).
     */
    ByteBuffer encodeFromArray() {
      int n = text.length();
      if (chars.length < n) {
        chars = new char[Math.max(n, chars.length * 2)];
      }
      text.getChars(0, n, chars, 0);
      return encode(CharBuffer.wrap(chars, 0, n), n);
    }

    /** Encodes {@code text} into the byte buffer, growing it as needed; returns it flipped. */
    ByteBuffer encode() {
      return encode(CharBuffer.wrap(text), text.length());
    }

    private ByteBuffer encode(CharBuffer in, int length) {
      long need = (long) (length * (double) encoder.averageBytesPerChar()) + 16;
      if (bytes.capacity() < need) {
        bytes = ByteBuffer.allocate((int) need);
      }
      bytes.clear();
      encoder.reset();
      while (true) {
        CoderResult r = encoder.encode(in, bytes, true);
        if (r.isUnderflow()) {
          r = encoder.flush(bytes);
        }
        if (r.isUnderflow()) {
          break;
        }
        if (!r.isOverflow()) {
          throw new IllegalStateException(r.toString());
        }
        ByteBuffer bigger = ByteBuffer.allocate(bytes.capacity() * 2);
        bytes.flip();
        bigger.put(bytes);
        bytes = bigger;
      }
      bytes.flip();
      return bytes;
    }

    byte[] encodeCopy() {
      ByteBuffer b = encode();
      return Arrays.copyOf(b.array(), b.limit());
    }
  }

  @Setup
  public void setUp() {
    rows = BenchData.t1Rows(BATCH);
    formatter = Formats.output(Format.csv()).newFormatter();
    owned = new Buffers();
  }

  @Benchmark
  public void freshPerRecord(Blackhole bh) {
    for (Row r : rows) {
      StringBuilder sb = new StringBuilder();
      formatter.record(r, sb);
      bh.consume(sb.toString().getBytes(StandardCharsets.UTF_8));
    }
  }

  @Benchmark
  public void threadLocalPerRecord(Blackhole bh) {
    for (Row r : rows) {
      Buffers b = LOCAL.get();
      b.text.setLength(0);
      formatter.record(r, b.text);
      bh.consume(b.encodeCopy());
    }
  }

  @Benchmark
  public byte[] freshPerBatch() {
    StringBuilder sb = new StringBuilder();
    for (Row r : rows) {
      formatter.record(r, sb);
    }
    return sb.toString().getBytes(StandardCharsets.UTF_8);
  }

  @Benchmark
  public byte[] threadLocalPerBatch() {
    return batch(LOCAL.get());
  }

  @Benchmark
  public byte[] ownedPerBatch() {
    return batch(owned);
  }

  @Benchmark
  public byte[] ownedPerBatchCharArray() {
    Buffers b = owned;
    format(b);
    ByteBuffer out = b.encodeFromArray();
    return Arrays.copyOf(out.array(), out.limit());
  }

  @Benchmark
  public byte[] ownedPerBatchToString() {
    Buffers b = owned;
    format(b);
    return b.text.toString().getBytes(StandardCharsets.UTF_8);
  }

  private void format(Buffers b) {
    b.text.setLength(0);
    for (Row r : rows) {
      formatter.record(r, b.text);
    }
  }

  private byte[] batch(Buffers b) {
    b.text.setLength(0);
    for (Row r : rows) {
      formatter.record(r, b.text);
    }
    return b.encodeCopy();
  }
}
