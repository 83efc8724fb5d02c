package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileTime;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Issue 14: {@code run.sh} started from another directory keeps the caller's working directory, so
 * relative {@code --input}, {@code --job}, {@code --hash-key-file} and {@code generate --output}
 * are the caller's; the demo reads and writes the checkout, and its snapshot goes to the checkout's
 * {@code target/cds}. The checkout here is a copy with the built jar newer than its sources, so the
 * script never builds.
 */
@Timeout(300)
class RunScriptIT {
  @TempDir Path tmp;
  Path checkout;
  Path work;

  private record Run(int code, String output) {}

  /** The runnable jar failsafe's {@code package} made (next to the archive DistributionIT uses). */
  private static Path cliJar() throws IOException {
    String dist = System.getProperty("sluice.dist");
    assertThat(dist).as("failsafe sets sluice.dist (run as an IT after package)").isNotNull();
    try (Stream<Path> s = Files.list(Path.of(dist).getParent())) {
      List<Path> jars =
          s.filter(p -> p.getFileName().toString().matches("sluice-.*-cli\\.jar"))
              .collect(Collectors.toList());
      assertThat(jars).as("the cli jar next to " + dist).hasSize(1);
      return jars.get(0);
    }
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> s = Files.walk(from)) {
      for (Path p : s.collect(Collectors.toList())) {
        Path t = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(t);
        } else {
          Files.copy(p, t, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }

  @BeforeEach
  void checkoutCopy() throws IOException {
    checkout = tmp.resolve("checkout");
    Files.createDirectories(checkout.resolve("target"));
    Files.copy(Path.of("run.sh"), checkout.resolve("run.sh"), StandardCopyOption.COPY_ATTRIBUTES);
    Files.copy(Path.of("pom.xml"), checkout.resolve("pom.xml"));
    copyTree(Path.of("src/dist"), checkout.resolve("src/dist"));
    copyTree(Path.of("sample-data"), checkout.resolve("sample-data"));
    Path jar = Files.copy(cliJar(), checkout.resolve("target/sluice-0.0.0-cli.jar"));
    // Sources older than the jar: run.sh must not build (no Maven in the copy).
    FileTime old = FileTime.from(Instant.now().minusSeconds(3600));
    try (Stream<Path> s =
        Stream.concat(
            Files.walk(checkout.resolve("src")), Stream.of(checkout.resolve("pom.xml")))) {
      for (Path p : s.collect(Collectors.toList())) {
        Files.setLastModifiedTime(p, old);
      }
    }
    Files.setLastModifiedTime(jar, FileTime.from(Instant.now()));
    work = Files.createDirectories(tmp.resolve("work"));
  }

  private Run run(Map<String, String> env, String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(List.of(checkout.resolve("run.sh").toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder b = new ProcessBuilder(cmd).directory(work.toFile()).redirectErrorStream(true);
    b.environment().remove("SLUICE_CDS_DIR");
    b.environment().remove("SLUICE_JAVA_OPTS");
    b.environment().put("JAVA_HOME", System.getProperty("java.home"));
    b.environment().putAll(env);
    Process p = b.start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).as(out).isTrue();
    return new Run(p.exitValue(), out);
  }

  @Test
  void relativePathsShouldBeTheCallersWhereverTheCheckoutIs() throws Exception {
    Files.createDirectories(work.resolve("in"));
    Files.writeString(work.resolve("in/a.csv"), "id,email\n1,ann@example.org\n");
    Files.write(
        work.resolve("key"),
        "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    Files.createDirectories(work.resolve("jobs"));
    Files.writeString(
        work.resolve("jobs/j.job"),
        "{\"version\": 1, \"input\": {\"paths\": [\"../in\"]}, \"output\": {\"dir\": \"../by-job\"}, \"steps\": [{\"hash\": [\"email\"]}]}");
    Map<String, String> noCds = Map.of("SLUICE_CDS", "off");

    Run keyed =
        run(
            noCds,
            "run",
            "--input",
            "in",
            "--output",
            "out",
            "--hash",
            "email",
            "--hash-key-file",
            "key",
            "--quiet");
    Run job = run(noCds, "run", "--job", "jobs/j.job", "--hash-key-file", "key", "--quiet");
    Run generate =
        run(noCds, "generate", "--files", "1", "--rows", "3", "--output", "gen", "--quiet");
    Run missing = run(noCds, "run", "--input", "no-such-dir", "--output", "out2");

    assertThat(keyed.code()).as(keyed.output()).isZero();
    assertThat(work.resolve("out/a.csv")).exists();
    assertThat(job.code()).as(job.output()).isZero();
    assertThat(Files.readString(work.resolve("by-job/a.csv")))
        .isEqualTo(Files.readString(work.resolve("out/a.csv")));
    assertThat(generate.code()).as(generate.output()).isZero();
    try (Stream<Path> s = Files.list(work.resolve("gen"))) {
      assertThat(s.count()).isEqualTo(1);
    }
    assertThat(missing.code()).isEqualTo(2);
    assertThat(missing.output())
        .contains("input not found: " + work.toRealPath().resolve("no-such-dir"));
    for (String name : List.of("in", "out", "gen", "by-job", "out2")) {
      assertThat(checkout.resolve(name))
          .as("nothing of the caller's in the checkout")
          .doesNotExist();
    }
  }

  @Test
  void theDemoShouldUseTheCheckoutsSampleDataOutAndSnapshotFromAnyDirectory() throws Exception {
    Run demo = run(Map.of());

    assertThat(demo.code()).as(demo.output()).isZero();
    assertThat(checkout.resolve("out/2026/10/orders-eu.csv")).exists();
    assertThat(demo.output()).contains("First lines of " + checkout.toRealPath().resolve("out"));
    try (Stream<Path> s = Files.list(checkout.resolve("target/cds"))) {
      assertThat(s.map(p -> p.getFileName().toString()))
          .anyMatch(n -> n.matches("sluice-.*\\.jsa"));
    }
    try (Stream<Path> s = Files.list(work)) {
      assertThat(s).as("the demo writes nothing where it is started").isEmpty();
    }
  }
}
