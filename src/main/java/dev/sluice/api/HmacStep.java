package dev.sluice.api;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.jspecify.annotations.Nullable;

/**
 * {@link Steps#hmac}: replaces values by the lower-case hex HMAC-SHA256 of their UTF-8 bytes under
 * a secret key. Unlike a plain SHA-256, which anyone can recompute for every address in a list (a
 * dictionary attack), a keyed hash cannot be reversed without the key.
 *
 * <p>Thread-safe: {@link Mac} is not, so each row clones a prototype initialised with the key. The
 * key travels with the step when it is serialized (to Beam workers): keep job files and serialized
 * pipelines as secret as the key file.
 */
final class HmacStep extends ValueStep {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";
  private static final char[] HEX = "0123456789abcdef".toCharArray();

  private final byte[] key;
  private transient volatile @Nullable Mac prototype;

  HmacStep(byte[] key, String[] columns) {
    super("hmac", columns);
    if (key.length == 0) {
      throw new ConfigurationException(
          "hmac: the key is empty; give a key file with at least 32 random bytes");
    }
    this.key = key.clone();
  }

  private Mac mac() {
    Mac p = prototype;
    try {
      if (p == null) {
        p = Mac.getInstance(ALGORITHM);
        p.init(new SecretKeySpec(key, ALGORITHM));
        prototype = p;
      }
      return (Mac) p.clone();
    } catch (GeneralSecurityException | CloneNotSupportedException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }

  @Override
  String map(String value) {
    return hex(mac().doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void apply(Row row, Emitter out) {
    int[] positions = positions(row.columns());
    String[] values = row.toArray();
    Mac m = mac();
    for (int p : positions) {
      values[p] = hex(m.doFinal(values[p].getBytes(StandardCharsets.UTF_8))); // doFinal resets m
    }
    out.emit(Row.wrap(row.columns(), values));
  }

  /** Names the key by a short fingerprint (not the key), so a changed key changes the job. */
  @Override
  public String describe() {
    String d = super.describe();
    return d.substring(0, d.length() - 1)
        + ", key "
        + HashStep.hash(HashStep.newDigest(), new String(key, StandardCharsets.ISO_8859_1))
            .substring(0, 8)
        + ")";
  }

  private static String hex(byte[] d) {
    char[] hex = new char[d.length * 2];
    for (int i = 0; i < d.length; i++) {
      hex[2 * i] = HEX[(d[i] >> 4) & 0xf];
      hex[2 * i + 1] = HEX[d[i] & 0xf];
    }
    return new String(hex);
  }
}
