package dev.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.junit.jupiter.api.DynamicTest.dynamicTest;

import dev.sluice.FileTrees;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Makes every file operation of a small job fail, one per run, and checks that the run either
 * finishes exactly like the clean run (a harmless fault) or fails with one {@link
 * PipelineException} that names the file and carries the injected message; and that in every case
 * no incomplete output, no temporary file and no engine thread is left, and the counts add up.
 *
 * <p>Harmless faults, by design of the engine: any {@code MKDIR} ({@code Files.createDirectories}
 * retries level by level after a failure, and the directory gets created or already exists), and
 * the {@code OPEN_WRITE} and {@code CLOSE} of the umask probe (the engine then keeps the temporary
 * files' owner-only permissions on the committed files; the contents are the same). Everything else
 * fails the run: under fail-fast, even a failed close of a fully read input and a failed {@code
 * deleteIfExists} of a stale reject file that is not there are errors. One exception depends on the
 * JDK: a read of the gzip input just after its last member (see {@link #swallowedByGzip}).
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class FaultSweepTest {
  /** Kinds with more operations than this are sampled evenly. */
  private static final int MAX_PER_KIND = 40;

  @TempDir static Path tmp;
  private static SweepJob job;
  private static Map<Op, Integer> cleanCounts;

  /**
   * The directories the clean run synced, relative to its output. How often each is synced depends
   * on how files fall into commit groups, which is timing: so directory syncs are struck by path
   * (the first sync of each), not by their position in the run, which may not come at all.
   */
  private static List<String> cleanSyncedDirs;

  private static Map<String, String> clean;
  private static Set<PosixFilePermission> cleanPermissions;
  private static final Map<String, String> outcomes = new ConcurrentSkipListMap<>();

  @BeforeAll
  static void runClean() throws IOException {
    job = new SweepJob(tmp.resolve("in")).write();
    Path out = tmp.resolve("clean");
    RunResult r = job.spec(out).run();
    cleanCounts = job.fs.counts();
    cleanSyncedDirs =
        job.fs.seen(Op.SYNC_DIR).stream()
            .map(p -> out.relativize(p).toString())
            .distinct()
            .collect(java.util.stream.Collectors.toList());
    clean = FileTrees.under(out).orEmptyIfMissing().digests();
    cleanPermissions = Files.getPosixFilePermissions(out.resolve("a.csv"));
    assertThat(clean.keySet()).containsExactlyInAnyOrder("a.csv", "b.csv", "sub/c.csv", "d.csv");
    assertThat(r.recordsRead()).isEqualTo(4L * SweepJob.RECORDS);
    SweepJob.assertAddsUp(r);
    assertThat(cleanCounts)
        .allSatisfy((op, n) -> assertThat(n).as("%s operations", op).isPositive());
  }

  /**
   * With {@code -Dsluice.faults.verbose=true}, prints what each fault did (for reviewing messages).
   */
  @AfterAll
  static void printOutcomes() {
    if (!Boolean.getBoolean("sluice.faults.verbose")) {
      return;
    }
    System.out.println("FaultSweepTest: clean run operations " + cleanCounts);
    outcomes.forEach((k, v) -> System.out.println("  " + k + " -> " + v));
  }

  private static List<Integer> sample(int count) {
    List<Integer> ks = new ArrayList<>();
    if (count <= MAX_PER_KIND) {
      for (int k = 1; k <= count; k++) {
        ks.add(k);
      }
    } else {
      for (int i = 0; i < MAX_PER_KIND; i++) {
        int k = 1 + (int) ((long) i * (count - 1) / (MAX_PER_KIND - 1));
        if (!ks.contains(k)) {
          ks.add(k);
        }
      }
    }
    return ks;
  }

  /**
   * Whether a read fault may have been swallowed by {@link java.util.zip.GZIPInputStream}: after a
   * member's trailer it probes for a concatenated member and ignores any IOException there (JDK 25
   * always probes; JDK 17 only when more bytes are available). After the last member the data is
   * complete, so such a run must equal the clean run; an error that persists would also fail the
   * reader's final drain of the raw stream ({@code DecodingReader}), so only a one-off is lost.
   */
  private static boolean swallowedByGzip(Op op, Path where) {
    return op == Op.READ && where.getFileName().toString().endsWith(".gz");
  }

  private static String injected(Op op, int k) {
    return "injected " + op + " #" + k;
  }

  @TestFactory
  Stream<DynamicTest> everyFailedOperationShouldFailTheRunCleanlyOrNotMatter() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Op op : Op.values()) {
      if (op == Op.SYNC_DIR) {
        for (int i = 0; i < cleanSyncedDirs.size(); i++) {
          String dir = cleanSyncedDirs.get(i);
          tests.add(
              dynamicTest(
                  op + " of '" + dir + "'",
                  () ->
                      failFast(
                          op + "-dir" + cleanSyncedDirs.indexOf(dir),
                          op,
                          1,
                          out -> p -> out.relativize(p).toString().equals(dir))));
        }
        continue;
      }
      for (int k : sample(cleanCounts.get(op))) {
        tests.add(
            dynamicTest(op + " #" + k, () -> failFast(op + "-" + k, op, k, out -> p -> true)));
      }
    }
    return tests.stream();
  }

  private void failFast(
      String name,
      Op op,
      int k,
      java.util.function.Function<Path, java.util.function.Predicate<Path>> target)
      throws IOException {
    Path out = tmp.resolve("fail-" + name);
    String message = injected(op, k);
    job.fs.failNth(op, k, target.apply(out), p -> new IOException(message));
    RunResult result = null;
    PipelineException failure = null;
    try {
      result = job.spec(out).run();
    } catch (PipelineException e) {
      failure = e;
    } finally {
      job.fs.heal();
    }
    List<Path> struck = job.fs.struck();

    assertThat(struck).as("the fault struck once").hasSize(1);
    Path where = struck.get(0);
    boolean harmless =
        op == Op.MKDIR || (SweepJob.isUmaskProbe(where) && (op == Op.OPEN_WRITE || op == Op.CLOSE));
    outcomes.put(
        "fail " + name,
        (failure == null ? "success" : "PipelineException: " + failure.getMessage())
            + "  [struck "
            + tmp.relativize(where)
            + "]");

    if (harmless) {
      assertThat(failure).as("a harmless fault at %s", where).isNull();
      assertThat(FileTrees.under(out).orEmptyIfMissing().digests())
          .as("outputs")
          .containsExactlyInAnyOrderEntriesOf(clean);
      SweepJob.assertAddsUp(result);
      // Without the probe the engine cannot tell the umask: committed files stay owner-only.
      assertThat(Files.getPosixFilePermissions(out.resolve("a.csv")))
          .isEqualTo(
              SweepJob.isUmaskProbe(where)
                  ? PosixFilePermissions.fromString("rw-------")
                  : cleanPermissions);
    } else if (failure == null && swallowedByGzip(op, where)) {
      assertThat(FileTrees.under(out).orEmptyIfMissing().digests())
          .as("outputs")
          .containsExactlyInAnyOrderEntriesOf(clean);
      SweepJob.assertAddsUp(result);
    } else if (op == Op.DELETE && SweepJob.isUmaskProbe(where)) {
      // The probe's first delete failed; the coordinator deletes what is left at the end of the
      // run (the fault strikes once), so the run succeeds and leaves exactly the clean tree.
      assertThat(failure).as("a failed delete of the umask probe is retried").isNull();
      assertThat(FileTrees.under(out).orEmptyIfMissing().digests())
          .as("outputs, and no probe")
          .containsExactlyInAnyOrderEntriesOf(clean);
      SweepJob.assertAddsUp(result);
    } else if (op == Op.SYNC_DIR) {
      // A rename, or a new directory, is durable only once its directory is synced: a failure
      // fails the run, naming the directory (whichever file's commit it was for).
      assertThat(failure).as("a failed sync of %s fails the run", where).isNotNull();
      assertThat(failure.getMessage()).contains(message).contains("cannot sync directory " + where);
      if (failure.result() != null) {
        SweepJob.assertAddsUp(failure.result());
      }
    } else {
      assertThat(failure).as("a fault at %s fails the run", where).isNotNull();
      assertThat(failure.getMessage()).contains(message);
      String input = job.inputNameOf(where, out);
      if (input != null) {
        assertThat(failure.file()).as("file of: %s", failure.getMessage()).isEqualTo(input);
        assertThat(failure.getMessage()).contains(input);
      } else {
        // A directory of the input: the listing fails before the run starts, naming the input.
        assertThat(op).isEqualTo(Op.LIST);
        assertThat(failure.getMessage()).startsWith("cannot list " + job.in);
      }
      if (op == Op.LIST) {
        assertThat(failure.result()).as("no result before the run started").isNull();
      } else {
        assertThat(failure.result()).as("partial result").isNotNull();
        SweepJob.assertAddsUp(failure.result());
      }
    }
    assertLeftClean(out);
  }

  /**
   * Whatever the outcome: only complete, identical outputs; no temporary file; no engine thread.
   */
  private static void assertLeftClean(Path out) throws IOException {
    Map<String, String> left = FileTrees.under(out).orEmptyIfMissing().digests();
    left.forEach(
        (name, digest) -> {
          assertThat(clean).as("unexpected file %s", name).containsKey(name);
          assertThat(digest).as("%s differs from the clean run", name).isEqualTo(clean.get(name));
        });
    assertThat(SweepJob.temps(out)).as("temporary files").isEmpty();
    assertThat(SweepJob.temps(job.in)).as("temporary files in the input").isEmpty();
    assertThat(SweepJob.sluiceThreads()).as("engine threads alive").isEmpty();
  }

  @TestFactory
  Stream<DynamicTest> underSkipAFileThatCannotBeOpenedOrReadShouldBeDroppedWhole() {
    List<DynamicTest> tests = new ArrayList<>();
    for (Op op : List.of(Op.OPEN_READ, Op.READ)) {
      for (int k : sample(cleanCounts.get(op))) {
        tests.add(dynamicTest(op + " #" + k, () -> skip(op, k)));
      }
    }
    return tests.stream();
  }

  private void skip(Op op, int k) throws IOException {
    Path out = tmp.resolve("skip-" + op + "-" + k);
    String message = injected(op, k);
    job.fs.failNth(op, k, p -> true, p -> new IOException(message));
    RunResult r;
    try {
      r = job.spec(out).onError(ErrorPolicy.SKIP).run();
    } finally {
      job.fs.heal();
    }
    List<Path> struck = job.fs.struck();

    assertThat(struck).hasSize(1);
    String victim = job.inputNameOf(struck.get(0), out);
    assertThat(victim).as("an input file").isNotNull();
    if (r.filesFailed() == 0 && swallowedByGzip(op, struck.get(0))) {
      outcomes.put(String.format(Locale.ROOT, "skip %-10s #%02d", op, k), "success [gzip probe]");
      assertThat(FileTrees.under(out).orEmptyIfMissing().digests())
          .as("outputs")
          .containsExactlyInAnyOrderEntriesOf(clean);
      SweepJob.assertAddsUp(r);
      return;
    }
    String victimOutput = SweepJob.OUTPUT_OF.get(victim);
    Map<String, String> want = new TreeMap<>(clean);
    want.remove(victimOutput);
    Map<String, String> got = FileTrees.under(out).orEmptyIfMissing().digests();
    String rejectName = "_rejects/" + victim + ".rejects.csv";
    assertThat(got.remove(rejectName)).as(rejectName).isNotNull();
    outcomes.put(
        String.format(Locale.ROOT, "skip %-10s #%02d", op, k),
        "filesFailed=" + r.filesFailed() + " rejects=" + r.rejectsByType() + " [" + victim + "]");

    assertThat(got).as("the other outputs").containsExactlyInAnyOrderEntriesOf(want);
    List<CSVRecord> rows = parse(Files.readAllBytes(out.resolve(rejectName)));
    assertThat(rows).hasSize(1);
    CSVRecord row = rows.get(0);
    assertThat(row.get("file")).isEqualTo(victim);
    assertThat(row.get("type")).isEqualTo(ErrorType.FILE_FAILED.name());
    assertThat(row.get("message")).contains(message);
    assertThat(r.filesFailed()).isEqualTo(1);
    assertThat(r.files()).isEqualTo(3);
    assertThat(r.rejectsByType()).isEqualTo(Map.of(ErrorType.FILE_FAILED, 1L));
    SweepJob.assertAddsUp(r);
    assertThat(r.recordsAbandoned()).isZero();
    assertLeftClean(out, rejectName);
  }

  private static void assertLeftClean(Path out, String rejectName) throws IOException {
    assertThat(SweepJob.temps(out)).as("temporary files").isEmpty();
    assertThat(SweepJob.sluiceThreads()).as("engine threads alive").isEmpty();
    assertThat(out.resolve(rejectName)).exists();
  }

  private static List<CSVRecord> parse(byte[] csv) throws IOException {
    try (Reader r = new java.io.StringReader(new String(csv, StandardCharsets.UTF_8));
        CSVParser p =
            CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get().parse(r)) {
      assertThat(p.getHeaderNames())
          .containsExactly("file", "line", "byte_offset", "column", "type", "message", "raw");
      return p.getRecords();
    }
  }

  @Test
  void aFullDiskShouldFailTheRunNamingTheFileAndLeaveNoTemporaryFile() throws IOException {
    Path out = tmp.resolve("disk-full");
    job.fs.failFrom(
        Op.WRITE,
        1,
        p -> p.startsWith(out),
        p -> new FileSystemException(p.toString(), null, "No space left on device"));
    PipelineException e;
    try {
      e = catchThrowableOfType(PipelineException.class, () -> job.spec(out).run());
    } finally {
      job.fs.heal();
    }

    assertThat(e).isNotNull();
    assertThat(job.fs.struck()).as("the first write, then the writes of the clean-up").isNotEmpty();
    outcomes.put("disk full", e.getMessage());
    assertThat(e.getMessage())
        .matches(
            "write failed in (a\\.csv|b\\.csv|sub/c\\.csv|d\\.csv\\.gz): .*: No space left on"
                + " device");
    assertThat(e.file()).isNotNull();
    assertThat(e.getMessage()).contains(".sluice-tmp: No space left on device");
    SweepJob.assertAddsUp(e.result());
    assertThat(FileTrees.under(out).orEmptyIfMissing().digests())
        .as("nothing committed: the first write failed")
        .isEmpty();
    assertThat(SweepJob.temps(out)).isEmpty();
    assertThat(SweepJob.sluiceThreads()).isEmpty();
  }

  @Test
  void aFailedDeleteOfTheUmaskProbeShouldNotLeaveItBehind() throws IOException {
    Path out = tmp.resolve("probe-delete");
    job.fs.failNth(Op.DELETE, 1, SweepJob::isUmaskProbe, p -> new IOException("injected"));
    try {
      job.spec(out).run();
    } catch (PipelineException e) {
      // Failing the run would be fine too; leaving the probe behind is not.
    } finally {
      job.fs.heal();
    }

    assertThat(job.fs.struck()).hasSize(1);
    assertThat(SweepJob.temps(out)).as("temporary files").isEmpty();
  }
}
