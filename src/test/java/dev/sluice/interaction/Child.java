package dev.sluice.interaction;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * Starts the CLI ({@code dev.sluice.cli.Main}) in a child JVM with the test's class path, its own
 * {@code java.io.tmpdir} (so the test can see what a run leaves in the system temp directory),
 * optionally a {@code sluice.test.crashAt} crash point, stdout and stderr in files.
 *
 * <p>Stateless; thread-safe.
 */
final class Child {
  private Child() {}

  private static volatile String classPath;

  static String classPath() throws IOException {
    String cp = classPath;
    if (cp == null) {
      List<String> out = new ArrayList<>();
      for (String e : System.getProperty("java.class.path").split(File.pathSeparator)) {
        if (e.isEmpty()) {
          continue;
        }
        Path p = Path.of(e).toAbsolutePath();
        List<Path> listed = manifestClassPath(p);
        if (listed.isEmpty()) {
          out.add(p.toString());
        } else {
          listed.forEach(l -> out.add(l.toString()));
        }
      }
      cp = String.join(File.pathSeparator, out);
      classPath = cp;
    }
    return cp;
  }

  /** Surefire and Failsafe may run tests from a manifest-only jar: use the entries it lists. */
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
        out.add(Path.of(jar.toUri().resolve(URI.create(u))));
      }
      return out;
    }
  }

  /**
   * Starts {@code java ... dev.sluice.cli.Main args} in {@code workDir}. {@code stdin} null means a
   * pipe the caller writes to ({@link Process#getOutputStream}).
   */
  static Process start(
      Path workDir,
      Path tmpDir,
      String crashAt,
      List<String> args,
      Path stdin,
      Path stdout,
      Path stderr)
      throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    cmd.add("-Xmx256m");
    // A short-lived CLI: the C1 compiler and the serial collector start fastest.
    cmd.add("-XX:TieredStopAtLevel=1");
    cmd.add("-XX:+UseSerialGC");
    cmd.add("-Xshare:auto");
    cmd.add("-Duser.language=tr");
    cmd.add("-Duser.country=TR");
    cmd.add("-Djava.io.tmpdir=" + tmpDir);
    if (crashAt != null) {
      cmd.add("-Dsluice.test.crashAt=" + crashAt);
    }
    cmd.add("-cp");
    cmd.add(classPath());
    cmd.add("dev.sluice.cli.Main");
    cmd.addAll(args);
    ProcessBuilder pb =
        new ProcessBuilder(cmd)
            .directory(workDir.toFile())
            .redirectOutput(stdout.toFile())
            .redirectError(stderr.toFile());
    if (stdin != null) {
      pb.redirectInput(stdin.toFile());
    }
    return pb.start();
  }
}
