package dev.sluice.internal.report;

import static java.util.concurrent.TimeUnit.MINUTES;
import static java.util.concurrent.TimeUnit.SECONDS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.api.Stage;
import dev.sluice.api.internal.ApiAccess;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Opens the HTML report in headless Chromium: the browser must build the same page (three charts,
 * the verdict), report no page errors, and paint something that is not blank. Needs a Chromium
 * binary ({@code /usr/bin/chromium} or {@code chromium} on the PATH) and is skipped without one.
 * Leaves the example report and its screenshot in the build directory's {@code html-report}.
 */
@Tag("system")
@Timeout(value = 5, unit = MINUTES)
class HtmlReportBrowserIT {
  private static final long BROWSER_TIMEOUT_SECONDS = 60;

  @TempDir Path tmp;

  @Test
  void shouldShowTheChartsAndTheVerdictInTheBrowsersDom() throws Exception {
    Path browser = chromium();
    Path report = exampleDir().resolve("report.html");
    HtmlReport.write(HtmlReportTest.sampleResult(), report);

    Run run = run(browser, "--dump-dom", report.toUri().toString());

    assertThat(run.exit).as("chromium exit code; stderr:%n%s", run.stderr).isZero();
    String dom = run.stdout;
    assertThat(ids(dom, "<svg[^>]*\\bid=\"([^\"]+)\""))
        .containsExactly("chart-throughput", "chart-queues", "chart-busy");
    for (String chart : dom.split("<svg")) {
      if (chart.startsWith(" id=\"chart-")) {
        assertThat(chart.substring(0, chart.indexOf("</svg>"))).contains("<path");
      }
    }
    assertThat(dom)
        .contains("id=\"verdict\"", "Bottleneck: <span class=\"stage\">transformers</span>")
        .contains(HtmlReportTest.EVIDENCE.replace("&", "&amp;"))
        .contains("--readers 2 --transformers 6 --writers 1")
        .contains("a&lt;b&gt;&amp;\"c\".csv"); // the browser parsed the escaped name back to text
    assertNoPageErrors(run.stderr, report);
  }

  @Test
  void shouldPaintANonBlankScreenshot() throws Exception {
    Path browser = chromium();
    Path report = exampleDir().resolve("report.html");
    HtmlReport.write(HtmlReportTest.sampleResult(), report);
    Path png = exampleDir().resolve("report.png");
    Files.deleteIfExists(png);

    Run run =
        run(browser, "--screenshot=" + png, "--window-size=1280,2400", report.toUri().toString());

    assertThat(run.exit).as("chromium exit code; stderr:%n%s", run.stderr).isZero();
    assertThat(png).isRegularFile();
    assertThat(Files.size(png)).isGreaterThan(20_000);
    BufferedImage image = ImageIO.read(png.toFile());
    assertThat(image.getWidth()).isEqualTo(1280);
    assertThat(image.getHeight()).isEqualTo(2400);
    assertThat(distinctColours(image)).as("distinct colours").isGreaterThan(200);
    assertNoPageErrors(run.stderr, report);
  }

  @Test
  void shouldRenderAFailureReportWithoutPageErrors() throws Exception {
    Path browser = chromium();
    Path report = exampleDir().resolve("failure.html");
    HtmlReport.writeFailure(
        ApiAccess.withResult(
            ApiAccess.pipelineException(
                Stage.READER,
                "in/" + HtmlReportTest.NASTY_NAME,
                7,
                6,
                "sluice-reader-1",
                null,
                new IOException("Unexpected end of ZLIB input stream")),
            HtmlReportTest.sampleResult()),
        report);
    Path png = exampleDir().resolve("failure.png");
    Files.deleteIfExists(png);

    Run run =
        run(browser, "--screenshot=" + png, "--window-size=1280,1600", report.toUri().toString());

    assertThat(run.exit).as("chromium exit code; stderr:%n%s", run.stderr).isZero();
    assertThat(png).isRegularFile();
    assertThat(distinctColours(ImageIO.read(png.toFile())))
        .as("distinct colours")
        .isGreaterThan(200);
    assertNoPageErrors(run.stderr, report);
  }

