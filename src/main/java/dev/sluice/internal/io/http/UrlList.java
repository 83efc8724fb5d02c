package dev.sluice.internal.io.http;

import dev.sluice.api.ConfigurationException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Reads a list of URLs: one per line, UTF-8; blank lines and lines starting with {@code #} are
 * ignored, surrounding spaces are trimmed.
 *
 * <p>Stateless and thread-safe.
 */
public final class UrlList {
  private UrlList() {}

  /**
   * The URLs listed in {@code file}, in order.
   *
   * @throws ConfigurationException if a line is not an http or https URL (naming the file and line)
   * @throws UncheckedIOException if the file cannot be read
   */
  public static List<URI> read(Path file) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the URL list " + file + ": " + e.getMessage(), e);
    }
    List<URI> out = new ArrayList<>();
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (i == 0 && line.startsWith("\uFEFF")) {
        line = line.substring(1).strip();
      }
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      out.add(parse(line, file + ":" + (i + 1)));
    }
    return out;
  }

  /**
   * {@code s} as an http or https URL.
   *
   * @param where where it came from, for the message
   * @throws ConfigurationException if it is not one
   */
  public static URI parse(String s, String where) {
    URI u;
    try {
      u = new URI(s);
    } catch (URISyntaxException e) {
      throw new ConfigurationException(where + ": not a URL: " + e.getMessage());
    }
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!(scheme.equals("http") || scheme.equals("https")) || u.getHost() == null) {
      throw new ConfigurationException(where + ": not an http or https URL with a host: " + s);
    }
    return u;
  }

  /** Whether {@code s} looks like an http or https URL rather than a path. */
  public static boolean looksLikeUrl(String s) {
    String t = s.strip().toLowerCase(Locale.ROOT);
    return t.startsWith("http://") || t.startsWith("https://");
  }
}
