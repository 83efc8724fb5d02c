package dev.sluice.api;

import dev.sluice.api.internal.LazyFields;
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
 * <p>Thread-safe: {@link Mac} is not, so each thread that runs the step keeps its own, initialised
 * with the key, in a {@code ThreadLocal} of the step (a clone per row cost an allocation of the
 * digest's state for every value, as {@link HashStep}'s instance per row did). The key travels with
 * the step when it is serialized (to Beam workers): keep job files and serialized pipelines as
 * secret as the key file.
 */
final class HmacStep extends ValueStep {
  private static final long serialVersionUID = 1L;
  private static final String ALGORITHM = "HmacSHA256";

  private final byte[] key;

  /** Made on first use, here and after deserialization; two made at once only waste one. */
  private transient volatile @Nullable ThreadLocal<Mac> macs;

  HmacStep(byte[] key, String[] columns) {
    super("hmac", columns);
    if (key.length == 0) {
      throw new ConfigurationException(
          "hmac: the key is empty; give a key file with at least 32 random bytes");
    }
    this.key = key.clone();
  }

  /** This thread's Mac, ready for a value: {@link Mac#doFinal} resets it after each. */
  private Mac mac() {
    ThreadLocal<Mac> t = macs;
    if (t == null) {
      t = ThreadLocal.withInitial(this::newMac);
      macs = t;
    }
    return t.get();
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance(ALGORITHM);
      m.init(new SecretKeySpec(key, ALGORITHM));
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(ALGORITHM + " is not available", e);
    }
  }

  @Override
  String map(String value) {
    return HashStep.hex(mac().doFinal(value.getBytes(StandardCharsets.UTF_8)));
  }

  @Override
  public void apply(Row row, Emitter out) {
    int[] positions = positions(row.columns());
    String[] values = new String[row.size()];
    Mac m = mac();
    for (int p : positions) {
      long range = row.utf8Range(p);
      if (range >= 0) {
        // The value's UTF-8 bytes as read, as HashStep does.
        int from = LazyFields.start(range);
        m.update(row.utf8Bytes(), from, LazyFields.end(range) - from);
        values[p] = HashStep.hex(m.doFinal()); // doFinal resets m
      } else {
        values[p] = HashStep.hex(m.doFinal(row.get(p).getBytes(StandardCharsets.UTF_8)));
      }
    }
    out.emit(row.replace(values));
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
}