  // ---- helpers ----

  private static Path chromium() {
    Optional<Path> found =
        Stream.of("/usr/bin/chromium", "/usr/bin/chromium-browser")
            .map(Path::of)
            .filter(Files::isExecutable)
            .findFirst()
            .or(() -> onPath("chromium"))
            .or(() -> onPath("chromium-browser"));
    assumeTrue(found.isPresent(), "no chromium binary: install Debian's chromium package");
    return found.get();
  }

  private static Optional<Path> onPath(String name) {
    String path = System.getenv("PATH");
    if (path == null) {
      return Optional.empty();
    }
    return Stream.of(path.split(java.io.File.pathSeparator))
        .filter(d -> !d.isEmpty())
        .map(d -> Path.of(d, name))
        .filter(Files::isExecutable)
        .findFirst();
  }

  /** The build directory (target/ or -Dsluice.buildDir), found from where the test classes are. */
  private static Path exampleDir() throws Exception {
    Path testClasses =
        Path.of(
            HtmlReportBrowserIT.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    Path dir = testClasses.getParent().resolve("html-report");
    Files.createDirectories(dir);
    return dir;
  }

  private static final class Run {
    final int exit;
    final String stdout;
    final String stderr;

    Run(int exit, String stdout, String stderr) {
      this.exit = exit;
      this.stdout = stdout;
      this.stderr = stderr;
    }
  }

  private Run run(Path browser, String... args) throws Exception {
    List<String> command =
        new ArrayList<>(
            List.of(
                browser.toString(),
                "--headless",
                "--no-sandbox",
                "--disable-gpu",
                "--disable-quic",
                "--no-first-run",
                "--disable-background-networking",
                "--disable-component-update",
                "--disable-sync",
                "--enable-logging=stderr", // prints the page's console messages and uncaught errors
                "--user-data-dir=" + Files.createTempDirectory(tmp, "profile")));
    command.addAll(List.of(args));
    // Files, not pipes: a full pipe would stall the browser while we wait for it.
    Path out = tmp.resolve("stdout-" + System.nanoTime());
    Path err = tmp.resolve("stderr-" + System.nanoTime());
    Process p =
        new ProcessBuilder(command)
            .directory(tmp.toFile())
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    try {
      if (!p.waitFor(BROWSER_TIMEOUT_SECONDS, SECONDS)) {
        throw new AssertionError(
            "chromium did not finish in "
                + BROWSER_TIMEOUT_SECONDS
                + " s: "
                + command
                + "\nstderr:\n"
                + Files.readString(err, StandardCharsets.UTF_8));
      }
    } finally {
      if (p.isAlive()) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        p.waitFor(10, SECONDS);
      }
    }
    return new Run(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }

  /**
   * Fails on what the page itself reported: console messages from the report (it has no scripts, so
   * it should log nothing) and uncaught errors. Chromium's own noise (D-Bus, GPU, sandbox warnings)
   * is ignored.
   */
  private static void assertNoPageErrors(String stderr, Path report) {
    String source = report.toUri().toString();
    List<String> problems =
        stderr
            .lines()
            .filter(
                l ->
                    l.contains("Uncaught")
                        || (l.contains(":CONSOLE") && l.contains(source))
                        || (l.contains("ERROR:") && l.contains(source)))
            .collect(Collectors.toList());
    assertThat(problems).as("page errors in chromium's stderr").isEmpty();
  }

  private static List<String> ids(String dom, String regex) {
    Matcher m = Pattern.compile(regex).matcher(dom);
    List<String> out = new ArrayList<>();
    while (m.find()) {
      out.add(m.group(1));
    }
    return out;
  }

  private static int distinctColours(BufferedImage image) {
    Set<Integer> colours = new HashSet<>();
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        colours.add(image.getRGB(x, y));
      }
    }
    return colours.size();
  }
}
