package dev.sluice.cli;

import picocli.CommandLine.Command;

/**
 * {@code sluice check}: reads every input through the format and the steps like {@code run}, but
 * writes nothing (no outputs, no reject files, no state); prints the rejects per file and exits 3
 * when anything would be rejected, 0 when the inputs are clean.
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    description = {
      "Validates the inputs against the format and the steps without writing anything: prints the"
          + " rejects per file; exit 3 when anything would be rejected, 0 when all is clean.",
      "Takes the options of 'sluice run' (--output is not needed)."
    })
final class CheckCommand extends RunCommand {
  @Override
  boolean checkOnly() {
    return true;
  }
}
