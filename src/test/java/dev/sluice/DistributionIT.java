package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installable archive: unpacked anywhere, its bin/sluice runs a job from another directory. */
class DistributionIT {
  @TempDir Path tmp;

  private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    return run(dir, cmd, Map.of());
  }

  private static String run(Path dir, List<String> cmd, Map<String, String> env)
      throws IOException, InterruptedException {
    ProcessBuilder b = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true);
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    assertThat(p.exitValue()).as(out).isZero();
    return out;
  }

  @Test
  void theArchiveShouldInstallAnywhereAndRunAJob() throws Exception {
    String dist = System.getProperty("sluice.dist");
    assumeTrue(dist != null && Files.exists(Path.of(dist)), "run by failsafe after package");
    Path install = Files.createDirectories(tmp.resolve("opt"));
    run(install, List.of("tar", "xzf", dist));
    Path home;
    try (var s = Files.list(install)) {
      home = s.findFirst().orElseThrow();
    }
    Path launcher = home.resolve("bin/sluice");
    assertThat(Files.isExecutable(launcher)).isTrue();

    // The launcher keeps its class-data-sharing snapshot here, not in the user's ~/.cache.
    Path cds = tmp.resolve("cds");
    Map<String, String> env = Map.of("SLUICE_CDS_DIR", cds.toString());
    assertThat(run(tmp, List.of(launcher.toString(), "--version"), env)).isNotBlank();
    try (var s = Files.list(cds)) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .singleElement()
          .asString()
          .endsWith(".jsa");
    }
    List<String> job =
        List.of(
            launcher.toString(),
            "run",
            "--input",
            home.resolve("sample-data").toString() + "/**/*.{csv,csv.gz}",
            "--filter",
            "status == SHIPPED",
            "--hash",
            "email",
            "--output");
    Path out = tmp.resolve("out");
    String summary = run(tmp, concat(job, out.toString()), env);
    assertThat(summary).contains("files: 3");
    assertThat(out.resolve("2026/10/orders-eu.csv")).exists();

    // The snapshot is really mapped, and changes nothing in the output.
    String classes =
        run(
            tmp,
            List.of(launcher.toString(), "--version"),
            Map.of("SLUICE_CDS_DIR", cds.toString(), "SLUICE_JAVA_OPTS", "-Xlog:class+load=info"));
    assertThat(classes).contains("source: shared objects file (top)");
    Path plain = tmp.resolve("plain");
    run(tmp, concat(job, plain.toString()), Map.of("SLUICE_CDS", "off"));
    assertSameTree(out, plain);

    // A damaged snapshot, or a cache directory that cannot be made, only costs the speed-up.
    try (var s = Files.list(cds)) {
      Path snapshot = s.filter(p -> p.toString().endsWith(".jsa")).findFirst().orElseThrow();
      snapshot.toFile().setWritable(true);
      Files.write(snapshot, new byte[4096]);
    }
    Path damaged = tmp.resolve("damaged");
    run(tmp, concat(job, damaged.toString()), env);
    assertSameTree(out, damaged);
    Path blocked = tmp.resolve("blocked");
    Files.writeString(tmp.resolve("a-file"), "not a directory");
    run(
        tmp,
        concat(job, blocked.toString()),
        Map.of("SLUICE_CDS_DIR", tmp.resolve("a-file/cds").toString()));
    assertSameTree(out, blocked);

    // A sharing option of the user's own replaces the snapshot (the JVM refuses two archives).
    Path own = tmp.resolve("own");
    Path ownCds = tmp.resolve("own-cds");
    run(
        tmp,
        concat(job, own.toString()),
        Map.of("SLUICE_CDS_DIR", ownCds.toString(), "SLUICE_JAVA_OPTS", "-Xshare:off"));
    assertSameTree(out, own);
    assertThat(ownCds).doesNotExist();

    // Heap ergonomics: the serial collector by default, the user's collector when one is named.
    assertThat(jvmFlags(tmp, launcher, ""))
        .contains("-XX:+UseSerialGC", "-XX:Tier4InvocationThreshold=50000");
    assertThat(jvmFlags(tmp, launcher, "-XX:+UseParallelGC"))
        .contains("-XX:+UseParallelGC")
        .doesNotContain("UseSerialGC");
    // JIT thresholds: the user's own replace the launcher's.
    assertThat(jvmFlags(tmp, launcher, "-XX:TieredStopAtLevel=1"))
        .contains("-XX:TieredStopAtLevel=1")
        .doesNotContain("Tier4InvocationThreshold");
  }

  /** The JVM options the launcher starts the JVM with, given {@code javaOpts} of the user's. */
  private static String jvmFlags(Path tmp, Path launcher, String javaOpts) throws Exception {
    return run(
        tmp,
        List.of(launcher.toString(), "--version"),
        Map.of("SLUICE_CDS", "off", "SLUICE_JAVA_OPTS", javaOpts + " -XX:+PrintCommandLineFlags"));
  }

  private static List<String> concat(List<String> head, String last) {
    List<String> all = new java.util.ArrayList<>(head);
    all.add(last);
    return all;
  }

  /**
   * The same output files with the same bytes (the job's state directory, with its run ids, aside).
   */
  private static void assertSameTree(Path expected, Path actual) throws IOException {
    assertThat(outputs(actual)).isEqualTo(outputs(expected));
    for (String f : outputs(expected)) {
      assertThat(actual.resolve(f)).hasSameBinaryContentAs(expected.resolve(f));
    }
  }

  private static List<String> outputs(Path root) throws IOException {
    try (var files = Files.walk(root)) {
      return files
          .filter(Files::isRegularFile)
          .map(f -> root.relativize(f).toString())
          .filter(f -> !f.startsWith(".sluice"))
          .sorted()
          .collect(java.util.stream.Collectors.toList());
    }
  }
}
