package dev.sluice.api;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@link Steps#upper}: upper-cases values with {@link Locale#ROOT}; ASCII values read from bytes
 * through {@link AsciiCase}, with the same result. Thread-safe.
 */
final class UpperStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  UpperStep(String[] columns) {
    super("upper", columns);
  }

  @Override
  String map(String value) {
    return value.toUpperCase(Locale.ROOT);
  }

  @Override
  @Nullable String change(Row row, int p) {
    return AsciiCase.change(this, row, p, 'a');
  }
}
