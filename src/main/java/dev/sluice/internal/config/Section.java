package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * One section of a job's settings, in one class for both places a setting is given: each field is a
 * command-line option (picocli {@code @Option}, the class is a {@code @Mixin} of {@code sluice
 * run}) and a job file key (Jackson {@code @JsonProperty}, the class is the value of the section's
 * object in the job file). A field is null when its setting was not given, so that the command line
 * can be laid over the job file ({@link #over}) setting by setting. A setting is added to one
 * section class: its field, and its line in {@code applyTo}.
 *
 * <p>Not thread-safe: built by one parser, then only read.
 *
 * @param <S> the section's own type
 */
public abstract class Section<S extends Section<S>> {
  /** A section with nothing set. */
  protected abstract S empty();

  /**
   * This section with {@code top}'s settings laid over it: each setting {@code top} has replaces
   * this one's. Sections with settings that go together adjust the result in {@link #adjust}.
   */
  @SuppressWarnings("unchecked")
  public final S over(S top) {
    S out = empty();
    for (Field f : settings(getClass())) {
      try {
        Object mine = f.get(this);
        Object theirs = f.get(top);
        f.set(out, theirs != null ? theirs : mine);
      } catch (IllegalAccessException e) {
        throw new IllegalStateException(e);
      }
    }
    adjust((S) this, top, out);
    return out;
  }

  /** Fixes settings that go together after {@link #over}; none by default. */
  protected void adjust(S base, S top, S merged) {}

  /**
   * The fields that hold settings: those bound to a job file key. Command-line-only fields are
   * folded into them first; settings with another rule of their own go in {@link #adjust}.
   */
  static List<Field> settings(Class<?> type) {
    List<Field> out = new ArrayList<>();
    for (Field f : type.getDeclaredFields()) {
      if (Modifier.isStatic(f.getModifiers()) || !f.isAnnotationPresent(JsonProperty.class)) {
        continue;
      }
      f.setAccessible(true);
      out.add(f);
    }
    return out;
  }

  static <T> @Nullable T pick(@Nullable T top, @Nullable T base) {
    return top != null ? top : base;
  }
}
