package dev.sluice.internal.fs;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The one atomic whole-file write: the old file or the new one, never a part, and no temp left. */
class AtomicWriteTest {
  @TempDir Path tmp;

  private List<String> names() throws IOException {
    try (Stream<Path> s = Files.list(tmp)) {
      return s.map(p -> p.getFileName().toString()).sorted().collect(Collectors.toList());
    }
  }

  @Test
  void shouldReplaceTheTargetWholeAndLeaveNoTemporaryFile() throws IOException {
    Path target =
        Files.writeString(tmp.resolve("report.json"), "old, and longer than the new content");
    AtomicWrite.to(target).write("new".getBytes(UTF_8));
    assertThat(target).hasContent("new");
    assertThat(names()).containsExactly("report.json");
  }

  @Test
  void aFailingWriteShouldKeepTheOldFileAndRemoveItsTemporaryFile() throws IOException {
    Path target = Files.writeString(tmp.resolve("m.prom"), "old");
    assertThatThrownBy(
            () ->
                AtomicWrite.to(target)
                    .write(
                        out -> {
                          out.write("half".getBytes(UTF_8));
                          throw new IOException("disk full");
                        }))
        .isInstanceOf(IOException.class)
        .hasMessage("disk full");
    assertThat(target).hasContent("old");
    assertThat(names()).containsExactly("m.prom");
  }

  @Test
  void aFailureBeforeTheRenameShouldKeepTheOldFileAndRemoveTheForcedTemporaryFile()
      throws IOException {
    Path target = Files.writeString(tmp.resolve("merged.csv"), "old");
    assertThatThrownBy(
            () ->
                AtomicWrite.to(target)
                    .uniqueTemp(".merged.csv.", ".sluice-tmp")
                    .beforeRename(
                        () -> {
                          assertThat(names()).hasSize(2).anyMatch(n -> n.endsWith(".sluice-tmp"));
                          throw new IOException("crash point");
                        })
                    .write("new".getBytes(UTF_8)))
        .hasMessage("crash point");
    assertThat(target).hasContent("old");
    assertThat(names()).containsExactly("merged.csv");
  }

  @Test
  void aFixedTemporaryFileLeftByACrashShouldBeReplacedNotAppendedTo() throws IOException {
    Files.writeString(
        tmp.resolve(".journal.sluice-tmp"), "left by a crash, longer than the new content");
    Path target = tmp.resolve("journal");
    AtomicWrite.to(target)
        .fixedTemp(".journal.sluice-tmp")
        .syncDirectory()
        .write("{}".getBytes(UTF_8));
    assertThat(target).hasContent("{}");
    assertThat(names()).containsExactly("journal");
  }

  @Test
  void contentThatClosesItsStreamShouldStillBeWrittenWhole() throws IOException {
    Path target = tmp.resolve("orders.csv.gz");
    AtomicWrite.to(target)
        .withoutForce()
        .write(
            raw -> {
              try (OutputStream gz = new GZIPOutputStream(raw);
                  Writer w = new OutputStreamWriter(gz, UTF_8)) {
                w.write("id\n1\n");
              }
            });
    try (GZIPInputStream in = new GZIPInputStream(Files.newInputStream(target))) {
      assertThat(new String(in.readAllBytes(), UTF_8)).isEqualTo("id\n1\n");
    }
  }

  @Test
  void shouldMakeMissingDirectoriesOnlyWhenAsked() throws IOException {
    Path target = tmp.resolve("a/b/report.html");
    assertThatThrownBy(() -> AtomicWrite.to(target).write(new byte[] {1}))
        .isInstanceOf(IOException.class);
    AtomicWrite.to(target).createDirectories().write(new byte[] {1});
    assertThat(target).hasBinaryContent(new byte[] {1});
  }

  @Test
  void shouldGiveThePermissionsAskedForWhateverTheUmask() throws IOException {
    Path target = tmp.resolve("metrics.prom");
    AtomicWrite.to(target).permissions("rw-r--r--").write(new byte[0]);
    PosixFileAttributeView posix = Files.getFileAttributeView(target, PosixFileAttributeView.class);
    if (posix != null) {
      assertThat(PosixFilePermissions.toString(posix.readAttributes().permissions()))
          .isEqualTo("rw-r--r--");
    }
    AtomicWrite.to(target).permissions("rw-------").write(new byte[0]);
    if (posix != null) {
      assertThat(PosixFilePermissions.toString(posix.readAttributes().permissions()))
          .isEqualTo("rw-------");
    }
    assertThatThrownBy(() -> AtomicWrite.to(target).permissions("rwx"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void shouldCopyAReadOnlyFileIntoPlace() throws IOException {
    Path source = Files.writeString(tmp.resolve("in.csv"), "a\n1\n");
    assertThat(source.toFile().setReadOnly()).isTrue();
    Path target = Files.createDirectories(tmp.resolve("archive")).resolve("in.csv");
    AtomicWrite.to(target).fixedTemp(".in.csv.sluice-tmp").copy(source);
    assertThat(target).hasContent("a\n1\n");
    assertThat(Files.getPosixFilePermissions(target))
        .doesNotContain(PosixFilePermission.OWNER_WRITE);
    try (Stream<Path> s = Files.list(target.getParent())) {
      assertThat(s.map(p -> p.getFileName().toString())).containsExactly("in.csv");
    }
  }
}
