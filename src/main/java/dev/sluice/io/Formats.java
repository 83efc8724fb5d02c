package dev.sluice.io;

import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.OutputFormatProvider;

/** Placeholder: replaced by the io work. */
public final class Formats {
  private Formats() {}

  public static InputFormatProvider input(Format format) {
    throw new UnsupportedOperationException();
  }

  public static OutputFormatProvider output(Format format) {
    throw new UnsupportedOperationException();
  }
}
