package dev.sluice.api;

import dev.sluice.api.internal.LazyFields;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/**
 * {@link Steps#hash}: replaces values by the lower-case hex SHA-256 of their UTF-8 bytes; for a
 * value read from bytes that are its UTF-8 ({@link Row#utf8Range}), of those bytes as they are.
 *
 * <p>Thread-safe: {@link MessageDigest} is not, so each thread hashes with its own instance, kept
 * in a {@code ThreadLocal} shared by all hash steps: one small object per thread that ever hashed.
 * An instance from {@link MessageDigest#getInstance} per row cost nearly as much as the hashing
 * itself (3% of all CPU on the bench's T2 job, in the profile of issue 16).
 */
final class HashStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  private static final String ALGORITHM = "SHA-256";
  private static final byte[] HEX = "0123456789abcdef".getBytes(StandardCharsets.US_ASCII);

  /**
   * {@link MessageDigest#digest()} resets it, so a thread's instance is always ready for a value.
   */
  private static final ThreadLocal<MessageDigest> DIGEST =
      ThreadLocal.withInitial(HashStep::newDigest);

  HashStep(String[] columns) {
    super("hash", columns);
  }

  @Override
  String map(String value) {
    return hash(DIGEST.get(), value);
  }

  @Override
  public void apply(Row row, Emitter out) {
    int[] positions = positions(row.columns());
    String[] values = new String[row.size()];
    MessageDigest md = DIGEST.get();
    for (int p : positions) {
      long range = row.utf8Range(p);
      if (range >= 0) {
        // The value's UTF-8 bytes as read: neither decoded to a String nor encoded back.
        int from = LazyFields.start(range);
        md.update(row.utf8Bytes(), from, LazyFields.end(range) - from);
        values[p] = hex(md.digest());
      } else {
        values[p] = hash(md, row.get(p));
      }
    }
    out.emit(row.replace(values));
  }

  static String hash(MessageDigest md, String value) {
    return hex(md.digest(value.getBytes(StandardCharsets.UTF_8)));
  }

  /** {@code d} as lower-case hex digits. */
  static String hex(byte[] d) {
    byte[] hex = new byte[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      hex[2 * i] = HEX[(d[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[d[i] & 0xf];
    }
    // ASCII digits: the one-byte-per-char String, made by copying the bytes.
    return new String(hex, StandardCharsets.ISO_8859_1);
  }

  static MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(ALGORITHM);
    } catch (NoSuchAlgorithmException e) {
      // Every Java platform must provide SHA-256 (MessageDigest javadoc).
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }
}
