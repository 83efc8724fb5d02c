package dev.sluice.engine;

import java.nio.charset.StandardCharsets;

/** The engine's UTF-8 {@link TextEncoder}, for tests in other packages that compare with it. */
public final class TextEncoderAccess {
  private final TextEncoder encoder = new TextEncoder(StandardCharsets.UTF_8);

  /** See {@link TextEncoder#encode}. */
  public byte[] encode(StringBuilder text) {
    return encoder.encode(text);
  }
}
