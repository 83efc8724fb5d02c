package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The installable archive: unpacked anywhere, its bin/sluice runs a job from another directory. */
class DistributionIT {
  @TempDir Path tmp;

  private static String run(Path dir, List<String> cmd) throws IOException, InterruptedException {
    Process p =
        new ProcessBuilder(cmd)
            .directory(dir.toFile())
            .redirectErrorStream(true)
            .start();
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

    assertThat(run(tmp, List.of(launcher.toString(), "--version"))).isNotBlank();
    Path out = tmp.resolve("out");
    String summary =
        run(
            tmp,
            List.of(
                launcher.toString(),
                "run",
                "--input",
                home.resolve("sample-data").toString() + "/**/*.{csv,csv.gz}",
                "--output",
                out.toString(),
                "--filter",
                "status == SHIPPED"));
    assertThat(summary).contains("files: 3");
    assertThat(out.resolve("2026/10/orders-eu.csv")).exists();
  }
}
