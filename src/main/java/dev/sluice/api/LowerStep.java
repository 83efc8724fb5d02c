package dev.sluice.api;

import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@link Steps#lower}: lower-cases values with {@link Locale#ROOT}; ASCII values read from bytes
 * through {@link AsciiCase}, with the same result. Thread-safe.
 */
final class LowerStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  LowerStep(String[] columns) {
    super("lower", columns);
  }

  @Override
  String map(String value) {
    return value.toLowerCase(Locale.ROOT);
  }

  @Override
  @Nullable String change(Row row, int p) {
    return AsciiCase.change(this, row, p, 'A');
  }
}
