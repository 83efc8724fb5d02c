package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A run killed (a crash point halts the child JVM like SIGKILL) between an input's manifest entry
 * and its move or delete, or in the middle of a move across file systems: the next run finds the
 * input recorded, finishes the action and does not process the file again. Also: an output renamed
 * just before a crash, without its entry, does not pin the job definition.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class InputActionCrashIT {
  private static final int HALTED = 97;
  private static final Duration WAIT = Duration.ofSeconds(120);
  private static String classPath;

  @TempDir Path tmp;
  private Path in;
  private Path out;
  private Path archive;
  private Path quarantine;

  @BeforeAll
  static void classPath() throws IOException {
    classPath = ChildJvm.join(ChildJvm.classPath());
  }

  @BeforeEach
  void inputs() throws IOException {
    in = tmp.resolve("in");
    out = tmp.resolve("out");
    archive = tmp.resolve("archive");
    quarantine = tmp.resolve("quarantine");
    for (int f = 1; f <= 6; f++) {
      StringBuilder csv = new StringBuilder("id,status\n");
      for (int i = 1; i <= 50; i++) {
        csv.append(f * 100 + i).append(i % 2 == 0 ? ",SHIPPED\n" : ",PENDING\n");
      }
      write(String.format("d%d/orders-%d.csv", f % 2, f), csv.toString());
    }
  }

  private void write(String name, String text) throws IOException {
    Path p = in.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, UTF_8);
  }

  private ChildJvm.Result cli(String crashAt, String... args) throws Exception {
    List<String> jvm = new ArrayList<>(List.of("-Xmx256m"));
    if (crashAt != null) {
      jvm.add("-Dsluice.test.crashAt=" + crashAt);
    }
    List<String> a =
        new ArrayList<>(
            List.of("run", "--input", in.toString(), "--output", out.toString(), "--writers", "1"));
    a.addAll(Arrays.asList(args));
    return ChildJvm.run(
        List.of(), jvm, classPath, tmp, tmp.resolve("logs"), WAIT, a.toArray(new String[0]));
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .filter(n -> !n.startsWith(".sluice") && !n.endsWith(".sluice-tmp"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  /** Manifest {@code file} entries per input. */
  private Map<String, Integer> entries() throws IOException {
    Map<String, Integer> m = new TreeMap<>();
    for (String line : Files.readAllLines(out.resolve(".sluice/manifest.jsonl"), UTF_8)) {
      if (line.contains("\"type\":\"file\"")) {
        int i = line.indexOf("\"file\":\"") + 8;
        m.merge(line.substring(i, line.indexOf('"', i)), 1, Integer::sum);
      }
    }
    return m;
  }

  private Map<String, FileTime> outputTimes() throws IOException {
    Map<String, FileTime> m = new TreeMap<>();
    for (String f : files(out)) {
      m.put(f, Files.getLastModifiedTime(out.resolve(f)));
    }
    return m;
  }

  private static void assertNoTempFiles(Path... dirs) throws IOException {
    for (Path d : dirs) {
      if (Files.exists(d)) {
        try (Stream<Path> s = Files.walk(d)) {
          assertThat(s.map(Path::toString))
              .as("temporary files in %s", d)
              .noneMatch(n -> n.endsWith(".sluice-tmp"));
        }
      }
    }
  }

  @Test
  void movesACrashLeftUndoneShouldBeFinishedByTheNextRunWithoutRedoingTheFiles() throws Exception {
    List<String> inputs = files(in);

    ChildJvm.Result crashed = cli("manifest:1", "--on-success", "move:" + archive);

    assertThat(crashed.code()).as("%s", crashed).isEqualTo(HALTED);
    List<String> left = files(in);
    Map<String, Integer> recorded = entries();
    assertThat(recorded).as("the first group was recorded").isNotEmpty();
    assertThat(left).as("recorded but not moved when the run died").containsAll(recorded.keySet());
    Map<String, FileTime> written = outputTimes();

    ChildJvm.Result rerun = cli(null, "--on-success", "move:" + archive);

    assertThat(rerun.code()).as("%s", rerun).isZero();
    assertThat(files(in)).isEmpty();
    assertThat(files(archive)).isEqualTo(inputs);
    assertThat(entries().values()).as("one entry per input: none processed twice").containsOnly(1);
    assertThat(entries().keySet()).isEqualTo(Set.copyOf(inputs));
    written.forEach((f, t) -> assertOutputUntouched(f, t));
    assertNoTempFiles(out, archive, in);
  }

  private void assertOutputUntouched(String f, FileTime t) {
    try {
      assertThat(Files.getLastModifiedTime(out.resolve(f))).as("%s rewritten", f).isEqualTo(t);
    } catch (IOException e) {
      fail("cannot read " + f, e);
    }
  }

  @Test
  void aDeleteACrashLeftUndoneShouldBeFinishedByTheNextRun() throws Exception {
    ChildJvm.Result crashed = cli("manifest:1", "--on-success", "delete");
    assertThat(crashed.code()).as("%s", crashed).isEqualTo(HALTED);
    assertThat(files(in)).isNotEmpty();

    ChildJvm.Result rerun = cli(null, "--on-success", "delete");

    assertThat(rerun.code()).as("%s", rerun).isZero();
    assertThat(files(in)).isEmpty();
    assertThat(entries().values()).containsOnly(1);
    assertThat(entries()).hasSize(6);
  }

  @Test
  void aFailedInputsMoveACrashLeftUndoneShouldBeFinishedAndTheFileNotRetried() throws Exception {
    // The failed input alone, so that the first manifest entry is its own.
    for (String f : files(in)) {
      Files.delete(in.resolve(f));
    }
    write("bad.csv", "id,status\n1,x,extra\n\"unclosed\n");
    String[] args = {
      "--on-error", "skip", "--on-success", "move:" + archive, "--on-failure", "move:" + quarantine
    };

    ChildJvm.Result crashed = cli("manifest:1", args);

    assertThat(crashed.code()).as("%s", crashed).isEqualTo(HALTED);
    assertThat(files(in)).as("recorded, not moved").containsExactly("bad.csv");
    assertThat(entries()).containsOnlyKeys("bad.csv");

    ChildJvm.Result rerun = cli(null, args);

    assertThat(rerun.code()).as("%s", rerun).isZero();
    assertThat(files(quarantine)).containsExactly("bad.csv");
    assertThat(files(in)).isEmpty();
    assertThat(entries().get("bad.csv")).as("not retried").isEqualTo(1);
  }

  @Test
  void aMoveAcrossFileSystemsKilledBeforeTheInputWasDeletedShouldBeFinishedByTheNextRun()
      throws Exception {
    List<String> inputs = files(in);
    byte[] first = Files.readAllBytes(in.resolve(inputs.get(0)));

    ChildJvm.Result crashed = crossDevice("copied:1");

    assertThat(crashed.code()).as("%s", crashed).isEqualTo(HALTED);
    assertThat(files(in)).as("the copied input is still there").contains(inputs.get(0));
    assertThat(Files.readAllBytes(archive.resolve(inputs.get(0))))
        .as("its copy is complete")
        .isEqualTo(first);

    ChildJvm.Result rerun = crossDevice(null);

    assertThat(rerun.code()).as("%s", rerun).isZero();
    assertThat(files(in)).isEmpty();
    assertThat(files(archive)).isEqualTo(inputs);
    assertThat(Files.readAllBytes(archive.resolve(inputs.get(0)))).isEqualTo(first);
    assertThat(entries().values()).containsOnly(1);
    assertNoTempFiles(out, archive, in);
  }

  private ChildJvm.Result crossDevice(String crashAt) throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(ChildJvm.java(), "-Xmx256m"));
    if (crashAt != null) {
      cmd.add("-Dsluice.test.crashAt=" + crashAt);
    }
    cmd.addAll(
        List.of(
            "-cp",
            classPath,
            CrossDeviceJob.class.getName(),
            in.toString(),
            out.toString(),
            archive.toString()));
    Path log = Files.createTempFile(tmp, "child", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectErrorStream(true)
            .redirectOutput(log.toFile())
            .start();
    if (!p.waitFor(WAIT.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail("child JVM still running after %s: %s", WAIT, Files.readString(log));
    }
    return new ChildJvm.Result(p.exitValue(), Files.readString(log), "");
  }

  @Test
  void anOutputRenamedJustBeforeACrashShouldNotPinTheJobDefinitionAndShouldBeReplaced()
      throws Exception {
    ChildJvm.Result crashed = cli("rename:1", "--filter", "status == SHIPPED");
    assertThat(crashed.code()).as("%s", crashed).isEqualTo(HALTED);
    assertThat(files(out)).as("one output under its final name").hasSize(1);
    String renamed = files(out).get(0);
    assertThat(Files.exists(out.resolve(".sluice/manifest.jsonl"))).isTrue();
    assertThat(entries()).as("no entry: the crash came first").isEmpty();

    // The job is corrected (another filter) and run again, without --full or --overwrite.
    ChildJvm.Result rerun = cli(null, "--filter", "status == PENDING");

    assertThat(rerun.code()).as("%s", rerun).isZero();
    assertThat(files(out)).hasSize(6);
    assertThat(Files.readString(out.resolve(renamed), UTF_8))
        .as("the crashed run's output was replaced under the new definition")
        .contains("PENDING")
        .doesNotContain("SHIPPED");
  }
}
