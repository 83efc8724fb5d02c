package dev.sluice.cli;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;

/** A custom step for {@code --step} that throws on the record whose order_id is 3. */
public final class FailingStep implements Step {
  private static final long serialVersionUID = 1L;

  @Override
  public void apply(Row row, Emitter out) {
    if (row.get("order_id").equals("3")) {
      throw new IllegalStateException("cannot process order 3");
    }
    out.emit(row);
  }
}
