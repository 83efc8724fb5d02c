package dev.sluice.cli;

import dev.sluice.api.Step;
import dev.sluice.internal.config.BadValue;
import dev.sluice.internal.config.StepCatalog;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParseResult;

/**
 * The step options of {@code sluice run}, one per entry of the {@link StepCatalog} that job files
 * share. The fields only declare the options: the steps are built from picocli's parse result,
 * which keeps the order in which the options were given across different options.
 *
 * <p>Not thread-safe: one instance per parsed command.
 */
final class StepOptions {
  @Option(
      names = "--filter",
      paramLabel = "EXPR",
      order = 20,
      description = {
        "Keep the records for which EXPR is true, e.g. 'status == SHIPPED', 'amount > 100'.",
        "Repeatable; every step option below is applied in command-line order."
      })
  @Nullable List<String> filter;

  @Option(
      names = "--select",
      paramLabel = "COLS",
      split = ",",
      order = 21,
      description = "Keep only these columns, in this order.")
  @Nullable List<String> select;

  @Option(
      names = "--drop",
      paramLabel = "COLS",
      split = ",",
      order = 22,
      description = "Remove these columns.")
  @Nullable List<String> drop;

  @Option(
      names = "--rename",
      paramLabel = "OLD=NEW",
      split = ",",
      order = 23,
      description = "Rename columns: old=new[,old2=new2].")
  @Nullable List<String> rename;

  @Option(
      names = "--upper",
      paramLabel = "COLS",
      split = ",",
      order = 24,
      description = "Upper-case these columns.")
  @Nullable List<String> upper;

  @Option(
      names = "--lower",
      paramLabel = "COLS",
      split = ",",
      order = 25,
      description = "Lower-case these columns.")
  @Nullable List<String> lower;

  @Option(
      names = "--trim",
      paramLabel = "COLS",
      split = ",",
      order = 26,
      description = "Strip leading and trailing white space from these columns.")
  @Nullable List<String> trim;

  @Option(
      names = "--replace",
      arity = "3",
      paramLabel = "COLUMN REGEX REPLACEMENT",
      hideParamSyntax = true,
      order = 27,
      description = "Replace every match of REGEX in COLUMN ($1 refers to a group).")
  @Nullable List<String> replace;

  @Option(
      names = "--hash",
      paramLabel = "COLS",
      split = ",",
      order = 28,
      description = "Replace these columns with a hash of their value (pseudonymise).")
  @Nullable List<String> hash;

  @Option(
      names = "--step",
      paramLabel = "CLASS",
      order = 29,
      description = {
        "Apply a custom step: a class implementing dev.sluice.api.Step with a public"
            + " no-argument constructor. Put its jar on the class path:",
        "java -cp sluice-cli.jar:steps.jar dev.sluice.cli.Main run ..."
      })
  @Nullable List<String> step;

  /**
   * The steps given, in command-line order.
   *
   * @throws UsageException for a malformed step option
   */
  List<Step> steps(@Nullable ParseResult parsed) {
    List<Step> out = new ArrayList<>();
    if (parsed == null) {
      return out;
    }
    // The values of every occurrence of an option, in order: occurrence n has the n-th slice.
    Map<ArgSpec, Integer> seen = new HashMap<>();
    for (ArgSpec arg : parsed.matchedArgs()) {
      if (!(arg instanceof OptionSpec)) {
        continue;
      }
      OptionSpec o = (OptionSpec) arg;
      StepCatalog kind = StepCatalog.byOption(o.longestName());
      if (kind == null) {
        continue;
      }
      int per = o.arity().max();
      int n = seen.merge(arg, 1, Integer::sum) - 1;
      List<String> values = o.originalStringValues().subList(n * per, n * per + per);
      try {
        out.addAll(kind.fromOption(values));
      } catch (BadValue e) {
        throw new UsageException(kind.option() + " " + e.getMessage());
      }
    }
    return out;
  }
}
