package dev.sluice.faults;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FaultyFileSystemTest {
  @TempDir Path tmp;

  private final FaultyFileSystem fs = FaultyFileSystem.create();

  @Test
  void derivedPathsShouldStayOnTheFaultyFileSystemAndPrintLikeTheRealOnes() {
    Path dir = fs.wrap(tmp);
    Path file = dir.resolve("a").resolve("b.csv");

    assertThat(file.getFileSystem()).isSameAs(fs);
    assertThat(file.getParent().getFileSystem()).isSameAs(fs);
    assertThat(dir.relativize(file).toString()).isEqualTo("a/b.csv");
    assertThat(file.toAbsolutePath().normalize().startsWith(dir)).isTrue();
    assertThat(file).hasToString(tmp.resolve("a/b.csv").toString());
    assertThat(FaultyFileSystem.unwrap(file)).isEqualTo(tmp.resolve("a/b.csv"));
    assertThat(fs.supportedFileAttributeViews())
        .isEqualTo(FileSystems.getDefault().supportedFileAttributeViews());
  }

  @Test
  void filesOperationsShouldBeCountedByKind() throws IOException {
    Path dir = fs.wrap(tmp);
    Path sub = Files.createDirectories(dir.resolve("sub"));
    Path a = sub.resolve("a.txt");
    Files.write(a, "hello".getBytes(UTF_8));
    assertThat(Files.readAllBytes(a)).asString(UTF_8).isEqualTo("hello");
    try (FileChannel ch = FileChannel.open(a, StandardOpenOption.WRITE)) {
      ch.force(true);
    }
    Path b = sub.resolve("b.txt");
    Files.move(a, b, StandardCopyOption.ATOMIC_MOVE);
    try (Stream<Path> s = Files.list(sub)) {
      assertThat(s.map(p -> p.getFileName().toString()).collect(Collectors.toList()))
          .containsExactly("b.txt");
    }
    Files.delete(b);

    assertThat(fs.counts())
        .containsEntry(Op.MKDIR, 1)
        .containsEntry(Op.OPEN_WRITE, 2)
        .containsEntry(Op.WRITE, 1)
        .containsEntry(Op.OPEN_READ, 1)
        .containsEntry(Op.FORCE, 1)
        .containsEntry(Op.CLOSE, 3)
        .containsEntry(Op.MOVE, 1)
        .containsEntry(Op.LIST, 1)
        .containsEntry(Op.DELETE, 1);
    assertThat(fs.counts().get(Op.READ)).isPositive();
  }

  @Test
  void onlyTheNthMatchingOperationShouldFailAndItsPathShouldBeRecorded() throws IOException {
    Path dir = fs.wrap(tmp);
    Path a = dir.resolve("a.txt");
    Path b = dir.resolve("b.txt");
    fs.failNth(
        Op.OPEN_WRITE,
        2,
        p -> p.getFileName().toString().startsWith("b"),
        p -> new IOException("injected"));

    Files.writeString(b, "1");
    Files.writeString(a, "not counted: the fault only looks at b*");
    assertThatThrownBy(() -> Files.writeString(b, "2"))
        .isInstanceOf(IOException.class)
        .hasMessage("injected");
    Files.writeString(b, "3");

    assertThat(fs.struck()).containsExactly(tmp.resolve("b.txt"));
    assertThat(Files.readString(b)).isEqualTo("3");
    assertThat(fs.counts()).containsEntry(Op.OPEN_WRITE, 4);
  }

  @Test
  void aStickyFaultShouldFailEveryOperationFromTheNthOn() throws IOException {
    Path a = fs.wrap(tmp).resolve("a.txt");
    fs.failFrom(
        Op.WRITE,
        2,
        p -> true,
        p -> new FileSystemException(p.toString(), null, "No space left on device"));

    try (OutputStream out = Files.newOutputStream(a)) {
      out.write(1);
      assertThatThrownBy(() -> out.write(2)).hasMessageEndingWith("a.txt: No space left on device");
      assertThatThrownBy(() -> out.write(3)).hasMessageEndingWith("a.txt: No space left on device");
    }

    assertThat(fs.struck()).hasSize(2);
    assertThat(Files.readAllBytes(FaultyFileSystem.unwrap(a))).containsExactly(1);
  }

  @Test
  void aFailedCloseShouldStillReleaseTheFile() throws IOException {
    Path a = fs.wrap(tmp).resolve("a.txt");
    Files.writeString(a, "data");
    fs.failNth(Op.CLOSE, 1, p -> true, p -> new IOException("injected close"));

    InputStream in = Files.newInputStream(a);
    assertThat(in.readAllBytes()).hasSize(4);
    assertThatThrownBy(in::close).hasMessage("injected close");

    // The wrapper is closed for good: a second close does nothing and reads fail as on any closed
    // stream.
    in.close();
    assertThatThrownBy(in::read).isInstanceOf(IOException.class);
    assertThat(fs.counts()).containsEntry(Op.CLOSE, 2); // the write's close and the failed one
  }

  @Test
  void aFaultShouldStrikeBeforeTheOperationIsPerformed() throws IOException {
    Path dir = fs.wrap(tmp);
    Path a = dir.resolve("a.txt");
    Files.writeString(a, "data");
    fs.failNth(Op.MOVE, 1, p -> true, p -> new IOException("injected move"));

    assertThatThrownBy(() -> Files.move(a, dir.resolve("b.txt"), StandardCopyOption.ATOMIC_MOVE))
        .hasMessage("injected move");

    assertThat(tmp.resolve("a.txt")).exists();
    assertThat(tmp.resolve("b.txt")).doesNotExist();
    fs.heal();
    Files.move(a, dir.resolve("b.txt"), StandardCopyOption.ATOMIC_MOVE);
    assertThat(tmp.resolve("b.txt")).hasContent("data");
  }

  @Test
  void aFailedReadShouldLeaveTheChannelUsable() throws IOException {
    Path a = fs.wrap(tmp).resolve("a.txt");
    Files.writeString(a, "abc");
    fs.failNth(Op.READ, 1, p -> true, p -> new IOException("injected read"));

    try (FileChannel ch = FileChannel.open(a, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(8);
      assertThatThrownBy(() -> ch.read(buf)).hasMessage("injected read");
      assertThat(ch.read(buf)).isEqualTo(3);
    }
    assertThat(List.copyOf(fs.struck())).containsExactly(tmp.resolve("a.txt"));
  }
}
