package dev.sluice.api.internal;

import dev.sluice.api.Columns;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Row;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import org.jspecify.annotations.Nullable;

/**
 * Lets Sluice's own packages (the engine, the Beam translation) make API objects whose constructors
 * are not public, so that users cannot make them and the API can change how they are made. The API
 * class registers its factory here when it is initialised (the JDK's {@code SharedSecrets}
 * pattern); this class makes sure that has happened before it is used.
 *
 * <pre>{@code
 * throw ApiAccess.pipelineException(Stage.READER, "orders.csv", 12, 11, thread, null, cause);
 * }</pre>
 *
 * <p>Thread-safe: the factory is published through a volatile field.
 */
public final class ApiAccess {
  /** What {@link PipelineException} hands over: its non-public constructors. */
  public interface Exceptions {
    /** See {@link ApiAccess#pipelineException}. */
    PipelineException pipelineException(
        Stage stage,
        @Nullable String file,
        long line,
        long record,
        @Nullable String thread,
        @Nullable String what,
        @Nullable Throwable cause);

    /** See {@link ApiAccess#withResult}. */
    PipelineException withResult(PipelineException e, RunResult result);
  }

  /** What {@link Row} hands over: its row whose values are made on first use. */
  public interface Rows {
    /** See {@link ApiAccess#lazyRow}. */
    Row lazyRow(Columns columns, LazyFields fields);

    /** See {@link ApiAccess#utf8Range}. */
    long utf8Range(Row row, int i);

    /** See {@link ApiAccess#utf8Bytes}. */
    byte[] utf8Bytes(Row row);
  }

  private static volatile @Nullable Exceptions exceptions;

  private static volatile @Nullable Rows rows;

  private ApiAccess() {}

  /** Called once by {@link Row}'s static initialiser; no one else may call it. */
  public static void register(Rows factory) {
    if (!factory.getClass().getPackageName().equals(Row.class.getPackageName())) {
      throw new IllegalArgumentException("only dev.sluice.api registers: " + factory.getClass());
    }
    if (rows != null) {
      throw new IllegalStateException("already registered");
    }
    rows = factory;
  }

  /**
   * A row of {@code columns} whose value {@code i} is {@code fields.value(i)}, made the first time
   * it is asked for and kept.
   */
  public static Row lazyRow(Columns columns, LazyFields fields) {
    return rows().lazyRow(columns, fields);
  }

  /**
   * Where in {@link #utf8Bytes utf8Bytes(row)} the UTF-8 bytes of {@code row}'s value {@code i}
   * are, as {@link LazyFields#utf8Range} gives it ({@link LazyFields#start}, {@link
   * LazyFields#end}), or -1 when the value has no such bytes (a step set it, or the row was not
   * read from bytes): for a writer that copies a field no step changed instead of encoding its
   * String.
   */
  public static long utf8Range(Row row, int i) {
    return rows().utf8Range(row, i);
  }

  /** The bytes that {@link #utf8Range} points into; empty for a row not read from bytes. */
  public static byte[] utf8Bytes(Row row) {
    return rows().utf8Bytes(row);
  }

  private static Rows rows() {
    Rows r = rows;
    if (r == null) {
      initialise(Row.class);
      r = rows;
      if (r == null) {
        throw new IllegalStateException("Row did not register its factory");
      }
    }
    return r;
  }

  /** Called once by {@link PipelineException}'s static initialiser; no one else may call it. */
  public static void register(Exceptions factory) {
    if (!factory.getClass().getPackageName().equals(PipelineException.class.getPackageName())) {
      throw new IllegalArgumentException("only dev.sluice.api registers: " + factory.getClass());
    }
    if (exceptions != null) {
      throw new IllegalStateException("already registered");
    }
    exceptions = factory;
  }

  /**
   * A run failure; the message is built from the context and the cause, in the form {@code
   * "transformer failed in orders.csv at line 1,204 (record 1,203): <cause message>"}.
   *
   * @param file the input file's relative name, or null when the failure had no file
   * @param line the 1-based line where the failing record starts, or -1
   * @param record the 1-based record number in the file, or -1
   * @param thread the failing thread's name, or null
   * @param what what failed, replacing "{@code <stage> failed}" in the message, or null
   */
  public static PipelineException pipelineException(
      Stage stage,
      @Nullable String file,
      long line,
      long record,
      @Nullable String thread,
      @Nullable String what,
      @Nullable Throwable cause) {
    return exceptions().pipelineException(stage, file, line, record, thread, what, cause);
  }

  /**
   * A copy of {@code e} (same message, cause, stack trace and suppressed exceptions) that also
   * carries what the run did before it failed.
   */
  public static PipelineException withResult(PipelineException e, RunResult result) {
    return exceptions().withResult(e, result);
  }

  private static Exceptions exceptions() {
    Exceptions e = exceptions;
    if (e == null) {
      initialise(PipelineException.class);
      e = exceptions;
      if (e == null) {
        throw new IllegalStateException("PipelineException did not register its factory");
      }
    }
    return e;
  }

  private static void initialise(Class<?> c) {
    try {
      Class.forName(c.getName(), true, c.getClassLoader());
    } catch (ClassNotFoundException x) {
      throw new IllegalStateException(x); // cannot happen: c is loaded
    }
  }
}
