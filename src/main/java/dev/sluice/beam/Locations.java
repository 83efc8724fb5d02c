package dev.sluice.beam;

import java.net.URI;
import java.nio.file.Path;
import java.util.Locale;

/**
 * How a Beam element names its input: a path as an absolute URI (so that a worker with another
 * working directory, or another file-system provider such as one for {@code gs://}, finds the same
 * file), or a URL input as itself.
 */
final class Locations {
  private Locations() {}

  static String uri(Path p) {
    return p.toAbsolutePath().normalize().toUri().toString();
  }

  static Path path(String uri) {
    return Path.of(URI.create(uri));
  }

  /**
   * Whether an element's location is a URL input rather than a file: the spec admits only http and
   * https URLs, and a path's URI has its file system's scheme ({@code file}, or a provider's).
   */
  static boolean isUrl(String location) {
    String scheme = URI.create(location).getScheme();
    return scheme != null
        && (scheme.toLowerCase(Locale.ROOT).equals("http")
            || scheme.toLowerCase(Locale.ROOT).equals("https"));
  }
}
