package dev.sluice.cli;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A custom step that logs each row at WARN from the transformer thread; public for --step. */
public final class LoggingStep implements Step {
  private static final long serialVersionUID = 1L;
  private static final Logger log = LoggerFactory.getLogger(LoggingStep.class);

  @Override
  public void apply(Row row, Emitter out) {
    log.warn("step saw order {}", row.get("order_id"));
    out.emit(row);
  }
}
