package dev.sluice.internal.io;

import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;

/**
 * Opens the raw bytes of an input file: a file of an NIO file system through its provider, or a URL
 * through an opener that can fetch it ({@code dev.sluice.internal.io.http.HttpInput}). The input
 * formats read through one, so one format reads files and URLs alike.
 *
 * <p>Implementations are thread-safe: every reader thread opens through the same opener.
 */
@FunctionalInterface
public interface InputOpener {
  /**
   * Opens files by path; a URL input fails with an {@link IOException} saying it needs an HTTP
   * opener.
   */
  InputOpener FILES =
      file -> {
        if (file.isRemote()) {
          throw new IOException(
              "no HTTP client to fetch "
                  + file.location()
                  + " (use dev.sluice.Sluice to run URL inputs)");
        }
        return Files.newInputStream(file.path());
      };

  /**
   * The bytes of {@code file} from the start. The caller closes the stream.
   *
   * @throws IOException if it cannot be opened; the message names the file or URL
   */
  InputStream open(InputFile file) throws IOException;
}
