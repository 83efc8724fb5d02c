package dev.sluice.api;

import java.nio.file.Path;
import java.util.Locale;
import java.util.Objects;
import org.jspecify.annotations.Nullable;

/**
 * What happens to an input file after a run has committed what it produced: keep it (the default),
 * delete it, or move it under a directory (keeping its relative path; a file of the same name there
 * is replaced). Sluice acts only after the file's output and manifest entry are durable, so a crash
 * never loses an input whose output is not safe. With a state directory the entry records the
 * action, and a run that finds the input still there (the previous run died before acting, or the
 * action failed) finishes it instead of processing the file again. A move to another file system
 * copies, forces and renames the copy into place before deleting the input.
 *
 * <p>Immutable and thread-safe.
 *
 * @since 0.1
 */
public final class InputAction {
  private enum Kind {
    KEEP,
    DELETE,
    MOVE
  }

  private static final InputAction KEEP = new InputAction(Kind.KEEP, null);
  private static final InputAction DELETE = new InputAction(Kind.DELETE, null);

  private final Kind kind;
  private final @Nullable Path directory;

  private InputAction(Kind kind, @Nullable Path directory) {
    this.kind = kind;
    this.directory = directory;
  }

  /** Leave the input where it is. */
  public static InputAction keep() {
    return KEEP;
  }

  /** Delete the input. */
  public static InputAction delete() {
    return DELETE;
  }

  /** Move the input to {@code directory}/its relative path. */
  public static InputAction moveTo(Path directory) {
    return new InputAction(Kind.MOVE, Objects.requireNonNull(directory, "directory"));
  }

  /**
   * Parses {@code keep}, {@code delete} or {@code move:DIR}. @throws ConfigurationException
   * otherwise
   */
  public static InputAction parse(String s) {
    String t = s.trim();
    String lower = t.toLowerCase(Locale.ROOT);
    if (lower.equals("keep")) {
      return KEEP;
    }
    if (lower.equals("delete")) {
      return DELETE;
    }
    if (lower.startsWith("move:") && t.length() > 5) {
      return moveTo(Path.of(t.substring(5)));
    }
    throw new ConfigurationException(
        "bad input action '" + s + "': expected keep, delete or move:DIR");
  }

  /** Whether the input stays. */
  public boolean isKeep() {
    return kind == Kind.KEEP;
  }

  /** Whether the input is deleted. */
  public boolean isDelete() {
    return kind == Kind.DELETE;
  }

  /** Whether the input is moved. */
  public boolean isMove() {
    return kind == Kind.MOVE;
  }

  /** The directory inputs are moved to. @throws IllegalStateException unless {@link #isMove()} */
  public Path directory() {
    if (directory == null) {
      throw new IllegalStateException(this + " moves nothing");
    }
    return directory;
  }

  @Override
  public String toString() {
    return kind == Kind.MOVE ? "move:" + directory : kind.name().toLowerCase(Locale.ROOT);
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof InputAction
        && ((InputAction) o).kind == kind
        && Objects.equals(((InputAction) o).directory, directory);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, directory);
  }
}
