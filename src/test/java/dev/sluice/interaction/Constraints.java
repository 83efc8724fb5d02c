package dev.sluice.interaction;

import dev.sluice.interaction.Dims.Bad;
import dev.sluice.interaction.Dims.Fmt;
import dev.sluice.interaction.Dims.Headers;
import dev.sluice.interaction.Dims.Identity;
import dev.sluice.interaction.Dims.Input;
import dev.sluice.interaction.Dims.Kill;
import dev.sluice.interaction.Dims.Layout;
import dev.sluice.interaction.Dims.OnSuccess;
import dev.sluice.interaction.Dims.RejectDir;
import dev.sluice.interaction.Dims.State;
import java.util.List;
import java.util.function.Predicate;

/**
 * The combinations that are not valid jobs, or say nothing, and why. The all-pairs generator only
 * requires pairs some allowed case can hold; each rule here only rejects values already chosen
 * ({@link Case#is} is false for an unassigned dimension).
 *
 * <ul>
 *   <li>Standard input is one input: no second file whose header could differ.
 *   <li>{@code --partition-by} needs CSV or TSV output (README), so not JSON Lines.
 *   <li>{@code --output -} has no state: the command turns it off (a pipe has nothing to resume),
 *       so State=ON and Identity=HASH say nothing there. With {@code --on-error skip} it needs
 *       {@code --reject-dir} (README), so the reject directory is explicit.
 *   <li>{@code --identity hash} is a state setting: it needs state.
 *   <li>{@code --on-success move} needs files to move (not URLs, README: "must stay keep", and not
 *       the spooled standard input). Killed without state, a rerun cannot know the inputs an
 *       earlier run moved away, so a kill with a move needs state.
 *   <li>A file that fails whole needs a second file to tell "the run goes on" from "nothing".
 * </ul>
 *
 * <p>Stateless.
 */
final class Constraints {
  private Constraints() {}

  /** A named rule: {@code violated} is true when the case's assigned values break it. */
  record Rule(String why, Predicate<Case> violated) {}

  static final List<Rule> RULES =
      List.of(
          new Rule(
              "stdin is one input: headers cannot differ",
              c -> c.is(Input.STDIN) && c.isNot(Headers.SAME)),
          new Rule(
              "stdin is one input: no second file besides one that fails whole",
              c -> c.is(Input.STDIN) && c.is(Bad.ROWS_AND_FILE)),
          new Rule(
              "--partition-by needs CSV or TSV output",
              c -> c.is(Layout.PARTITION) && c.is(Fmt.JSONL)),
          new Rule(
              "--output - runs without state",
              c -> c.is(Layout.STDOUT) && (c.is(State.ON) || c.is(Identity.HASH))),
          new Rule(
              "--output - with --on-error skip needs --reject-dir",
              c -> c.is(Layout.STDOUT) && c.is(RejectDir.DEFAULT)),
          new Rule("--identity hash needs state", c -> c.is(Identity.HASH) && c.is(State.OFF)),
          new Rule(
              "--on-success move needs files (not URLs, not stdin)",
              c -> c.is(OnSuccess.MOVE) && (c.is(Input.URL) || c.is(Input.STDIN))),
          new Rule(
              "a kill with --on-success move needs state to find the moved inputs again",
              c -> c.is(OnSuccess.MOVE) && c.is(Kill.YES) && c.is(State.OFF)));

  static boolean allowed(Case c) {
    for (Rule r : RULES) {
      if (r.violated().test(c)) {
        return false;
      }
    }
    return true;
  }
}
