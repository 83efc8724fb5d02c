package dev.sluice.internal.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Where a directory sync is attempted and where it is skipped: decided by the file system's
 * capability (POSIX file systems open directories), never by swallowing an exception.
 */
class DurableFilesTest {
  @TempDir Path tmp;

  @Test
  void aMissingDirectoryShouldFailItsSyncNamingIt() {
    Path gone = tmp.resolve("gone");

    assertThatThrownBy(() -> DurableFiles.syncDirectory(gone))
        .isInstanceOf(IOException.class)
        .hasMessageContaining(gone.toString());
  }

  @Test
  void aFileSystemThatCannotOpenDirectoriesShouldOnlyCheckThatTheDirectoryExists()
      throws IOException {
    try (FileSystem zip =
        FileSystems.newFileSystem(tmp.resolve("a.zip"), Map.of("create", "true"))) {
      Path dir = Files.createDirectories(zip.getPath("/out"));
      assertThat(DurableFiles.canSyncDirectories(zip)).isFalse();

      DurableFiles.syncDirectory(dir); // a zip file system cannot open a directory: skipped

      assertThatThrownBy(() -> DurableFiles.syncDirectory(zip.getPath("/missing")))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("/missing");
    }
  }

  @Test
  void createDirectoriesShouldMakeEveryMissingLevel() throws IOException {
    Path deep = tmp.resolve("a/b/c");

    DurableFiles.createDirectories(deep);
    DurableFiles.createDirectories(deep); // exists: nothing to do

    assertThat(deep).isDirectory();
  }
}
