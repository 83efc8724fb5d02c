package dev.sluice.engine;

import dev.sluice.api.Columns;
import dev.sluice.api.Emitter;
import dev.sluice.api.Row;
import dev.sluice.api.Step;
import java.util.List;

/**
 * The job's steps bound to one input file's columns, for one transformer thread: step {@code i}
 * emits into an emitter that calls step {@code i + 1}, and the last emitter hands rows to the
 * {@link Sink}. Binding calls every step's {@link Step#outputColumns}, so a missing column fails
 * the file before any row.
 *
 * <p>Not thread-safe: one instance per transformer thread and file.
 */
final class StepChain {
  /** Receives the rows the last step emits, and warnings. */
  interface Sink {
    void accept(Row row);

    void warn(String message);
  }

  /**
   * Carries a step's exception out through {@link Emitter#emit}, which cannot throw checked ones.
   */
  static final class StepFailure extends RuntimeException {
    private static final long serialVersionUID = 1L;
    final transient Step step;

    StepFailure(Step step, Throwable cause) {
      super(cause);
      this.step = step;
    }
  }

  final Columns input;
  final Columns output;
  private final Step[] steps;
  private final Emitter[] emitters;
  private final Sink sink;

  StepChain(List<Step> steps, Columns input, Sink sink) {
    this.input = input;
    this.sink = sink;
    this.steps = steps.toArray(new Step[0]);
    Columns c = input;
    for (Step s : this.steps) {
      c = s.outputColumns(c);
    }
    this.output = c;
    this.emitters = new Emitter[this.steps.length];
    for (int i = 0; i < emitters.length; i++) {
      emitters[i] = new Link(i + 1);
    }
  }

  /** Runs {@code row} through every step. */
  void apply(Row row) {
    if (steps.length == 0) {
      sink.accept(row);
    } else {
      call(0, row);
    }
  }

  private void call(int i, Row row) {
    Step s = steps[i];
    try {
      s.apply(row, emitters[i]);
    } catch (StepFailure f) {
      throw f;
    } catch (Throwable t) {
      throw new StepFailure(s, t);
    }
  }

  private final class Link implements Emitter {
    private final int next;

    Link(int next) {
      this.next = next;
    }

    @Override
    public void emit(Row row) {
      if (row == null) {
        throw new NullPointerException("a step emitted null");
      }
      if (next == steps.length) {
        sink.accept(row);
      } else {
        call(next, row);
      }
    }

    @Override
    public void warn(String message) {
      sink.warn(message);
    }
  }
}
