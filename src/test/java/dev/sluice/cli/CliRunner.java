package dev.sluice.cli;

import dev.sluice.api.PipelineFactory;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import java.util.List;

/** Runs {@link Main#run} with captured stdout and stderr, as cron or a script would. */
final class CliRunner {
  private CliRunner() {}

  /** The outcome of one command line. */
  record Result(int code, String out, String err) {
    List<String> errLines() {
      return err.isEmpty() ? List.of() : Arrays.asList(err.split("\\R"));
    }

    @Override
    public String toString() {
      return "exit " + code + "\n--- stdout:\n" + out + "--- stderr:\n" + err;
    }
  }

  static Result run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /** Like {@link #run(String...)}, with {@code pipelines} instead of the local engine. */
  static Result run(PipelineFactory pipelines, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), pipelines, args);
    return new Result(code, out.toString(), err.toString());
  }
}
