package dev.sluice.api;

import dev.sluice.api.internal.ApiAccess;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * A run failed. Carries where it failed: the stage, the input file, the line and record number
 * (1-based, or -1 when unknown) and the worker thread, and keeps the original exception as the
 * cause. Failures that happened after the first one are attached as {@linkplain #getSuppressed()
 * suppressed} exceptions (capped). The CLI maps it to exit code 1.
 *
 * <p>Only Sluice makes these (its engines, through {@code dev.sluice.api.internal.ApiAccess}), so
 * the constructors are not public.
 *
 * <p>Immutable once thrown (suppressed exceptions aside); safe to pass between threads.
 *
 * @since 0.1
 */
public final class PipelineException extends SluiceException {
  private static final long serialVersionUID = 1L;

  static {
    ApiAccess.register(
        new ApiAccess.Exceptions() {
          @Override
          public PipelineException pipelineException(
              Stage stage,
              @Nullable String file,
              long line,
              long record,
              @Nullable String thread,
              @Nullable String what,
              @Nullable Throwable cause) {
            return new PipelineException(stage, file, line, record, thread, what, cause, null);
          }

          @Override
          public PipelineException withResult(PipelineException e, RunResult result) {
            return e.withResult(result);
          }
        });
  }

  private final Stage stage;
  private final @Nullable String file;
  private final long line;
  private final long record;
  private final @Nullable String thread;
  private final @Nullable String what;
  private final @Nullable RunResult result;

  private PipelineException(
      Stage stage,
      @Nullable String file,
      long line,
      long record,
      @Nullable String thread,
      @Nullable String what,
      @Nullable Throwable cause,
      @Nullable RunResult result) {
    super(format(stage, file, line, record, what, cause), cause);
    this.stage = stage;
    this.file = file;
    this.line = line;
    this.record = record;
    this.thread = thread;
    this.what = what;
    this.result = result;
  }

  /**
   * A copy of this exception (same message, cause, stack trace and suppressed exceptions) that also
   * carries what the run did before it failed.
   */
  private PipelineException withResult(RunResult result) {
    PipelineException copy =
        new PipelineException(stage, file, line, record, thread, what, getCause(), result);
    copy.setStackTrace(getStackTrace());
    synchronized (this) {
      for (Throwable t : getSuppressed()) {
        copy.addSuppressed(t);
      }
    }
    return copy;
  }

  /**
   * What the run did before it failed (counts, including records abandoned in flight), when the
   * engine knows it; null otherwise.
   */
  public @Nullable RunResult result() {
    return result;
  }

  /** The stage that failed. */
  public Stage stage() {
    return stage;
  }

  /** The input file (relative name) being processed, or null when the failure had no file. */
  public @Nullable String file() {
    return file;
  }

  /** The 1-based input line where the failing record starts, or -1 when unknown. */
  public long line() {
    return line;
  }

  /** The 1-based record number within the file (header excluded), or -1 when unknown. */
  public long record() {
    return record;
  }

  /** The name of the thread that failed, or null. */
  public @Nullable String thread() {
    return thread;
  }

  private static String format(
      Stage stage,
      @Nullable String file,
      long line,
      long record,
      @Nullable String what,
      @Nullable Throwable cause) {
    StringBuilder sb = new StringBuilder();
    sb.append(what != null ? what : stage.label() + " failed");
    if (file != null) {
      sb.append(" in ").append(file);
    }
    if (line > 0) {
      sb.append(String.format(Locale.ROOT, " at line %,d", line));
    }
    if (record > 0) {
      sb.append(String.format(Locale.ROOT, " (record %,d)", record));
    }
    if (cause != null) {
      sb.append(": ").append(describe(cause, line));
    }
    return sb.toString();
  }

  /**
   * A bad record's error without the line this message already names ("at line 135: ... (line 135)"
   * said it twice); its column and byte offset stay.
   */
  private static String describe(Throwable cause, long line) {
    if (line > 0 && cause instanceof dev.sluice.api.spi.RecordException) {
      dev.sluice.api.spi.RecordException r = (dev.sluice.api.spi.RecordException) cause;
      if (r.line() == line) {
        StringBuilder sb = new StringBuilder(r.type().name()).append(": ").append(r.reason());
        String sep = " (";
        if (r.column() > 0) {
          sb.append(sep).append(String.format(Locale.ROOT, "column %,d", r.column()));
          sep = ", ";
        }
        if (r.byteOffset() >= 0) {
          sb.append(sep).append(String.format(Locale.ROOT, "byte %,d", r.byteOffset()));
          sep = ", ";
        }
        return sep.equals(", ") ? sb.append(')').toString() : sb.toString();
      }
    }
    return describe(cause);
  }

  /**
   * The cause's message, with its type where the message alone says too little: a {@code
   * NoSuchFileException}'s message is only the path.
   */
  private static String describe(Throwable cause) {
    String m = cause.getMessage();
    if (m == null || m.isBlank()) {
      return cause.getClass().getName();
    }
    if (cause instanceof java.nio.file.FileSystemException
        && ((java.nio.file.FileSystemException) cause).getReason() == null) {
      String type = cause.getClass().getSimpleName().replace("Exception", "");
      return type.replaceAll("([a-z])([A-Z])", "$1 $2").toLowerCase(Locale.ROOT) + ": " + m;
    }
    return m;
  }
}
