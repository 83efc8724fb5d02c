package dev.sluice.api;

import java.util.List;

/**
 * A step names a column that the file's header does not have. The engine reports it as a {@link
 * PipelineException} naming the file.
 *
 * <p>Immutable; safe to pass between threads.
 *
 * @since 0.1
 */
public class MissingColumnException extends SluiceException {
  private static final long serialVersionUID = 1L;

  private final String column;

  /** Creates an exception for {@code column}, listing the columns that exist. */
  public MissingColumnException(String column, List<String> available) {
    super("no column '" + column + "' (columns: " + String.join(", ", available) + ")");
    this.column = column;
  }

  /** The column that was asked for. */
  public String column() {
    return column;
  }
}
