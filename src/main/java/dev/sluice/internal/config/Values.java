package dev.sluice.internal.config;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.InputAction;
import dev.sluice.internal.fs.ObjectStores;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Function;
import org.jspecify.annotations.Nullable;

/**
 * The one reading of each kind of setting value, shared by the command line's converters and the
 * job file's deserializers, so that a value means the same in both: counts, {@code auto|N}, sizes,
 * durations, error thresholds, single characters, charsets and named choices (any case).
 *
 * <p>Thread-safe: static functions.
 */
public final class Values {
  private Values() {}

  /** An integer of at least 1. */
  public static int positive(long n) {
    if (n < 1 || n > Integer.MAX_VALUE) {
      throw new BadValue("must be >= 1 (got " + n + ")");
    }
    return (int) n;
  }

  /** An integer from text, at least 1. */
  public static int positive(String text) {
    try {
      return positive(Long.parseLong(text.strip()));
    } catch (NumberFormatException e) {
      throw new BadValue("must be a number >= 1 (got '" + text + "')");
    }
  }

  /** {@code auto} or a count of at least 1. */
  public static AutoCount autoCount(String text) {
    if (text.strip().equalsIgnoreCase("auto")) {
      return AutoCount.AUTO;
    }
    try {
      return AutoCount.of(positive(Long.parseLong(text.strip())));
    } catch (NumberFormatException e) {
      throw new BadValue("must be a number >= 1 or auto (got '" + text + "')");
    }
  }

  /** A size in bytes of at least 1: {@code 65536}, {@code 64k}, {@code 64m}, {@code 1g}. */
  public static long size(String text) {
    long n = sizeOrZero(text);
    if (n < 1) {
      throw new BadValue("must be >= 1 byte (got " + text + ")");
    }
    return n;
  }

  /** Like {@link #size(String)}, below 2g: what fits one Java array. */
  public static int intSize(String text) {
    long n = size(text);
    if (n > Integer.MAX_VALUE) {
      throw new BadValue("must be below 2g (got " + text + ")");
    }
    return (int) n;
  }

  /** Like {@link #size(String)}, where 0 is allowed. */
  public static long sizeOrZero(String text) {
    try {
      return Units.bytes(text);
    } catch (IllegalArgumentException e) {
      throw new BadValue(e.getMessage() + " (use bytes or a k, m, g suffix: 65536, 64k, 64m, 1g)");
    }
  }

  /**
   * A duration of zero or more: {@code 30s}, {@code 5m}, {@code 1h30m}, {@code PT10M}, {@code 0}.
   */
  public static Duration duration(String text) {
    try {
      return Units.duration(text);
    } catch (IllegalArgumentException e) {
      throw new BadValue(e.getMessage() + " (use 30s, 5m, 1h30m or PT10M)");
    }
  }

  /** An error threshold: a count {@code N} or a share {@code P%}. */
  public static ErrorThreshold threshold(String text) {
    try {
      return ErrorThreshold.parse(text);
    } catch (ConfigurationException e) {
      throw new BadValue(String.valueOf(e.getMessage()));
    }
  }

  /** A delimiter: one character, or {@code \t}, a tab, or {@code tab}. */
  public static char delimiter(String text) {
    if (text.equals("\t") || text.equals("\\t") || text.equalsIgnoreCase("tab")) {
      return '\t';
    }
    if (text.length() != 1) {
      throw new BadValue("must be one character, \\t or tab (got '" + text + "')");
    }
    return text.charAt(0);
  }

  /** Exactly one character. */
  public static char oneChar(String text) {
    if (text.length() != 1) {
      throw new BadValue("must be one character (got '" + text + "')");
    }
    return text.charAt(0);
  }

  /** A charset this JVM supports, by any of its names. */
  public static Charset charset(String text) {
    try {
      return Charset.forName(text.strip());
    } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
      throw new BadValue("unknown charset '" + text + "' (try UTF-8, ISO-8859-1, windows-1252)");
    }
  }

  /**
   * The constant of {@code type} named {@code text} in any case, among {@code allowed} (all when
   * empty); the message lists the allowed names in lower case.
   */
  @SafeVarargs
  public static <E extends Enum<E>> E choice(Class<E> type, String text, E... allowed) {
    List<E> options = allowed.length > 0 ? List.of(allowed) : List.of(type.getEnumConstants());
    for (E e : options) {
      if (e.name().equalsIgnoreCase(text.strip())) {
        return e;
      }
    }
    throw new BadValue("must be " + names(options, Values::label) + " (got '" + text + "')");
  }

  /**
   * A format kind by name ({@code csv}, {@code tsv}, {@code lines} or {@code txt}, {@code jsonl});
   * JSON Lines only where {@code output}.
   */
  public static Format.Kind kind(String text, boolean output) {
    Format.Kind k = Format.Kind.byName(text);
    if (k == Format.Kind.JSONL && !output) {
      throw new BadValue("must be csv, tsv or lines (jsonl is an output format only)");
    }
    if (k == null) {
      throw new BadValue(
          "must be csv, tsv"
              + (output ? ", lines or jsonl" : " or lines")
              + " (got '"
              + text
              + "')");
    }
    return k;
  }

  /** What happens to an input after its run: {@code keep}, {@code delete} or {@code move:DIR}. */
  public static InputAction action(String text) {
    String t = text.strip();
    if (t.regionMatches(true, 0, "move:", 0, 5) && ObjectStores.isUri(t.substring(5))) {
      try {
        return InputAction.moveTo(ObjectStores.parse(t.substring(5)));
      } catch (IllegalArgumentException e) {
        throw new BadValue(String.valueOf(e.getMessage()));
      }
    }
    try {
      return InputAction.parse(text);
    } catch (ConfigurationException e) {
      throw new BadValue(String.valueOf(e.getMessage()));
    }
  }

  /** The lower-case name of a constant, as job files and the command line spell it. */
  public static String label(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /** "a, b or c". */
  static <T> String names(List<T> items, Function<T, String> name) {
    List<String> out = new ArrayList<>();
    for (T t : items) {
      out.add(name.apply(t));
    }
    if (out.size() == 1) {
      return out.get(0);
    }
    return String.join(", ", out.subList(0, out.size() - 1)) + " or " + out.get(out.size() - 1);
  }

  /** A path as given on the command line (relative to the working directory, as is). */
  public static Path path(String value, String option) {
    if (ObjectStores.isUri(value)) {
      try {
        return ObjectStores.parse(value);
      } catch (IllegalArgumentException e) {
        throw new BadValue(option + ": " + e.getMessage());
      }
    }
    try {
      return Path.of(value);
    } catch (InvalidPathException e) {
      throw new BadValue(option + ": invalid path '" + value + "': " + e.getReason());
    }
  }

  static @Nullable String strip(@Nullable String s) {
    return s == null ? null : s.strip();
  }
}
