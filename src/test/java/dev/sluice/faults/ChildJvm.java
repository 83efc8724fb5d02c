package dev.sluice.faults;

import static org.assertj.core.api.Assertions.fail;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Runs the CLI ({@code dev.sluice.cli.Main}) in a child JVM, with the test's class path, a bounded
 * wait, and stdout and stderr captured in files (pipes could fill up and block the child).
 *
 * <p>Stateless; thread-safe.
 */
final class ChildJvm {
  private ChildJvm() {}

  /** What a child run did. */
  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  static String java() {
    return Path.of(System.getProperty("java.home"), "bin", "java").toString();
  }

  /**
   * The entries of this JVM's class path. A manifest-only jar (what Surefire and Failsafe may put
   * on {@code java.class.path}) is replaced by the entries its {@code Class-Path} lists.
   */
  static List<Path> classPath() throws IOException {
    List<Path> out = new ArrayList<>();
    for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
      if (e.isEmpty()) {
        continue;
      }
      Path p = Path.of(e).toAbsolutePath();
      List<Path> listed = manifestClassPath(p);
      if (listed.isEmpty()) {
        out.add(p);
      } else {
        out.addAll(listed);
      }
    }
    return out;
  }

  private static List<Path> manifestClassPath(Path jar) throws IOException {
    if (!jar.toString().endsWith(".jar") || !Files.isRegularFile(jar)) {
      return List.of();
    }
    try (JarFile j = new JarFile(jar.toFile())) {
      Manifest m = j.getManifest();
      String cp = m == null ? null : m.getMainAttributes().getValue("Class-Path");
      if (cp == null || cp.isBlank()) {
        return List.of();
      }
      List<Path> out = new ArrayList<>();
      for (String u : cp.trim().split("\\s+")) {
        URI uri = jar.toUri().resolve(u);
        out.add(Path.of(uri));
      }
      return out;
    } catch (IllegalArgumentException e) {
      throw new IOException("cannot read the class path of " + jar, e);
    }
  }

  static String join(List<Path> entries) {
    List<String> s = new ArrayList<>();
    entries.forEach(p -> s.add(p.toString()));
    return String.join(File.pathSeparator, s);
  }

  /**
   * Runs {@code prefix... java jvmArgs... -cp classPath dev.sluice.cli.Main args...} in {@code
   * workDir}, waiting at most {@code timeout}; a child still running then is killed and the test
   * fails.
   */
  static Result run(
      List<String> prefix,
      List<String> jvmArgs,
      String classPath,
      Path workDir,
      Path logs,
      Duration timeout,
      String... args)
      throws IOException, InterruptedException {
    List<String> cmd = new ArrayList<>(prefix);
    cmd.add(java());
    cmd.addAll(jvmArgs);
    cmd.add("-cp");
    cmd.add(classPath);
    cmd.add("dev.sluice.cli.Main");
    cmd.addAll(Arrays.asList(args));
    Files.createDirectories(logs);
    Path out = Files.createTempFile(logs, "stdout", ".txt");
    Path err = Files.createTempFile(logs, "stderr", ".txt");
    Process p =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
            .redirectOutput(out.toFile())
            .redirectError(err.toFile())
            .start();
    if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
      p.destroyForcibly();
      p.waitFor(10, TimeUnit.SECONDS);
      fail(
          "child JVM still running after %s, killed: %s%n--- stderr:%n%s",
          timeout, cmd, Files.readString(err));
    }
    return new Result(
        p.exitValue(),
        Files.readString(out, StandardCharsets.UTF_8),
        Files.readString(err, StandardCharsets.UTF_8));
  }
}
