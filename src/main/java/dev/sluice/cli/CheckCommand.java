package dev.sluice.cli;

import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.IModelTransformer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * {@code sluice check}: reads every input through the format and the steps like {@code run}, but
 * writes nothing (no outputs, no reject files, no state); prints the rejects per file and exits 3
 * when anything would be rejected, 0 when the inputs are clean. It takes {@code run}'s options that
 * say what is read and how, and none of those that only say what is written ({@link #WRITE_ONLY}):
 * giving one is a usage error with a suggestion, not a setting silently ignored.
 *
 * <p>Not thread-safe: one instance per command line.
 */
@Command(
    name = "check",
    mixinStandardHelpOptions = true,
    versionProvider = Main.Version.class,
    sortOptions = false,
    modelTransformer = CheckCommand.ReadingOptionsOnly.class,
    customSynopsis = "sluice check [OPTIONS] [--input=PATH]... [PATH]...",
    footerHeading = "%nExamples:%n",
    footer = {
      "  sluice check --input 'in/**/*.csv' --filter 'amount > 100'",
      "",
      "  sluice check --job /etc/sluice/nightly.job     (the job's inputs and steps)"
    },
    description = {
      "Validates the inputs against the format and the steps without writing anything: prints the"
          + " rejects per file; exit 3 when anything would be rejected, 0 when all is clean.",
      "Takes the options of 'sluice run' that say what is read and how; a job file's output and"
          + " state settings are ignored."
    })
final class CheckCommand extends RunCommand {
  /** Options of {@code run} that only concern what a run writes or keeps. */
  static final List<String> WRITE_ONLY =
      List.of(
          "--output",
          "--overwrite",
          "--to",
          "--crlf",
          "--gzip-output",
          "--json-types",
          "--escape-formulas",
          "--column-match",
          "--merge-output",
          "--partition-by",
          "--report",
          "--html-report",
          "--metrics-file",
          "--job-name",
          "--dry-run",
          "--reject-dir",
          "--on-success",
          "--on-failure",
          "--state-dir",
          "--no-state",
          "--full",
          "--identity",
          "--wait-lock");

  @Override
  boolean checkOnly() {
    return true;
  }

  @Override
  public Integer call() throws java.io.IOException {
    // Without this, an option of run's would land among Beam's pass-through options and its
    // value would be taken for an input.
    for (String arg : beamArgs) {
      String name = arg.contains("=") ? arg.substring(0, arg.indexOf('=')) : arg;
      if (WRITE_ONLY.contains(name)) {
        throw new UsageException(
            name
                + " is an option of 'sluice run' only: 'sluice check' writes nothing (no output,"
                + " reports, rejects or state)");
      }
    }
    return super.call();
  }

  /** Removes {@link #WRITE_ONLY} from the command's model. */
  static final class ReadingOptionsOnly implements IModelTransformer {
    @Override
    public CommandSpec transform(CommandSpec spec) {
      for (String name : WRITE_ONLY) {
        OptionSpec o = spec.findOption(name);
        if (o != null) {
          spec.remove(o);
        }
      }
      return spec;
    }
  }
}
