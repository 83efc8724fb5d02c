package dev.sluice.cli;

import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;

/**
 * A custom step for {@code --step} that fails every record whose {@code id} starts with {@code =},
 * with the id as its message (as a parser's or a lookup's message would quote its input). Public
 * for {@code --step}.
 */
public final class ThrowingFormulaStep implements Step {
  private static final long serialVersionUID = 1L;

  @Override
  public void apply(Row row, Emitter out) {
    if (row.get("id").startsWith("=")) {
      throw new IllegalArgumentException(row.get("id"));
    }
    out.emit(row);
  }
}
