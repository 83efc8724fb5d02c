package dev.sluice.engine;

import dev.sluice.api.ConfigurationException;
import java.io.ByteArrayOutputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Relative names for URL inputs, which the outputs mirror: the URL's path, decoded and made safe to
 * resolve under the output directory (the engine refuses a name escaping it anyway; this makes such
 * names never arise), with clashing names told apart deterministically. The rules are in {@code
 * PipelineSpec.inputUrls()}.
 *
 * <p>Stateless and thread-safe.
 */
final class UrlNames {
  private static final int MAX_SEGMENT = 120;

  private UrlNames() {}

  /** The names of {@code urls} (distinct), in the same order. */
  static List<String> names(List<URI> urls) {
    List<String> names = new ArrayList<>(urls.size());
    Map<String, Integer> count = new HashMap<>();
    for (URI u : urls) {
      String n = base(u);
      names.add(n);
      // Case-insensitive: two names equal but for case are one file on some file systems.
      count.merge(n.toLowerCase(Locale.ROOT), 1, Integer::sum);
    }
    Map<String, URI> taken = new HashMap<>();
    for (int i = 0; i < names.size(); i++) {
      String n = names.get(i);
      if (count.getOrDefault(n.toLowerCase(Locale.ROOT), 0) > 1) {
        // Every clashing URL gets the suffix, the first one too, so a name does not depend on the
        // order of the list.
        n = withSuffix(n, "-" + shortHash(urls.get(i).toString()));
        names.set(i, n);
      }
      URI other = taken.putIfAbsent(n.toLowerCase(Locale.ROOT), urls.get(i));
      if (other != null) {
        throw new ConfigurationException(
            "URLs "
                + other
                + " and "
                + urls.get(i)
                + " would both be named "
                + n
                + ": read them in separate runs");
      }
    }
    return names;
  }

  /** The sanitised path of {@code u}, before clashes are resolved. */
  static String base(URI u) {
    String raw = u.getRawPath();
    StringBuilder sb = new StringBuilder();
    if (raw != null) {
      for (String rawSegment : raw.split("/", -1)) {
        // Decoded first, then split again: %2F, %5C and %2e%2e must not survive as separators or
        // dots.
        for (String part : decode(rawSegment).split("[/\\\\]", -1)) {
          String clean = clean(part);
          if (!clean.isEmpty()) {
            if (sb.length() > 0) {
              sb.append('/');
            }
            sb.append(clean);
          }
        }
      }
    }
    return sb.length() == 0 ? "index" : sb.toString();
  }

  private static String clean(String part) {
    if (part.chars().allMatch(c -> c == '.' || c == ' ')) {
      return ""; // ".", "..", "...", " ": nothing a file should be named
    }
    StringBuilder sb = new StringBuilder(part.length());
    part.codePoints()
        .forEach(
            c ->
                sb.appendCodePoint(
                    c < 0x20 || c == 0x7f || c == ':' || c == '*' || c == '?' || c == '"'
                            || c == '<' || c == '>' || c == '|'
                        ? '_'
                        : c));
    if (sb.charAt(0) == '.') {
      sb.setCharAt(0, '_'); // no hidden outputs, no clash with our temp files' names
    }
    String s = sb.toString();
    if (s.length() > MAX_SEGMENT) {
      s = withSuffix(s.substring(0, MAX_SEGMENT), "-" + shortHash(s));
    }
    return s;
  }

  /**
   * Percent-decodes {@code s} as UTF-8; a {@code %} not followed by two hex digits stays as it is.
   */
  static String decode(String s) {
    if (s.indexOf('%') < 0) {
      return s;
    }
    ByteArrayOutputStream out = new ByteArrayOutputStream(s.length());
    byte[] b = s.getBytes(StandardCharsets.UTF_8);
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '%' && i + 2 < b.length && hex(b[i + 1]) >= 0 && hex(b[i + 2]) >= 0) {
        out.write(hex(b[i + 1]) * 16 + hex(b[i + 2]));
        i += 2;
      } else {
        out.write(b[i]);
      }
    }
    return out.toString(StandardCharsets.UTF_8);
  }

  private static int hex(byte c) {
    return Character.digit((char) c, 16);
  }

  /** Inserts {@code suffix} before the name's extension ({@code .csv}, or {@code .csv.gz}). */
  static String withSuffix(String name, String suffix) {
    int slash = name.lastIndexOf('/');
    String last = name.substring(slash + 1);
    String stem = last;
    String ext = "";
    if (stem.toLowerCase(Locale.ROOT).endsWith(".gz") && stem.length() > 3) {
      stem = stem.substring(0, stem.length() - 3);
      ext = last.substring(last.length() - 3);
    }
    int dot = stem.lastIndexOf('.');
    if (dot > 0) {
      ext = stem.substring(dot) + ext;
      stem = stem.substring(0, dot);
    }
    return name.substring(0, slash + 1) + stem + suffix + ext;
  }

  static String shortHash(String s) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h, 0, 4);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }
}
