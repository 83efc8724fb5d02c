package dev.sluice.api;

import java.util.Locale;

/** {@link Steps#lower}: lower-cases values with {@link Locale#ROOT}. Thread-safe. */
final class LowerStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  LowerStep(String[] columns) {
    super("lower", columns);
  }

  @Override
  String map(String value) {
    return value.toLowerCase(Locale.ROOT);
  }
}
