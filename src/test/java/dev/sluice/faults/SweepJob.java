package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

/**
 * The small job the fault tests run: four CSV inputs of 200 records (one in a subdirectory, one
 * gzipped), two steps, 2 readers, 2 transformers and 2 writers, batches of 16, inputs and output on
 * a {@link FaultyFileSystem}. Also the checks every run must pass, failed or not.
 *
 * <p>Not thread-safe; one per test class.
 */
final class SweepJob {
  static final int RECORDS = 200;
  static final List<String> INPUTS = List.of("a.csv", "b.csv", "sub/c.csv", "d.csv.gz");

  /** Input relative name to output relative name. */
  static final Map<String, String> OUTPUT_OF =
      Map.of("a.csv", "a.csv", "b.csv", "b.csv", "sub/c.csv", "sub/c.csv", "d.csv.gz", "d.csv");

  final FaultyFileSystem fs = FaultyFileSystem.create();

  /** The real input directory. */
  final Path in;

  SweepJob(Path in) {
    this.in = in;
  }

  /** Writes the inputs (through the real file system, so nothing is counted). */
  SweepJob write() throws IOException {
    Random random = new Random(42);
    for (String name : INPUTS) {
      Path p = in.resolve(name);
      Files.createDirectories(p.getParent());
      try (OutputStream raw = Files.newOutputStream(p);
          OutputStream o = name.endsWith(".gz") ? new GZIPOutputStream(raw) : raw;
          Writer w = new java.io.OutputStreamWriter(o, UTF_8);
          CSVPrinter csv = new CSVPrinter(w, CSVFormat.RFC4180)) {
        csv.printRecord("id", "name", "amount", "note");
        for (int i = 1; i <= RECORDS; i++) {
          csv.printRecord(i, name + "-customer-" + i, random.nextInt(100), note(random, i));
        }
      }
    }
    return this;
  }

  /** About 600 chars, sometimes with a quote, a comma, a line break or non-ASCII letters. */
  private static String note(Random random, int i) {
    StringBuilder sb = new StringBuilder();
    while (sb.length() < 600) {
      switch (random.nextInt(12)) {
        case 0:
          sb.append("\"quoted\", ");
          break;
        case 1:
          sb.append("line\nbreak ");
          break;
        case 2:
          sb.append("Zürich Ørsted 東京 ");
          break;
        default:
          sb.append("note").append(i).append(' ');
      }
    }
    return sb.toString();
  }

  /** The job, writing to the real directory {@code out} through the faulty file system. */
  PipelineSpec.Builder spec(Path out) {
    return Sluice.builder()
        .input(fs.wrap(in))
        .output(fs.wrap(out))
        .step(Steps.filter("amount > 20"))
        .step(Steps.upper("name"))
        .threads(2, 2, 2)
        .batchSize(16)
        .queueCapacity(4);
  }

  /** Names of the temporary files under {@code dir}. */
  static List<String> temps(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.map(p -> dir.relativize(p).toString())
          .filter(n -> n.endsWith(".sluice-tmp"))
          .collect(Collectors.toList());
    }
  }

  /** Names of the engine's threads still alive. */
  static List<String> sluiceThreads() {
    return Thread.getAllStackTraces().keySet().stream()
        .filter(t -> t.isAlive() && t.getName().startsWith("sluice-"))
        .map(Thread::getName)
        .sorted()
        .collect(Collectors.toList());
  }

  static void assertAddsUp(RunResult r) {
    assertThat(r.recordsRead())
        .as("read = passed + filtered + rejected + abandoned in %s", r)
        .isEqualTo(
            r.recordsPassed() + r.recordsFiltered() + r.recordsRejected() + r.recordsAbandoned());
    assertThat(r.recordsAbandoned()).as("abandoned").isNotNegative();
  }

  /**
   * The input a real path belongs to (relative name), if it is an input file, an output file, an
   * output's temporary file or a reject file; null for anything else (directories, the umask
   * probe).
   */
  String inputNameOf(Path realPath, Path out) {
    if (realPath.startsWith(in)) {
      String rel = in.relativize(realPath).toString();
      return OUTPUT_OF.containsKey(rel) ? rel : null;
    }
    if (!realPath.startsWith(out) || realPath.equals(out)) {
      return null;
    }
    Path rel = out.relativize(realPath);
    String name = rel.getFileName().toString();
    if (name.endsWith(".sluice-tmp")) {
      // .<name>.<run id>.sluice-tmp
      String stem = name.substring(0, name.length() - ".sluice-tmp".length());
      name = stem.substring(1, stem.lastIndexOf('.'));
    }
    String full = (rel.getParent() == null ? "" : rel.getParent() + "/") + name;
    if (full.startsWith("_rejects/") && full.endsWith(".rejects.csv")) {
      return full.substring("_rejects/".length(), full.length() - ".rejects.csv".length());
    }
    return OUTPUT_OF.entrySet().stream()
        .filter(e -> e.getValue().equals(full))
        .map(Map.Entry::getKey)
        .findFirst()
        .orElse(null);
  }

  static boolean isUmaskProbe(Path realPath) {
    return realPath.getFileName().toString().startsWith(".umask-probe.");
  }

  static void uncheckedDelete(Path dir) {
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.sorted(java.util.Comparator.reverseOrder()).collect(Collectors.toList())) {
        Files.delete(p);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
