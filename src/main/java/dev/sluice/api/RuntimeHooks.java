package dev.sluice.api;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ThreadFactory;
import org.jspecify.annotations.Nullable;

/**
 * The objects a {@link PipelineSpec} calls back during a run: run listeners, the reject listener
 * and the thread factory. They belong to the JVM that runs the job, so they are kept apart from the
 * settings: a serialized spec (as Beam ships it to its workers) carries none of them.
 *
 * <p>Immutable and thread-safe (the listeners and the factory it holds must be thread-safe too).
 *
 * @since 0.3
 */
public final class RuntimeHooks {
  private static final RuntimeHooks NONE = new Builder().build();

  private final List<RunListener> listeners;
  private final @Nullable RejectListener rejectListener;
  private final @Nullable ThreadFactory threadFactory;

  private RuntimeHooks(Builder b) {
    this.listeners = List.copyOf(b.listeners);
    this.rejectListener = b.rejectListener;
    this.threadFactory = b.threadFactory;
  }

  /** No listeners, Sluice's own threads. */
  public static RuntimeHooks none() {
    return NONE;
  }

  /** An empty builder. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from these hooks. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /** The listeners for progress and the end of the run, in the order added. */
  public List<RunListener> listeners() {
    return listeners;
  }

  /** Called for every rejected record, or null. */
  public @Nullable RejectListener rejectListener() {
    return rejectListener;
  }

  /** The thread factory for the engine's threads, or null for Sluice's own platform threads. */
  public @Nullable ThreadFactory threadFactory() {
    return threadFactory;
  }

  /**
   * Builds a {@link RuntimeHooks}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private final List<RunListener> listeners = new ArrayList<>();
    private @Nullable RejectListener rejectListener;
    private @Nullable ThreadFactory threadFactory;

    private Builder() {}

    private Builder from(RuntimeHooks h) {
      listeners.addAll(h.listeners);
      rejectListener = h.rejectListener;
      threadFactory = h.threadFactory;
      return this;
    }

    /** Adds a listener for progress and the end of the run. */
    public Builder listener(RunListener listener) {
      listeners.add(Objects.requireNonNull(listener, "listener"));
      return this;
    }

    /** Called for every rejected record (from engine threads: must be thread-safe). */
    public Builder rejectListener(@Nullable RejectListener listener) {
      this.rejectListener = listener;
      return this;
    }

    /** The factory for the engine's threads, for example virtual threads on JDK 21+. */
    public Builder threadFactory(@Nullable ThreadFactory factory) {
      this.threadFactory = factory;
      return this;
    }

    /** The hooks. */
    public RuntimeHooks build() {
      return new RuntimeHooks(this);
    }
  }
}
