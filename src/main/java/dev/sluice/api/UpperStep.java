package dev.sluice.api;

import java.util.Locale;

/** {@link Steps#upper}: upper-cases values with {@link Locale#ROOT}. Thread-safe. */
final class UpperStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  UpperStep(String[] columns) {
    super("upper", columns);
  }

  @Override
  String map(String value) {
    return value.toUpperCase(Locale.ROOT);
  }
}
