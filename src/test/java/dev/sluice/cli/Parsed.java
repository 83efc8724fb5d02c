package dev.sluice.cli;

import picocli.CommandLine;

/**
 * A {@code sluice run} command line parsed as picocli parses it, for tests that look at the spec it
 * makes: a bad option value fails as the CLI reports it (a {@link UsageException} with the message
 * {@code Main} prints), not as picocli's raw exception.
 */
final class Parsed {
  private Parsed() {}

  static RunCommand run(String... args) {
    RunCommand cmd = new RunCommand();
    try {
      new CommandLine(cmd).parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      throw new UsageException(Main.conversionMessage(String.valueOf(e.getMessage())));
    }
    return cmd;
  }
}
