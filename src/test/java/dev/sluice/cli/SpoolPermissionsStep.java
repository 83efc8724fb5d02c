package dev.sluice.cli;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * A custom step for {@code StreamSpoolTest}: while the run goes, it records the permissions of
 * everything in the {@code sluice-stream-*} directories under {@code java.io.tmpdir} (relative path
 * to {@code rwx------} form), once. Public for {@code --step}.
 */
public final class SpoolPermissionsStep implements Step {
  private static final long serialVersionUID = 1L;
  static final Map<String, String> SEEN = new ConcurrentHashMap<>();

  @Override
  public void apply(Row row, Emitter out) {
    if (SEEN.isEmpty()) {
      Path tmp = Path.of(System.getProperty("java.io.tmpdir"));
      Map<String, String> seen = new TreeMap<>();
      try (Stream<Path> s = Files.walk(tmp)) {
        s.filter(p -> !p.equals(tmp))
            .forEach(
                p -> {
                  try {
                    String rel =
                        tmp.relativize(p)
                            .toString()
                            .replaceFirst("^" + StreamSpool.PREFIX + "[^/]*", "SPOOL");
                    seen.put(rel, PosixFilePermissions.toString(Files.getPosixFilePermissions(p)));
                  } catch (java.nio.file.NoSuchFileException e) {
                    // renamed away while walking: not a spooled copy
                  } catch (IOException e) {
                    throw new UncheckedIOException(e);
                  }
                });
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
      SEEN.putAll(seen);
    }
    out.emit(row);
  }
}
