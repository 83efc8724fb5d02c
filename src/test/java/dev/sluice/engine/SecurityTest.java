package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.RunResult;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/** Nobody writes where they should not, and nothing is read from where it should not be. */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SecurityTest {
  @TempDir Path tmp;

  @Test
  void anOutputNameEscapingTheOutputDirectoryShouldBeRefusedBeforeAnythingIsWritten()
      throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3);
    FakeFormat evil =
        new FakeFormat(1) {
          @Override
          public String outputName(String inputRelativeName) {
            return "../escaped.txt";
          }
        };

    assertThatThrownBy(() -> EngineFixture.run(fx.spec().build(), evil))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("escapes the output directory");
    assertThat(tmp.resolve("escaped.txt")).doesNotExist();
  }

  @Test
  void aSymlinkedOutputSubdirectoryShouldBeRefused() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3); // writes d0/file-000.txt
    Path elsewhere = Files.createDirectories(tmp.resolve("elsewhere"));
    Files.createDirectories(fx.out);
    Files.createSymbolicLink(fx.out.resolve("d0"), elsewhere);

    assertThatThrownBy(() -> EngineFixture.run(fx.spec().build(), new FakeFormat(1)))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("symbolic link")
        .hasMessageContaining("d0");
    try (var s = Files.list(elsewhere)) {
      assertThat(s).isEmpty();
    }
  }

  @Test
  void symlinksLeavingTheInputShouldBeSkippedUnlessFollowingIsAsked() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(1, 3);
    Path secret = Files.createDirectories(tmp.resolve("secret"));
    Files.write(secret.resolve("passwords.txt"), List.of("hunter2"));
    Files.createSymbolicLink(fx.in.resolve("d0/link"), secret);
    Files.createSymbolicLink(fx.in.resolve("d0/file-link.txt"), secret.resolve("passwords.txt"));
    Files.createSymbolicLink(fx.in.resolve("inside-link.txt"), fx.in.resolve("d0/file-000.txt"));

    RunResult r = EngineFixture.run(fx.spec().build(), new FakeFormat(1));

    assertThat(fx.out.resolve("d0/link/passwords.txt")).doesNotExist();
    assertThat(fx.out.resolve("d0/file-link.txt")).doesNotExist();
    assertThat(fx.out.resolve("inside-link.txt"))
        .as("links inside the input are followed")
        .exists();
    assertThat(r.firstWarnings())
        .anyMatch(w -> w.contains("outside the input") && w.contains("link"));

    RunResult followed =
        EngineFixture.run(
            fx.spec().followSymlinks(true).overwrite(true).build(), new FakeFormat(1));
    assertThat(fx.out.resolve("d0/link/passwords.txt")).exists();
    assertThat(followed.files()).isEqualTo(r.files() + 2);
  }

  @Test
  void temporaryFilesShouldBeOwnerOnlyWhileTheyExist() throws Exception {
    EngineFixture fx = new EngineFixture(tmp).files(1, 50);
    CountDownLatch atCommit = new CountDownLatch(1);
    AtomicReference<String> perms = new AtomicReference<>();
    EngineHooks hooks =
        (point, fileId, seq) -> {
          if (point == EngineHooks.Point.WRITER_COMMIT) {
            try (var s = Files.walk(fx.out)) {
              Path temp =
                  s.filter(p -> p.toString().endsWith(Listing.TEMP_SUFFIX))
                      .findFirst()
                      .orElseThrow();
              perms.set(PosixFilePermissions.toString(Files.getPosixFilePermissions(temp)));
            }
            atCommit.countDown();
          }
        };
    FakeFormat f = new FakeFormat(1);
    try (DefaultPipeline p = new DefaultPipeline(fx.spec().build(), f, f, hooks)) {
      p.run();
    }
    assertThat(atCommit.getCount()).isZero();
    assertThat(perms.get()).isEqualTo("rw-------");
  }
}
