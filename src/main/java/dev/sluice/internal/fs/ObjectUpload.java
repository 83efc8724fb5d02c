package dev.sluice.internal.fs;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Files;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Set;

/**
 * Commits a finished local file as an object: one upload, after which the object is there whole (an
 * object store shows an object only once its upload has completed, and a replaced object stays as
 * it was until then). Nothing is ever written to the store before the file is complete, so a failed
 * or killed run leaves no partial object and no temporary object to clean up.
 *
 * <p>Stateless and thread-safe.
 */
public final class ObjectUpload {
  private ObjectUpload() {}

  /**
   * Uploads {@code local} as {@code target}, replacing any object there.
   *
   * @throws IOException if the upload fails (no object was written), naming the target
   */
  public static void put(Path local, Path target) throws IOException {
    // CREATE_NEW spares the S3 provider a download: opened otherwise, it first fetches the object
    // it is about to replace (TRUNCATE_EXISTING notwithstanding).
    Set<OpenOption> options =
        Files.exists(target)
            ? Set.of(
                StandardOpenOption.WRITE,
                StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING)
            : Set.of(StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW);
    SeekableByteChannel upload = Files.newByteChannel(target, options);
    try (FileChannel in = FileChannel.open(local, StandardOpenOption.READ)) {
      long size = in.size();
      for (long pos = 0; pos < size; ) {
        pos += in.transferTo(pos, size - pos, upload);
      }
    } catch (IOException | RuntimeException e) {
      // Not closed on purpose: the provider uploads whatever a closed channel holds, and this one
      // holds part of the file. Its local buffer file is left behind instead of a partial object.
      throw new IOException(
          "cannot stage " + ObjectStores.name(target) + " for upload: " + e.getMessage(), e);
    }
    try {
      upload.close(); // the upload: the object appears here, whole
    } catch (IOException e) {
      throw new IOException("cannot upload " + ObjectStores.name(target) + ": " + e, e);
    }
  }
}
