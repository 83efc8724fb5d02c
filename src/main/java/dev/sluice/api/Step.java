package dev.sluice.api;

import java.io.Serializable;

/**
 * One step of a job: takes a row and emits zero or more rows. Steps are {@link Serializable} so
 * that the same job can run on Apache Beam; a lambda assigned to {@code Step} is serializable as
 * long as what it captures is.
 *
 * <p>Implementations must be thread-safe: one instance is shared by every transformer thread. Keep
 * per-thread state out of fields (or in thread confinement you manage).
 *
 * <pre>{@code
 * Step dropTestOrders = (row, out) -> {
 *   if (!row.get("customer_id").startsWith("TEST")) {
 *     out.emit(row);
 *   }
 * };
 * }</pre>
 *
 * @since 0.1
 */
@FunctionalInterface
public interface Step extends Serializable {
  /**
   * Processes one row. May throw anything; the run then fails with a {@link PipelineException}
   * naming the file and line of the row.
   */
  void apply(Row row, Emitter out) throws Exception;

  /**
   * The columns of the rows this step emits when its input has {@code input}. Called once per input
   * file before any row; a step that needs a column throws {@link MissingColumnException} here so
   * that the file fails before any row is processed. Rows emitted must have these columns.
   */
  default Columns outputColumns(Columns input) {
    return input;
  }

  /** A short description for messages and reports, e.g. {@code filter(amount > 100)}. */
  default String describe() {
    String n = getClass().getSimpleName();
    return n.contains("$$Lambda") || n.contains("$Lambda") ? "custom step" : n;
  }
}
