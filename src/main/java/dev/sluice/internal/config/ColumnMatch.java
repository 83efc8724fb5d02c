package dev.sluice.internal.config;

/**
 * How the per-input parts of a run are joined when they become one output (a merged file, partition
 * files, standard output), for output formats with a header: which columns the joined output has,
 * and what happens when the inputs' columns differ. Columns are always matched by name, so a file
 * with the same columns in another order is reordered.
 */
public enum ColumnMatch {
  /** Every file must have the first file's columns, in any order; anything else fails the run. */
  STRICT,
  /**
   * The first file's columns; a file may lack some of them (its cells are empty), but a column the
   * first file does not have fails the run.
   */
  FILL,
  /** Every column of every file, in first-seen order; a file's missing cells are empty. */
  UNION;

  /** The lower-case name, as in job files and on the command line. */
  public String label() {
    return Values.label(this);
  }
}
