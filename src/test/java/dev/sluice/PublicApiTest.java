package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.lang.reflect.Member;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.lang.reflect.Type;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Pins Sluice's public API: every public or protected type of the published packages and its public
 * and protected members, compared with {@code src/test/resources/dev/sluice/public-api.txt}. A
 * change to the API fails here until that list is updated in the same change, so that it is made on
 * purpose: {@code -Dsluice.updateApiList=true} rewrites the list from the compiled classes, and the
 * diff shows what changed.
 */
class PublicApiTest {
  /** What library users may call. Everything else is internal, whatever its modifiers. */
  static final Set<String> PUBLISHED =
      Set.of(
          "dev.sluice",
          "dev.sluice.api",
          "dev.sluice.api.spi",
          "dev.sluice.beam",
          "dev.sluice.cli",
          "dev.sluice.job");

  private static final Path LIST = Path.of("src/test/resources/dev/sluice/public-api.txt");

  @Test
  void publicApiShouldMatchTheCheckedInList() throws Exception {
    List<String> actual = new ArrayList<>();
    for (Class<?> c : compiledTypes()) {
      if (PUBLISHED.contains(c.getPackageName()) && visible(c)) {
        actual.addAll(describe(c));
      }
    }
    if (Boolean.getBoolean("sluice.updateApiList")) {
      Files.write(
          LIST,
          Stream.concat(header(), actual.stream()).collect(Collectors.toList()),
          StandardCharsets.UTF_8);
    }
    List<String> pinned =
        Files.readAllLines(LIST, StandardCharsets.UTF_8).stream()
            .filter(l -> !l.isBlank() && !l.startsWith("#"))
            .collect(Collectors.toList());

    Set<String> added = new TreeSet<>(actual);
    pinned.forEach(added::remove);
    Set<String> removed = new TreeSet<>(pinned);
    actual.forEach(removed::remove);
    assertThat(added)
        .as(
            "public API not in %s (add it there on purpose, or run with -Dsluice.updateApiList=true)",
            LIST)
        .isEmpty();
    assertThat(removed)
        .as("%s lists API that is gone (a removal breaks users: remove it there on purpose)", LIST)
        .isEmpty();
    assertThat(actual).as("the list's order").isEqualTo(pinned);
  }

  @Test
  void publishedSignaturesShouldNotMentionInternalTypes() throws Exception {
    List<String> leaks = new ArrayList<>();
    for (Class<?> c : compiledTypes()) {
      if (PUBLISHED.contains(c.getPackageName()) && visible(c)) {
        for (String line : describe(c)) {
          // A member line names its owner too ("...dev.sluice.beam.BeamEngine.run()"): drop it.
          String types = line.replace(c.getName() + ".", "");
          if (types.matches(".*\\bdev\\.sluice\\.(internal|engine|api\\.internal)\\..*")) {
            leaks.add(line.strip());
          }
        }
      }
    }
    assertThat(leaks).as("published API that takes or returns internal types").isEmpty();
  }

  @Test
  void everyOtherPublicTypeShouldLiveInAnInternalPackage() throws Exception {
    List<String> outside = new ArrayList<>();
    for (Class<?> c : compiledTypes()) {
      String pkg = c.getPackageName();
      boolean internal =
          pkg.equals("dev.sluice.engine") // package-private but for LocalEngine (ArchitectureTest)
              || pkg.startsWith("dev.sluice.internal.")
              || pkg.equals("dev.sluice.api.internal");
      if (visible(c) && !PUBLISHED.contains(pkg) && !internal) {
        outside.add(c.getName());
      }
    }
    assertThat(outside)
        .as(
            "public types outside the published and internal packages: make them package-private or move them")
        .isEmpty();
  }

  private static Stream<String> header() {
    return Stream.of(
        "# Sluice's public API, pinned by dev.sluice.PublicApiTest: every public or protected type of",
        "# the published packages and its public and protected members. Change it in the same commit",
        "# as the API, on purpose. Published packages:",
        "# " + String.join(", ", new TreeSet<>(PUBLISHED)));
  }

  /** Public or protected, and so are all the types it is nested in. */
  private static boolean visible(Class<?> c) {
    for (Class<?> t = c; t != null; t = t.getDeclaringClass()) {
      if (t.isAnonymousClass() || t.isLocalClass() || t.isSynthetic()) {
        return false;
      }
      if ((t.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) == 0) {
        return false;
      }
    }
    return true;
  }

  private static List<String> describe(Class<?> c) {
    List<String> lines = new ArrayList<>();
    StringBuilder type = new StringBuilder(c.toGenericString());
    Type sup = c.getGenericSuperclass();
    if (sup != null && sup != Object.class && !c.isEnum() && !c.isRecord()) {
      type.append(" extends ").append(sup.getTypeName());
    }
    List<String> interfaces = new ArrayList<>();
    for (Type i : c.getGenericInterfaces()) {
      interfaces.add(i.getTypeName());
    }
    if (!interfaces.isEmpty()) {
      type.append(c.isInterface() ? " extends " : " implements ")
          .append(String.join(", ", interfaces));
    }
    lines.add(type.toString());
    Set<String> members = new TreeSet<>();
    for (Constructor<?> k : c.getDeclaredConstructors()) {
      if (visible(k)) {
        members.add("  " + k.toGenericString());
      }
    }
    for (Method m : c.getDeclaredMethods()) {
      if (visible(m) && !m.isBridge()) {
        members.add("  " + m.toGenericString());
      }
    }
    for (Field f : c.getDeclaredFields()) {
      if (visible(f)) {
        members.add("  " + f.toGenericString());
      }
    }
    lines.addAll(members);
    return lines;
  }

  private static boolean visible(Member m) {
    return !m.isSynthetic() && (m.getModifiers() & (Modifier.PUBLIC | Modifier.PROTECTED)) != 0;
  }

  /** Every class compiled from src/main/java, in name order (nested types after their owner). */
  private static List<Class<?>> compiledTypes()
      throws IOException, URISyntaxException, ClassNotFoundException {
    Path root = Path.of(Sluice.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    assertThat(root).as("the main classes as a directory (run as a unit test)").isDirectory();
    List<String> names;
    try (Stream<Path> s = Files.walk(root)) {
      names =
          s.map(p -> root.relativize(p).toString())
              .filter(
                  n ->
                      n.endsWith(".class")
                          && !n.endsWith("package-info.class")
                          && !n.endsWith("module-info.class"))
              .map(
                  n ->
                      n.substring(0, n.length() - ".class".length())
                          .replace(java.io.File.separatorChar, '.'))
              .sorted()
              .collect(Collectors.toList());
    }
    List<Class<?>> types = new ArrayList<>();
    for (String n : names) {
      types.add(Class.forName(n, false, PublicApiTest.class.getClassLoader()));
    }
    return types;
  }
}
