package dev.sluice.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

/**
 * Drives steps the way the engine does: {@link Step#outputColumns} through the chain once, then
 * each row through every step, checking that each step emits rows carrying exactly the columns
 * instance its {@code outputColumns} returned. Not thread-safe.
 */
final class StepChain {
  private final List<Step> steps;
  private final List<Columns> outputs = new ArrayList<>();

  StepChain(Columns input, Step... steps) {
    this.steps = List.of(steps);
    Columns c = input;
    for (Step s : steps) {
      c = s.outputColumns(c);
      outputs.add(c);
    }
  }

  /** The columns of the rows the last step emits. */
  Columns output() {
    return outputs.get(outputs.size() - 1);
  }

  /** Runs {@code rows} through every step; returns the last step's rows and all warnings. */
  CollectingEmitter run(List<Row> rows) throws Exception {
    CollectingEmitter result = new CollectingEmitter();
    List<Row> current = rows;
    for (int i = 0; i < steps.size(); i++) {
      CollectingEmitter out = new CollectingEmitter();
      for (Row r : current) {
        steps.get(i).apply(r, out);
      }
      for (Row r : out.rows) {
        assertThat(r.columns())
            .as("columns of rows emitted by %s", steps.get(i).describe())
            .isSameAs(outputs.get(i));
      }
      result.warnings.addAll(out.warnings);
      current = out.rows;
    }
    result.rows.addAll(current);
    return result;
  }
}
