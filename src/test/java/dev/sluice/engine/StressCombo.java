package dev.sluice.engine;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * One run of the stress matrix: thread counts, queue capacity, budget, splits, batch size, input
 * shape, the failure to inject and the chaos seed, all derived from the matrix seed and the run's
 * index alone, so {@code -Dsluice.stress.seed=S -Dsluice.stress.only=I} rebuilds exactly run I.
 *
 * <p>The first {@link #CYCLE} runs walk every dimension through a seeded permutation of its values
 * (so any run set covers every value of every dimension); later runs draw each value at random.
 *
 * <p>Immutable. The generator is a local SplitMix64 rather than {@code SplittableRandom}, whose
 * sequence the JDK does not promise to keep, so a seed replays the same runs on any JDK.
 */
final class StressCombo {
  static final List<Integer> THREADS = List.of(1, 2, 8, 64);
  static final List<Integer> CAPACITIES = List.of(1, 4, 1024);
  static final List<Integer> SPLITS = List.of(1, 3);
  static final int MAX_BATCH = 17;

  /** The in-flight budget: one batch per reader (every pool clamps to 1 permit) or the default. */
  enum Budget {
    ONE_BATCH,
    DEFAULT
  }

  /** Fixed thread counts, or automatic sizing driven by a seeded random policy. */
  enum Sizing {
    FIXED,
    AUTO
  }

  /** Where the run's one injected failure happens, if anywhere. */
  enum Failure {
    NONE,
    READER,
    TRANSFORMER,
    WRITER_TAKE,
    WRITER_COMMIT
  }

  /** What the injected failure throws: an exception, or an Error (out of memory, say). */
  enum Thrown {
    EXCEPTION,
    ERROR
  }

  /** Every dimension by name, with all its values, in a fixed order. */
  static final Map<String, List<?>> DIMENSIONS = dimensions();

  /** Runs that cycle the permutations: the longest dimension's length. */
  static final int CYCLE = DIMENSIONS.values().stream().mapToInt(List::size).max().orElseThrow();

  private static final double NO_FAILURE_SHARE = 0.4;
  private static final double TINY_FILE_SHARE = 0.08;

  final long seed;
  final int index;
  final int readers;
  final int transformers;
  final int writers;
  final int queueCapacity;
  final Budget budget;
  final int splits;
  final int batchSize;

  /** Records of each input file, by file id. */
  final int[] records;

  final Failure failure;

  /** File id of the failure's victim; -1 without a failure. */
  final int victimFile;

  /** Record index in the victim file (reader and transformer failures); -1 otherwise. */
  final int victimRecord;

  /** Batch sequence number of the victim chunk (writer take failures); -1 otherwise. */
  final int victimSeq;

  /** Seed of the run's {@link ChaosHooks}. */
  final long chaosSeed;

  /**
   * Under AUTO the counts above are the start, the budget is their sum plus 2, and the sizer grows
   * and retires threads every millisecond, at random or by its rules (drawn last, so the other
   * values of a seed stay what they were before this dimension existed).
   */
  final Sizing sizing;

  /** Whether the injected failure is an Error (drawn after sizing, so earlier values stay). */
  final Thrown thrown;

  /**
   * Whether the step clears the interrupt flag on every record, as user code that swallows
   * InterruptedException does: a stop must then get through on the flag alone.
   */
  final boolean swallowsInterrupts;

  private StressCombo(long seed, int index) {
    this.seed = seed;
    this.index = index;
    Rng r = new Rng(mix(seed ^ mix(0x5EED_0000L + index)));
    this.readers = pick(seed, index, 0, THREADS, r);
    this.transformers = pick(seed, index, 1, THREADS, r);
    this.writers = pick(seed, index, 2, THREADS, r);
    this.queueCapacity = pick(seed, index, 3, CAPACITIES, r);
    this.budget = pick(seed, index, 4, List.of(Budget.values()), r);
    this.splits = pick(seed, index, 5, SPLITS, r);
    Failure f;
    if (index < CYCLE) {
      f = pick(seed, index, 6, List.of(Failure.values()), r);
    } else if (r.nextDouble() < NO_FAILURE_SHARE) {
      f = Failure.NONE;
    } else {
      f = Failure.values()[1 + r.nextInt(Failure.values().length - 1)];
    }
    this.failure = f;
    this.batchSize = 1 + r.nextInt(MAX_BATCH);
    this.records = new int[3 + r.nextInt(4)];
    int nonEmpty = 0;
    for (int i = 0; i < records.length; i++) {
      // A few tiny files (0-2 records: empty, or fewer records than splits) among the usual ones.
      records[i] = r.nextDouble() < TINY_FILE_SHARE ? r.nextInt(3) : 100 + r.nextInt(301);
      nonEmpty += records[i] > 0 ? 1 : 0;
    }
    if (nonEmpty == 0) {
      records[0] = 100;
    }
    if (f == Failure.NONE) {
      victimFile = -1;
      victimRecord = -1;
      victimSeq = -1;
    } else {
      int v = r.nextInt(records.length);
      while ((f == Failure.READER || f == Failure.TRANSFORMER) && records[v] == 0) {
        v = (v + 1) % records.length; // a record failure needs a record
      }
      victimFile = v;
      victimRecord =
          f == Failure.READER || f == Failure.TRANSFORMER ? r.nextInt(records[victimFile]) : -1;
      // Split 0 of the victim has records/splits records, so seq 0..(that / batch) all exist: the
      // reader cuts full batches and always sends a final one, empty or not.
      victimSeq =
          f == Failure.WRITER_TAKE ? r.nextInt(records[victimFile] / splits / batchSize + 1) : -1;
    }
    this.chaosSeed = r.nextLong();
    this.sizing = pick(seed, index, 7, List.of(Sizing.values()), r);
    this.thrown = pick(seed, index, 8, List.of(Thrown.values()), r);
    this.swallowsInterrupts = pick(seed, index, 9, List.of(false, true), r);
  }

  /** Run {@code index} of the matrix with seed {@code seed}. */
  static StressCombo of(long seed, int index) {
    if (index < 0) {
      throw new IllegalArgumentException("index < 0: " + index);
    }
    return new StressCombo(seed, index);
  }

  /** Runs 0..n-1; n is raised to {@link #CYCLE} so that the plan covers every value. */
  static List<StressCombo> plan(long seed, int runs) {
    List<StressCombo> out = new ArrayList<>();
    for (int i = 0; i < Math.max(runs, CYCLE); i++) {
      out.add(of(seed, i));
    }
    return out;
  }

  /** The values of every dimension that {@code runs} use, dimension by dimension. */
  static Map<String, Set<Object>> coverage(Collection<StressCombo> runs) {
    Map<String, Function<StressCombo, Object>> getters = getters();
    Map<String, Set<Object>> out = new LinkedHashMap<>();
    for (Map.Entry<String, List<?>> d : DIMENSIONS.entrySet()) {
      Set<Object> seen = new LinkedHashSet<>();
      for (StressCombo c : runs) {
        seen.add(getters.get(d.getKey()).apply(c));
      }
      // Report in the dimension's own order, not in the order the runs happened to use them.
      Set<Object> ordered = new LinkedHashSet<>();
      for (Object v : d.getValue()) {
        if (seen.contains(v)) {
          ordered.add(v);
        }
      }
      out.put(d.getKey(), ordered);
    }
    return out;
  }

  int files() {
    return records.length;
  }

  int totalRecords() {
    return Arrays.stream(records).sum();
  }

  /** Relative name of file {@code id}; names sort in id order, so the listing gives file i id i. */
  static String fileName(int id) {
    return String.format(Locale.ROOT, "g%d/part-%02d.txt", id / 2, id);
  }

  /** The value of record {@code r} of file {@code f}, unique across the run. */
  static String value(int f, int r) {
    return "f" + f + "-r" + r;
  }

  /** The replay flags for this run. */
  String replay() {
    return "-Dsluice.stress.seed=" + seed + " -Dsluice.stress.only=" + index;
  }

  String failureText() {
    switch (failure) {
      case NONE:
        return "none";
      case READER:
      case TRANSFORMER:
        return failure
            + "(file "
            + victimFile
            + " "
            + fileName(victimFile)
            + ", record "
            + victimRecord
            + ")";
      case WRITER_TAKE:
        return failure
            + "(file "
            + victimFile
            + " "
            + fileName(victimFile)
            + ", seq "
            + victimSeq
            + ")";
      case WRITER_COMMIT:
        return failure + "(file " + victimFile + " " + fileName(victimFile) + ")";
      default:
        throw new AssertionError(failure);
    }
  }

  @Override
  public String toString() {
    return String.format(
        Locale.ROOT,
        "run %d [readers=%d transformers=%d writers=%d capacity=%d budget=%s splits=%d batch=%d"
            + " records=%s failure=%s chaos=%016x sizing=%s thrown=%s swallows-interrupts=%s]",
        index,
        readers,
        transformers,
        writers,
        queueCapacity,
        budget,
        splits,
        batchSize,
        Arrays.toString(records),
        failureText(),
        chaosSeed,
        sizing,
        thrown,
        swallowsInterrupts);
  }

  private static Map<String, List<?>> dimensions() {
    Map<String, List<?>> d = new LinkedHashMap<>();
    d.put("readers", THREADS);
    d.put("transformers", THREADS);
    d.put("writers", THREADS);
    d.put("capacity", CAPACITIES);
    d.put("budget", List.of(Budget.values()));
    d.put("splits", SPLITS);
    d.put("failure", List.of(Failure.values()));
    d.put("sizing", List.of(Sizing.values()));
    d.put("thrown", List.of(Thrown.values()));
    d.put("swallows-interrupts", List.of(false, true));
    return d;
  }

  private static Map<String, Function<StressCombo, Object>> getters() {
    Map<String, Function<StressCombo, Object>> g = new LinkedHashMap<>();
    g.put("readers", c -> c.readers);
    g.put("transformers", c -> c.transformers);
    g.put("writers", c -> c.writers);
    g.put("capacity", c -> c.queueCapacity);
    g.put("budget", c -> c.budget);
    g.put("splits", c -> c.splits);
    g.put("failure", c -> c.failure);
    g.put("sizing", c -> c.sizing);
    g.put("thrown", c -> c.thrown);
    g.put("swallows-interrupts", c -> c.swallowsInterrupts);
    return g;
  }

  /**
   * Value of dimension {@code dim} for run {@code index}: cycled through a permutation, then
   * random.
   */
  private static <T> T pick(long seed, int index, int dim, List<T> values, Rng r) {
    if (index < CYCLE) {
      return permutation(seed, dim, values).get(index % values.size());
    }
    return values.get(r.nextInt(values.size()));
  }

  private static <T> List<T> permutation(long seed, int dim, List<T> values) {
    List<T> p = new ArrayList<>(values);
    Rng r = new Rng(mix(seed + 0x9E3779B97F4A7C15L * (dim + 1)));
    for (int i = p.size() - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      T t = p.get(i);
      p.set(i, p.get(j));
      p.set(j, t);
    }
    return p;
  }

  /** The SplitMix64 finaliser: spreads any input over all 64 bits. */
  static long mix(long z) {
    z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
    z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
    return z ^ (z >>> 31);
  }

  /** SplitMix64: small, fast, and its sequence is fixed by its definition. Not thread-safe. */
  static final class Rng {
    private long state;

    Rng(long seed) {
      this.state = seed;
    }

    long nextLong() {
      state += 0x9E3779B97F4A7C15L;
      return mix(state);
    }

    /** Uniform in [0, bound); the modulo bias is far below anything a stress matrix can notice. */
    int nextInt(int bound) {
      if (bound < 1) {
        throw new IllegalArgumentException("bound < 1: " + bound);
      }
      return (int) Long.remainderUnsigned(nextLong(), bound);
    }

    double nextDouble() {
      return (nextLong() >>> 11) * 0x1.0p-53;
    }
  }
}
