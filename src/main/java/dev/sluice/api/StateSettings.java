package dev.sluice.api;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * The state section of a {@link PipelineSpec}: the state directory (manifest and lock) that lets a
 * rerun skip finished files, how the manifest recognises them, and how long to wait for the lock.
 *
 * <p>Immutable and thread-safe. Serializable: the state directory travels as an absolute URI.
 *
 * @since 0.3
 */
public final class StateSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final @Nullable Path stateDir;
  private final boolean full;
  private final PipelineSpec.Identity identity;
  private final Duration waitLock;

  private StateSettings(Builder b) {
    if (b.waitLock.isNegative()) {
      throw new ConfigurationException("waitLock < 0: " + b.waitLock);
    }
    this.stateDir = b.stateDir;
    this.full = b.full;
    this.identity = b.identity;
    this.waitLock = b.waitLock;
  }

  /** A builder with the defaults: no state directory. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this section. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /**
   * The job's state directory, or null for a run without state. See {@link
   * PipelineSpec#stateDir()}.
   */
  public @Nullable Path stateDir() {
    return stateDir;
  }

  /** Whether the manifest is ignored: every file is processed again (default false). */
  public boolean full() {
    return full;
  }

  /** How the manifest recognises an input file it has already processed. */
  public PipelineSpec.Identity identity() {
    return identity;
  }

  /** How long to wait for a lock another run holds (zero: fail at once). */
  public Duration waitLock() {
    return waitLock;
  }

  private Object writeReplace() {
    return new Form(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("StateSettings travels as its serial form");
  }

  /** The serial form. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;

    private final @Nullable String stateDir;
    private final boolean full;
    private final PipelineSpec.Identity identity;
    private final Duration waitLock;

    Form(StateSettings s) {
      this.stateDir = SerialForms.uri(s.stateDir);
      this.full = s.full;
      this.identity = s.identity;
      this.waitLock = s.waitLock;
    }

    private Object readResolve() {
      return builder()
          .stateDir(SerialForms.path(stateDir))
          .full(full)
          .identity(identity)
          .waitLock(waitLock)
          .build();
    }
  }

  /**
   * Builds a {@link StateSettings}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private @Nullable Path stateDir;
    private boolean full;
    private PipelineSpec.Identity identity = PipelineSpec.Identity.STAT;
    private Duration waitLock = Duration.ZERO;

    private Builder() {}

    private Builder from(StateSettings s) {
      stateDir = s.stateDir;
      full = s.full;
      identity = s.identity;
      waitLock = s.waitLock;
      return this;
    }

    /** The state directory for resume and locking, or null for none (default null). */
    public Builder stateDir(@Nullable Path dir) {
      this.stateDir = dir;
      return this;
    }

    /** Ignore the manifest and process every file again (default false). */
    public Builder full(boolean full) {
      this.full = full;
      return this;
    }

    /** How the manifest recognises processed files (default STAT). */
    public Builder identity(PipelineSpec.Identity identity) {
      this.identity = Objects.requireNonNull(identity, "identity");
      return this;
    }

    /** How long to wait for a held lock (default zero: fail at once). */
    public Builder waitLock(Duration wait) {
      this.waitLock = Objects.requireNonNull(wait, "wait");
      return this;
    }

    /** The section. @throws ConfigurationException if the settings are invalid */
    public StateSettings build() {
      return new StateSettings(this);
    }
  }
}
