package dev.sluice.job;

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

/**
 * dev.sluice.job is for library users and other runners: a facade over the configuration layer
 * ({@code internal.config}, which binds job files onto the same sections the command line fills),
 * never the engine, the formats or the command line.
 */
class JobPackageDependenciesTest {
  private static final Pattern IMPORT =
      Pattern.compile("^import\\s+(?:static\\s+)?([\\w.]+)", Pattern.MULTILINE);
  private static final Pattern QUALIFIED = Pattern.compile("\\bdev\\.sluice\\.[a-z.]+[A-Z]\\w*");
  private static final Pattern ALLOWED =
      Pattern.compile(
          "^(java\\.|org\\.jspecify\\.|com\\.fasterxml\\.jackson\\.|dev\\.sluice\\.api\\b|dev\\.sluice\\.job\\b|dev\\.sluice\\.internal\\.config\\b)");

  @Test
  void theJobPackageDependsOnTheApiAndTheConfigurationLayerOnly() throws IOException {
    List<String> bad = new ArrayList<>();
    try (Stream<Path> s = Files.walk(Path.of("src/main/java/dev/sluice/job"))) {
      for (Path p : s.filter(f -> f.toString().endsWith(".java")).collect(Collectors.toList())) {
        String text = Files.readString(p);
        for (Pattern pattern : new Pattern[] {IMPORT, QUALIFIED}) {
          Matcher m = pattern.matcher(text);
          while (m.find()) {
            String ref = pattern == IMPORT ? m.group(1) : m.group();
            if (!ALLOWED.matcher(ref).find()) {
              bad.add(p.getFileName() + " -> " + ref);
            }
          }
        }
      }
    }
    assertThat(bad).isEmpty();
  }
}
