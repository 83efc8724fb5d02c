package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.Split;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The engine's shared structures under contention: many threads, many iterations, every wait
 * bounded. Iterations scale with {@code -Dsluice.stress.factor} (default 1) for a longer soak.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SharedStructuresTest {
  private static final int FACTOR = Integer.getInteger("sluice.stress.factor", 1);
  private static final long SEED = Long.getLong("sluice.stress.seed", 20261126L);
  private final ExecutorService pool = Executors.newCachedThreadPool();

  @AfterEach
  void stop() throws InterruptedException {
    pool.shutdownNow();
    assertThat(pool.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
  }

  private static PipelineException failure(int i) {
    return ApiAccess.pipelineException(
        Stage.READER, "f" + i, -1, -1, "t" + i, null, new RuntimeException("e" + i));
  }

  @Test
  void failureCollectorShouldLetExactlyOneFirstFailureWinAndKeepTheRestCapped() throws Exception {
    int threads = 16;
    for (int iteration = 0; iteration < 300 * FACTOR; iteration++) {
      AtomicInteger callbacks = new AtomicInteger();
      FailureCollector c = new FailureCollector(callbacks::incrementAndGet);
      CyclicBarrier start = new CyclicBarrier(threads);
      List<PipelineException> all = new ArrayList<>();
      List<Future<Boolean>> results = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        PipelineException e = failure(t);
        all.add(e);
        results.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  return c.fail(e);
                }));
      }
      int winners = 0;
      for (Future<Boolean> f : results) {
        winners += f.get(10, TimeUnit.SECONDS) ? 1 : 0;
      }
      assertThat(winners).isEqualTo(1);
      assertThat(callbacks.get()).isEqualTo(1);
      PipelineException first = c.first();
      assertThat(all).contains(first);
      assertThat(c.laterCount()).isEqualTo(threads - 1);
      assertThat(first.getSuppressed())
          .hasSize(FailureCollector.MAX_SUPPRESSED)
          .doesNotContain(first)
          .doesNotHaveDuplicates()
          .allMatch(all::contains);
    }
  }

  @Test
  void aFailureWithoutMemoryToDescribeItShouldStopTheRunAndWinWhenItCameFirst() {
    AtomicInteger callbacks = new AtomicInteger();
    FailureCollector c = new FailureCollector(callbacks::incrementAndGet);
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

    assertThat(c.failUndescribed(Stage.READER, oom)).isTrue();
    assertThat(c.failed()).isTrue();
    assertThat(callbacks.get()).as("stop requested").isEqualTo(1);
    PipelineException later = failure(1);
    assertThat(c.fail(later)).isFalse();
    assertThat(callbacks.get()).as("stop requested once").isEqualTo(1);

    c.describePending();

    PipelineException first = c.first();
    assertThat(first.getCause()).isSameAs(oom);
    assertThat(first.stage()).isEqualTo(Stage.READER);
    assertThat(first.thread()).isEqualTo(Thread.currentThread().getName());
    assertThat(first.getSuppressed()).containsExactly(later);
  }

  @Test
  void aFailureWithoutMemoryToDescribeItAfterAnotherShouldBeSuppressedInIt() {
    AtomicInteger callbacks = new AtomicInteger();
    FailureCollector c = new FailureCollector(callbacks::incrementAndGet);
    PipelineException earlier = failure(0);
    OutOfMemoryError oom = new OutOfMemoryError("Java heap space");

    assertThat(c.fail(earlier)).isTrue();
    assertThat(c.failUndescribed(Stage.WRITER, oom)).isFalse();
    c.describePending();

    assertThat(callbacks.get()).isEqualTo(1);
    assertThat(c.first()).isSameAs(earlier);
    assertThat(earlier.getSuppressed())
        .singleElement()
        .satisfies(t -> assertThat(t.getCause()).isSameAs(oom));
  }

  private static List<Chunk> chunksOf(int splits, int batches) {
    InputFile f = new InputFile(0, Path.of("x"), "x", 0);
    List<Chunk> out = new ArrayList<>();
    for (int s = 0; s < splits; s++) {
      Split split = new Split(f, s, splits, 0, -1);
      for (int b = 0; b < batches; b++) {
        out.add(
            new Chunk(
                split,
                b,
                b == batches - 1,
                new byte[] {(byte) s, (byte) b},
                Chunk.Counts.NONE,
                0,
                null,
                List.of(),
                null));
      }
    }
    return out;
  }

  @Test
  void reorderBufferShouldWriteEveryChunkOnceInKeyOrderWhateverTheArrivalOrder() {
    Random rnd = new Random(SEED);
    for (int iteration = 0; iteration < 2000 * FACTOR; iteration++) {
      List<Chunk> inOrder = chunksOf(1 + rnd.nextInt(4), 1 + rnd.nextInt(12));
      List<Chunk> arrival = new ArrayList<>(inOrder);
      Collections.shuffle(arrival, rnd);
      ReorderBuffer buffer = new ReorderBuffer("x");
      List<Chunk> written = new ArrayList<>();
      for (Chunk c : arrival) {
        assertThat(buffer.isComplete()).isFalse();
        buffer.offer(c, written::add);
      }
      assertThat(written)
          .as("seed %s iteration %s", SEED, iteration)
          .containsExactlyElementsOf(inOrder);
      assertThat(buffer.isComplete()).isTrue();
      assertThat(buffer.waiting()).isZero();
    }
  }

  @Test
  void reorderBufferShouldRejectDuplicatesAndChunksAfterTheEnd() {
    List<Chunk> chunks = chunksOf(2, 2);
    ReorderBuffer buffer = new ReorderBuffer("x.csv");
    List<Chunk> written = new ArrayList<>();
    buffer.offer(chunks.get(1), written::add);
    assertThatThrownBy(() -> buffer.offer(chunks.get(1), written::add))
        .hasMessageContaining("twice");
    buffer.offer(chunks.get(0), written::add);
    assertThatThrownBy(() -> buffer.offer(chunks.get(0), written::add))
        .hasMessageContaining("twice");
    buffer.offer(chunks.get(3), written::add);
    buffer.offer(chunks.get(2), written::add);
    assertThat(written).containsExactlyElementsOf(chunks);
    assertThatThrownBy(() -> buffer.offer(chunks.get(2), written::add))
        .hasMessageContaining("after the end of x.csv");
  }

  @Test
  void reorderBufferShouldOrderChunksFromManyConcurrentProducers() throws Exception {
    for (int iteration = 0; iteration < 200 * FACTOR; iteration++) {
      List<Chunk> inOrder = chunksOf(3, 40);
      List<Chunk> shuffled = new ArrayList<>(inOrder);
      Collections.shuffle(shuffled, new Random(SEED + iteration));
      int producers = 8;
      BlockingQueue<Chunk> queue = new ArrayBlockingQueue<>(4);
      CyclicBarrier start = new CyclicBarrier(producers);
      for (int p = 0; p < producers; p++) {
        int me = p;
        pool.submit(
            () -> {
              start.await(10, TimeUnit.SECONDS);
              for (int i = me; i < shuffled.size(); i += producers) {
                queue.put(shuffled.get(i));
              }
              return null;
            });
      }
      ReorderBuffer buffer = new ReorderBuffer("x");
      List<Chunk> written = new ArrayList<>();
      for (int i = 0; i < inOrder.size(); i++) {
        Chunk c = queue.poll(10, TimeUnit.SECONDS);
        assertThat(c).as("chunk %s of %s arrived", i, inOrder.size()).isNotNull();
        buffer.offer(c, written::add);
      }
      assertThat(written).containsExactlyElementsOf(inOrder);
    }
  }

  @Test
  void permitPoolShouldNeitherLoseNorCreatePermitsUnderContention() throws Exception {
    for (int iteration = 0; iteration < 50 * FACTOR; iteration++) {
      PermitPool p = new PermitPool(1000);
      int threads = 12;
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        fs.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  ThreadLocalRandom r = ThreadLocalRandom.current();
                  for (int i = 0; i < 500; i++) {
                    long taken = p.acquire(r.nextInt(1, 3000)); // some requests exceed the pool
                    assertThat(taken).isBetween(1L, 1000L);
                    p.release(taken);
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(p.available()).isEqualTo(p.capacity());
    }
  }

  @Test
  void anOversizedRequestShouldWaitForAnEmptyPoolAndThenGoAlone() throws Exception {
    PermitPool p = new PermitPool(100);
    long held = p.acquire(1);
    CountDownLatch acquired = new CountDownLatch(1);
    AtomicReference<Thread> waiter = new AtomicReference<>();
    pool.submit(
        () -> {
          waiter.set(Thread.currentThread());
          long t = p.acquire(10_000);
          acquired.countDown();
          p.release(t);
          return null;
        });
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
    while ((waiter.get() == null || !EngineFixture.parked(waiter.get()))
        && System.nanoTime() < deadline) {
      Thread.onSpinWait();
    }
    assertThat(acquired.getCount()).as("waits while one permit is out").isEqualTo(1);
    p.release(held);
    assertThat(acquired.await(10, TimeUnit.SECONDS)).isTrue();
  }

  @Test
  void writerAssignmentShouldGiveEveryFileOneStickyWriterAndBalanceThem() throws Exception {
    for (int iteration = 0; iteration < 50 * FACTOR; iteration++) {
      int writers = 1 + iteration % 7;
      WriterAssignment a = new WriterAssignment(writers);
      int files = 500;
      int threads = 8;
      ConcurrentHashMap<Integer, Integer> seen = new ConcurrentHashMap<>();
      AtomicInteger conflicts = new AtomicInteger();
      CyclicBarrier start = new CyclicBarrier(threads);
      List<Future<?>> fs = new ArrayList<>();
      for (int t = 0; t < threads; t++) {
        long seed = SEED + t;
        fs.add(
            pool.submit(
                () -> {
                  start.await(10, TimeUnit.SECONDS);
                  List<Integer> ids = new ArrayList<>();
                  for (int i = 0; i < files; i++) {
                    ids.add(i);
                  }
                  Collections.shuffle(ids, new Random(seed));
                  for (int id : ids) {
                    int w = a.writerFor(id);
                    Integer before = seen.putIfAbsent(id, w);
                    if ((before != null && before != w) || w < 0 || w >= writers) {
                      conflicts.incrementAndGet();
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : fs) {
        f.get(30, TimeUnit.SECONDS);
      }
      assertThat(conflicts.get()).isZero();
      int[] perWriter = new int[writers];
      seen.values().forEach(w -> perWriter[w]++);
      int min = Integer.MAX_VALUE;
      int max = 0;
      for (int n : perWriter) {
        min = Math.min(min, n);
        max = Math.max(max, n);
      }
      assertThat(max - min).as("round-robin balance").isLessThanOrEqualTo(1);
      for (int id = 0; id < files; id++) {
        a.done(id);
      }
      assertThat(a.open()).isZero();
    }
  }
}
