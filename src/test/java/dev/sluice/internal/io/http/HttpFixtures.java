package dev.sluice.internal.io.http;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.zip.GZIPOutputStream;

/** Test data shared by the URL-input tests (local engine, job files, Beam). */
public final class HttpFixtures {
  private HttpFixtures() {}

  /**
   * A small CSV file, {@code id,name,amount}, with quoted names holding commas: file {@code i} has
   * {@code rows} rows, amounts {@code r * step % 1000}.
   */
  public static byte[] csv(int i, int rows, int step) {
    StringBuilder sb = new StringBuilder("id,name,amount\n");
    for (int r = 0; r < rows; r++) {
      sb.append(i).append('-').append(r).append(",\"name ").append(r).append(", quoted\",");
      sb.append(r * step % 1000).append('\n');
    }
    return sb.toString().getBytes(UTF_8);
  }

  public static byte[] gzip(byte[] bytes) {
    ByteArrayOutputStream b = new ByteArrayOutputStream();
    try (GZIPOutputStream g = new GZIPOutputStream(b)) {
      g.write(bytes);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return b.toByteArray();
  }
}
