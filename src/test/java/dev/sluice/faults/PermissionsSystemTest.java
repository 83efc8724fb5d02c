package dev.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipal;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVRecord;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Permission faults through the real command line, run as user {@code nobody}: root ignores {@code
 * chmod 000}, and CI runs as root, so the child JVM drops its privileges with {@code setpriv}
 * (util-linux). Skipped unless this JVM runs as root with a working {@code setpriv}.
 *
 * <p>Everything the child needs is made readable by nobody under a temporary directory: the test
 * class path is copied there ({@code /root}, where Maven keeps its jars, is not readable by
 * nobody), and the directories are mode 755.
 *
 * <p>Run with {@code mvn test -Dgroups=system -DexcludedGroups= -Dtest=PermissionsSystemTest}.
 */
@Tag("system")
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class PermissionsSystemTest {
  private static final Duration LIMIT = Duration.ofSeconds(120);
  private static final List<String> AS_NOBODY =
      List.of("setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--");
  private static final String HEADER = "id,name\n";

  @TempDir static Path base;
  private static String classPath;
  private static Path outs;

  @BeforeAll
  static void prepare() throws IOException, InterruptedException {
    assumeTrue(
        Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid")),
        "needs root, to run the child as nobody");
    assumeTrue(
        works(
            List.of(
                "setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", "--", "true")),
        "needs setpriv");
    open(base);
    Path cp = dir(base.resolve("cp"));
    List<Path> entries = new ArrayList<>();
    int i = 0;
    for (Path e : ChildJvm.classPath()) {
      if (!Files.exists(e)) {
        continue;
      }
      Path copy = cp.resolve((i++) + "-" + e.getFileName());
      copyReadable(e, copy);
      entries.add(copy);
    }
    classPath = ChildJvm.join(entries);
    // Outputs are made by nobody: their parent belongs to nobody.
    outs = dir(base.resolve("outs"));
    UserPrincipal nobody =
        base.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
    Files.setOwner(outs, nobody);
  }

  private static boolean works(List<String> cmd) throws InterruptedException {
    try {
      Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
      p.getInputStream().readAllBytes();
      return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    } catch (IOException e) {
      return false;
    }
  }

  private static void open(Path p) throws IOException {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
  }

  private static Path dir(Path p) throws IOException {
    Files.createDirectories(p);
    open(p);
    return p;
  }

  private static Path file(Path p, String text, String mode) throws IOException {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
    return p;
  }

  private static void copyReadable(Path from, Path to) throws IOException {
    if (!Files.isDirectory(from)) {
      Files.copy(from, to);
      Files.setPosixFilePermissions(to, PosixFilePermissions.fromString("rw-r--r--"));
      return;
    }
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : (Iterable<Path>) s::iterator) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          dir(t);
        } else {
          Files.copy(p, t);
          Files.setPosixFilePermissions(t, PosixFilePermissions.fromString("rw-r--r--"));
        }
      }
    }
  }

  private static ChildJvm.Result asNobody(String... args) throws IOException, InterruptedException {
    return ChildJvm.run(
        AS_NOBODY,
        List.of("-Xmx256m", "-XX:-UsePerfData"),
        classPath,
        base,
        base.resolve("logs"),
        LIMIT,
        args);
  }

  private static String rows(String prefix, int n) {
    StringBuilder sb = new StringBuilder(HEADER);
    for (int i = 1; i <= n; i++) {
      sb.append(i).append(',').append(prefix).append(i).append('\n');
    }
    return sb.toString();
  }

  /** a.csv, b.csv (readable) and secret.csv (mode 000) in a fresh directory. */
  private static Path inputWithUnreadableFile(String name) throws IOException {
    Path in = dir(base.resolve(name));
    file(in.resolve("a.csv"), rows("a", 10), "rw-r--r--");
    file(in.resolve("b.csv"), rows("b", 10), "rw-r--r--");
    file(in.resolve("secret.csv"), rows("s", 10), "---------");
    return in;
  }

  @Test
  void underFailAnUnreadableInputShouldFailTheRunNamingItAndSayingAccessDenied() throws Exception {
    Path in = inputWithUnreadableFile("in-a-fail");
    Path out = outs.resolve("a-fail");

    ChildJvm.Result r = asNobody("run", "--input", in.toString(), "--output", out.toString());

    assertThat(r.code()).as("%s", r).isEqualTo(1);
    // "sluice: read failed in secret.csv: access denied: /tmp/junit.../in-a-fail/secret.csv"
    assertThat(r.errLines())
        .containsExactly(
            "sluice: read failed in secret.csv: access denied: " + in.resolve("secret.csv"));
    assertThat(out.resolve("secret.csv")).doesNotExist();
    for (String f : List.of("a.csv", "b.csv")) {
      if (Files.exists(out.resolve(f))) {
        assertThat(out.resolve(f))
            .as("committed before the failure")
            .hasContent(Files.readString(in.resolve(f)).strip());
      }
    }
    assertThat(SweepJob.temps(out)).isEmpty();
  }

  @Test
  void underSkipAnUnreadableInputShouldBeAFileFailedRejectAndTheOthersWritten() throws Exception {
    Path in = inputWithUnreadableFile("in-a-skip");
    Path out = outs.resolve("a-skip");

    ChildJvm.Result r =
        asNobody("run", "--input", in.toString(), "--output", out.toString(), "--on-error", "skip");

    assertThat(r.code()).as("%s", r).isEqualTo(3);
    assertThat(r.out()).contains("files: 2 (1 failed)");
    assertThat(out.resolve("a.csv")).hasContent(rows("a", 10).strip());
    assertThat(out.resolve("b.csv")).hasContent(rows("b", 10).strip());
    assertThat(out.resolve("secret.csv")).doesNotExist();
    List<CSVRecord> rejects;
    try (CSVParser p =
        CSVFormat.RFC4180
            .builder()
            .setHeader()
            .setSkipHeaderRecord(true)
            .get()
            .parse(Files.newBufferedReader(out.resolve("_rejects/secret.csv.rejects.csv")))) {
      rejects = p.getRecords();
    }
    assertThat(rejects).hasSize(1);
    assertThat(rejects.get(0).get("type")).isEqualTo("FILE_FAILED");
    assertThat(rejects.get(0).get("message"))
        .isEqualTo("access denied: " + in.resolve("secret.csv"));
    assertThat(SweepJob.temps(out)).isEmpty();
  }

  @Test
  void anUnreadableInputSubdirectoryShouldFailTheListingNamingIt() throws Exception {
    Path in = dir(base.resolve("in-b"));
    file(in.resolve("a.csv"), rows("a", 10), "rw-r--r--");
    Path locked = dir(in.resolve("locked"));
    file(locked.resolve("c.csv"), rows("c", 10), "rw-r--r--");
    Files.setPosixFilePermissions(locked, PosixFilePermissions.fromString("---------"));
    Path out = outs.resolve("b");

    ChildJvm.Result r =
        asNobody("run", "--input", in.toString(), "--output", out.toString(), "--on-error", "skip");

    // The listing walks the whole input before anything runs, even under skip:
    // "sluice: cannot list /tmp/junit.../in-b: access denied: /tmp/junit.../in-b/locked"
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly("sluice: cannot list " + in + ": access denied: " + locked);
    assertThat(out).as("nothing written").doesNotExist();
  }

  @Test
  void anOutputDirectoryNobodyCanWriteShouldFailTheRunAndWriteNothing() throws Exception {
    Path in = dir(base.resolve("in-c"));
    file(in.resolve("a.csv"), rows("a", 10), "rw-r--r--");
    Path out = dir(base.resolve("out-c")); // root's, mode 755

    ChildJvm.Result r = asNobody("run", "--input", in.toString(), "--output", out.toString());

    // The CLI keeps its state (manifest, lock) in <output>/.sluice, the first thing it creates:
    // "sluice: cannot use the state directory /tmp/junit.../out-c/.sluice: access denied: ..."
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.errLines().get(0))
        .startsWith(
            "sluice: cannot use the state directory "
                + out.resolve(".sluice")
                + ": access denied: ");
    try (Stream<Path> s = Files.list(out)) {
      assertThat(s).as("nothing written").isEmpty();
    }
  }

  @Test
  void anOutputDirectoryNobodyCanCreateShouldFailTheRunNamingIt() throws Exception {
    Path in = dir(base.resolve("in-d"));
    file(in.resolve("a.csv"), rows("a", 10), "rw-r--r--");
    Path out = dir(base.resolve("parent-d")).resolve("out"); // the parent is root's, mode 755

    ChildJvm.Result r = asNobody("run", "--input", in.toString(), "--output", out.toString());

    // With state (the CLI's default) the state directory inside the output is created first.
    assertThat(r.code()).as("%s", r).isEqualTo(1);
    assertThat(r.errLines())
        .containsExactly(
            "sluice: cannot use the state directory "
                + out.resolve(".sluice")
                + ": access denied: "
                + out);
    assertThat(out).doesNotExist();
  }
}
