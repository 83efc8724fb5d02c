package dev.sluice.internal.config;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;

/**
 * A custom step for {@code "class"} entries: passes rows through; public for reflective loading.
 */
public final class MarkerStep implements Step {
  private static final long serialVersionUID = 1L;

  @Override
  public void apply(Row row, Emitter out) {
    out.emit(row);
  }

  @Override
  public String describe() {
    return "marker";
  }
}
