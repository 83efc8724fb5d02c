package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/** Keeps the package arrows of docs/ARCHITECTURE.md true by scanning the main sources. */
class ArchitectureTest {
  private static final Path MAIN = Path.of("src/main/java/dev/sluice");
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);

  record Source(Path path, String pkg, String text, List<String> imports) {}

  private static List<Source> sources() throws IOException {
    try (Stream<Path> s = Files.walk(MAIN)) {
      List<Source> out = new ArrayList<>();
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        String text = Files.readString(p);
        String pkg = MAIN.relativize(p.getParent()).toString().replace('/', '.');
        List<String> imports = new ArrayList<>();
        Matcher m = IMPORT.matcher(text);
        while (m.find()) {
          imports.add(m.group(1));
        }
        // Fully qualified references count as dependencies too.
        Matcher q = Pattern.compile("\\bdev\\.sluice\\.[a-z.]+[A-Z]\\w*").matcher(text);
        while (q.find()) {
          imports.add(q.group());
        }
        out.add(new Source(p, pkg, text, imports));
      }
      return out;
    }
  }

  private static List<String> violations(String pkgPrefix, Pattern forbidden) throws IOException {
    List<String> bad = new ArrayList<>();
    for (Source s : sources()) {
      if (s.pkg.equals(pkgPrefix) || s.pkg.startsWith(pkgPrefix + ".")) {
        for (String i : s.imports) {
          if (forbidden.matcher(i).find()) {
            bad.add(s.path + " -> " + i);
          }
        }
      }
    }
    return bad;
  }

  @Test
  void apiShouldDependOnTheJdkAndAnnotationsOnly() throws IOException {
    assertThat(
            violations(
                "api",
                Pattern.compile(
                    "^(?!java\\.|javax\\.|org\\.jspecify\\.|dev\\.sluice\\.api\\b|com\\.google\\.errorprone\\.annotations\\.)")))
        .isEmpty();
  }

  @Test
  void formatsAndReportShouldNotKnowTheEngineOrTheCli() throws IOException {
    Pattern engineOrCli = Pattern.compile("^dev\\.sluice\\.(engine|cli)\\b");
    assertThat(violations("internal.io", engineOrCli)).isEmpty();
    assertThat(violations("internal.report", engineOrCli)).isEmpty();
  }

  @Test
  void theSharedFileHelpersShouldDependOnTheJdkAndAnnotationsOnly() throws IOException {
    // Engine, report and cli all use them, so they may know none of them.
    assertThat(
            violations(
                "internal.fs",
                Pattern.compile(
                    "^(?!java\\.|org\\.jspecify\\.|dev\\.sluice\\.internal\\.fs\\b|com\\.google\\.errorprone\\.annotations\\.)")))
        .isEmpty();
  }

  @Test
  void engineShouldNotKnowFormatsReportOrCli() throws IOException {
    assertThat(
            violations(
                "engine",
                Pattern.compile("^dev\\.sluice\\.(internal\\.io|internal\\.report|cli)\\b")))
        .isEmpty();
  }

  @Test
  void nothingButTheCliShouldImportTheCli() throws IOException {
    List<String> bad = new ArrayList<>();
    for (Source s : sources()) {
      if (!s.pkg.startsWith("cli")) {
        s.imports.stream()
            .filter(i -> i.startsWith("dev.sluice.cli"))
            .forEach(i -> bad.add(s.path + " -> " + i));
      }
    }
    assertThat(bad).isEmpty();
  }

  @Test
  void theEngineShouldExposeOnlyItsEntryPoint() throws IOException {
    List<String> publicTypes =
        sources().stream()
            .filter(s -> s.pkg.equals("engine"))
            .filter(
                s ->
                    Pattern.compile(
                            "^public\\s+(final\\s+)?(class|interface|enum|record)",
                            Pattern.MULTILINE)
                        .matcher(s.text)
                        .find())
            .map(s -> s.path.getFileName().toString())
            .collect(Collectors.toList());
    assertThat(publicTypes).containsExactly("LocalEngine.java");
  }

  @Test
  void everyPackageShouldHaveAPackageInfo() throws IOException {
    List<String> missing =
        sources().stream()
            .map(s -> s.path.getParent())
            .distinct()
            .filter(d -> !d.equals(MAIN) && !Files.exists(d.resolve("package-info.java")))
            .map(Path::toString)
            .collect(Collectors.toList());
    assertThat(missing).isEmpty();
  }
}
