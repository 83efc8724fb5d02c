package dev.sluice.internal.config;

import dev.sluice.api.Columns;
import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import org.jspecify.annotations.Nullable;

/**
 * A hash step whose key is not known yet: a job file's hash steps are keyed by a key given on the
 * command line, and the command line's by the job file's. Until {@link #with} it hashes as plain
 * SHA-256, which is also what it becomes without a key.
 *
 * <p>Immutable and thread-safe.
 */
public final class KeyableHash implements Step {
  private static final long serialVersionUID = 1L;

  private final String[] columns;
  private final Step plain;

  KeyableHash(String[] columns) {
    this.plain = Steps.hash(columns); // validates the columns
    this.columns = columns.clone();
  }

  /** The step with {@code key}, or plain SHA-256 without one. */
  public Step with(byte @Nullable [] key) {
    return key == null ? plain : Steps.hmac(key, columns);
  }

  @Override
  public void apply(Row row, Emitter out) throws Exception {
    plain.apply(row, out);
  }

  @Override
  public Columns outputColumns(Columns input) {
    return plain.outputColumns(input);
  }

  @Override
  public String describe() {
    return plain.describe();
  }

  @Override
  public String toString() {
    return describe();
  }
}
