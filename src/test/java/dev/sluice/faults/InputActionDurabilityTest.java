package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code onSuccess}/{@code onFailure} move or delete an input only once its output and entry are
 * durable, and durably: a move to another file system copies to a temporary name, forces it,
 * renames it, syncs the directory and only then deletes the input; the action is recorded with the
 * manifest entry, so an action that did not happen (a failure, or a crash) is finished by the next
 * run without processing the file again.
 *
 * <p>Another file system is simulated by a second {@link FaultyFileSystem}: {@code Files.move}
 * between two providers cannot be atomic, exactly as between two mounts.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class InputActionDurabilityTest {
  @TempDir Path tmp;
  private final FaultyFileSystem fs = FaultyFileSystem.create();
  private final FaultyFileSystem other = FaultyFileSystem.create();
  private Path in;
  private Path out;
  private Path archive;
  private Path quarantine;

  @BeforeEach
  void inputs() throws IOException {
    in = tmp.resolve("in");
    out = tmp.resolve("out");
    archive = tmp.resolve("archive");
    quarantine = tmp.resolve("quarantine");
    write("a.csv", "id,v\n1,x\n2,y\n");
    write("sub/b.csv", "id,v\n3,z\n");
  }

  private void write(String name, String text) throws IOException {
    Path p = in.resolve(name);
    Files.createDirectories(p.getParent());
    Files.writeString(p, text, UTF_8);
  }

  private PipelineSpec.Builder spec() {
    return Sluice.builder()
        .input(fs.wrap(in))
        .output(fs.wrap(out))
        .stateDir(fs.wrap(tmp.resolve("state")))
        .onError(ErrorPolicy.SKIP)
        .threads(1, 1, 1);
  }

  /** A run that moves its inputs to another file system. */
  private PipelineSpec.Builder crossDevice() {
    return spec().onSuccess(InputAction.moveTo(other.wrap(archive)));
  }

  private RunResult run(PipelineSpec.Builder b) {
    try {
      return b.run();
    } finally {
      fs.heal();
      other.heal();
    }
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  private long entries(String file) throws IOException {
    return Files.readAllLines(tmp.resolve("state/manifest.jsonl"), UTF_8).stream()
        .filter(l -> l.contains("\"type\":\"file\"") && l.contains("\"file\":\"" + file + "\""))
        .count();
  }

  @Test
  void aMoveToAnotherFileSystemShouldKeepTheBytesAndTheModificationTime() throws IOException {
    byte[] bytes = Files.readAllBytes(in.resolve("sub/b.csv"));
    FileTime mtime = FileTime.fromMillis(1_700_000_000_000L);
    Files.setLastModifiedTime(in.resolve("sub/b.csv"), mtime);

    RunResult r = run(crossDevice());

    assertThat(r.warnings()).as("warnings: %s", r.firstWarnings()).isZero();
    assertThat(files(in)).isEmpty();
    assertThat(files(archive)).containsExactly("a.csv", "sub/b.csv");
    assertThat(Files.readAllBytes(archive.resolve("sub/b.csv"))).isEqualTo(bytes);
    assertThat(Files.getLastModifiedTime(archive.resolve("sub/b.csv"))).isEqualTo(mtime);
  }

  @Test
  void aMoveToAnotherFileSystemShouldForceTheCopyBeforeDeletingTheInput() throws IOException {
    other.failNth(Op.FORCE, 1, p -> p.startsWith(archive), p -> new IOException("injected EIO"));

    RunResult r = run(crossDevice());

    assertThat(other.struck()).as("the copy was forced").hasSize(1);
    assertThat(r.warnings()).isEqualTo(1);
    assertThat(r.firstWarnings().get(0)).contains("could not move input").contains("injected EIO");
    assertThat(files(in)).as("the input whose copy failed stays").hasSize(1);
    assertThat(files(archive)).as("no partial copy, no temporary file").hasSize(1);
    assertThat(files(archive).get(0)).isNotEqualTo(files(in).get(0));
  }

  @Test
  void aMoveToAnotherFileSystemShouldSyncTheArchiveDirectoryBeforeDeletingTheInput()
      throws IOException {
    other.failNth(
        Op.SYNC_DIR, 1, archive.resolve("sub")::equals, p -> new IOException("injected EIO"));

    RunResult r = run(crossDevice());

    assertThat(other.struck()).containsExactly(archive.resolve("sub"));
    assertThat(r.warnings()).isEqualTo(1);
    assertThat(r.firstWarnings().get(0))
        .contains("sub/b.csv")
        .contains("cannot sync directory " + archive.resolve("sub"));
    assertThat(files(in)).as("kept until its copy is durable").containsExactly("sub/b.csv");
  }

  @Test
  void aRenameWhoseArchiveDirectoryCannotBeSyncedShouldBeCountedAsAWarning() {
    fs.failNth(
        Op.SYNC_DIR, 1, archive.resolve("sub")::equals, p -> new IOException("injected EIO"));

    RunResult r = run(spec().onSuccess(InputAction.moveTo(fs.wrap(archive))));

    assertThat(fs.struck()).containsExactly(archive.resolve("sub"));
    assertThat(r.warnings()).isEqualTo(1);
    assertThat(r.firstWarnings().get(0)).contains("sub/b.csv").contains("injected EIO");
  }

  @Test
  void aMoveThatFailedShouldBeFinishedByTheNextRunWithoutProcessingTheFileAgain()
      throws IOException {
    other.failNth(Op.FORCE, 1, p -> p.startsWith(archive), p -> new IOException("injected EIO"));
    run(crossDevice());
    List<String> left = files(in);
    assertThat(left).hasSize(1);
    FileTime outputTime = Files.getLastModifiedTime(out.resolve(left.get(0)));

    RunResult second = run(crossDevice());

    assertThat(second.files()).as("nothing processed again").isZero();
    assertThat(second.filesSkipped()).isEqualTo(1);
    assertThat(second.warnings()).isZero();
    assertThat(files(in)).isEmpty();
    assertThat(files(archive)).containsExactly("a.csv", "sub/b.csv");
    assertThat(entries(left.get(0))).as("one manifest entry").isEqualTo(1);
    assertThat(Files.getLastModifiedTime(out.resolve(left.get(0)))).isEqualTo(outputTime);
  }

  @Test
  void aFailedInputWhoseMoveFailedShouldBeMovedByTheNextRunAndNotRetried() throws IOException {
    write("bad.csv", "id,v\n1,x,extra,fields\n\"unclosed\n");
    PipelineSpec.Builder b =
        spec()
            .onSuccess(InputAction.moveTo(fs.wrap(archive)))
            .onFailure(InputAction.moveTo(other.wrap(quarantine)));
    other.failNth(Op.FORCE, 1, p -> p.startsWith(quarantine), p -> new IOException("injected"));
    RunResult first = run(b);
    assertThat(first.filesFailed()).isEqualTo(1);
    assertThat(files(in)).containsExactly("bad.csv");

    RunResult second = run(b);

    assertThat(second.filesFailed()).as("not retried").isZero();
    assertThat(second.files()).isZero();
    assertThat(second.filesSkipped()).isEqualTo(1);
    assertThat(files(in)).isEmpty();
    assertThat(files(quarantine)).containsExactly("bad.csv");
    assertThat(entries("bad.csv")).isEqualTo(1);
  }

  @Test
  void aDeleteThatFailedShouldBeFinishedByTheNextRun() throws IOException {
    Path a = in.resolve("a.csv");
    fs.failNth(Op.DELETE, 1, a::equals, p -> new IOException("injected"));
    RunResult first = run(spec().onSuccess(InputAction.delete()));
    assertThat(first.warnings()).isEqualTo(1);
    assertThat(files(in)).containsExactly("a.csv");

    RunResult second = run(spec().onSuccess(InputAction.delete()));

    assertThat(second.files()).isZero();
    assertThat(second.filesSkipped()).isEqualTo(1);
    assertThat(files(in)).isEmpty();
    assertThat(entries("a.csv")).isEqualTo(1);
  }
}
