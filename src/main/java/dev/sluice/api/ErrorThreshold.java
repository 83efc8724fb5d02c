package dev.sluice.api;

import java.util.Locale;

/**
 * A limit on rejected records: a count ({@code 100}) or a percentage of the records read ({@code
 * 0.5%}). A percentage is checked continuously once 1,000 records have been read, and at the end.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class ErrorThreshold {
  /** Records read before a percentage threshold is checked during the run. */
  public static final long PERCENT_WARMUP = 1000;

  private static final ErrorThreshold NONE = new ErrorThreshold(Long.MAX_VALUE, Double.NaN);

  private final long count;
  private final double percent;

  private ErrorThreshold(long count, double percent) {
    this.count = count;
    this.percent = percent;
  }

  /** No limit. */
  public static ErrorThreshold none() {
    return NONE;
  }

  /** At most {@code n} rejected records. */
  public static ErrorThreshold count(long n) {
    if (n < 0) {
      throw new ConfigurationException("error threshold < 0: " + n);
    }
    return new ErrorThreshold(n, Double.NaN);
  }

  /** At most {@code p} percent of the records read rejected. */
  public static ErrorThreshold percent(double p) {
    if (!(p >= 0 && p <= 100)) {
      throw new ConfigurationException("error threshold must be between 0% and 100%: " + p + "%");
    }
    return new ErrorThreshold(-1, p);
  }

  /** Parses {@code 100} or {@code 0.5%}. @throws ConfigurationException on anything else */
  public static ErrorThreshold parse(String s) {
    String t = s.trim();
    try {
      if (t.endsWith("%")) {
        return percent(Double.parseDouble(t.substring(0, t.length() - 1).trim()));
      }
      return count(Long.parseLong(t));
    } catch (NumberFormatException e) {
      throw new ConfigurationException(
          "bad error threshold '"
              + s
              + "': expected a count such as 100 or a percentage such as 0.5%");
    }
  }

  /** Whether this is a percentage. */
  public boolean isPercent() {
    return !Double.isNaN(percent);
  }

  /** Whether {@code rejected} of {@code read} records exceed this limit. */
  public boolean exceeded(long rejected, long read, boolean atEnd) {
    if (this == NONE) {
      return false;
    }
    if (!isPercent()) {
      return rejected > count;
    }
    if (!atEnd && read < PERCENT_WARMUP) {
      return false;
    }
    return read > 0 && rejected * 100.0 > percent * read;
  }

  @Override
  public String toString() {
    if (this == NONE) {
      return "none";
    }
    return isPercent()
        ? String.format(Locale.ROOT, "%s%%", stripZeros(percent))
        : Long.toString(count);
  }

  private static String stripZeros(double d) {
    return d == Math.rint(d) ? Long.toString((long) d) : Double.toString(d);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof ErrorThreshold
        && ((ErrorThreshold) o).count == count
        && Double.compare(((ErrorThreshold) o).percent, percent) == 0;
  }

  @Override
  public int hashCode() {
    return Long.hashCode(count) * 31 + Double.hashCode(percent);
  }
}
