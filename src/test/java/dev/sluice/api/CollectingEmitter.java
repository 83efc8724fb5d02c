package dev.sluice.api;

import java.util.ArrayList;
import java.util.List;

/** An emitter that keeps what it is given, for driving steps directly. Not thread-safe. */
final class CollectingEmitter implements Emitter {
  final List<Row> rows = new ArrayList<>();
  final List<String> warnings = new ArrayList<>();

  @Override
  public void emit(Row row) {
    rows.add(row);
  }

  @Override
  public void warn(String message) {
    warnings.add(message);
  }

  /** Applies {@code step} to each row and returns what it emitted and warned. */
  static CollectingEmitter apply(Step step, Row... rows) throws Exception {
    CollectingEmitter out = new CollectingEmitter();
    for (Row r : rows) {
      step.apply(r, out);
    }
    return out;
  }

  /** The values of the emitted rows. */
  List<List<String>> values() {
    List<List<String>> v = new ArrayList<>();
    for (Row r : rows) {
      v.add(r.values());
    }
    return v;
  }
}
