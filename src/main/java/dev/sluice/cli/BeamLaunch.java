package dev.sluice.cli;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.jspecify.annotations.Nullable;

/**
 * {@code --engine}, {@code --runner} and the options Sluice passes on to Apache Beam: whether a run
 * goes to Beam, and launching it there. Beam is an optional dependency, so it is looked for on the
 * class path only when a run asks for it.
 *
 * <p>Immutable, hence thread-safe.
 */
final class BeamLaunch {
  private final String engine;
  private final @Nullable String runner;
  private final List<String> beamArgs;

  /**
   * @param engine {@code --engine}: local or beam, in any case
   * @param runner {@code --runner}, or null for Beam's default
   * @param beamArgs the options Sluice does not know, for Beam ({@code --name=value})
   */
  BeamLaunch(String engine, @Nullable String runner, List<String> beamArgs) {
    this.engine = engine;
    this.runner = runner;
    this.beamArgs = List.copyOf(beamArgs);
  }

  /**
   * Whether {@code --engine} is beam; refuses Beam's options with the local engine.
   *
   * @param knownOptions the command's option names, for the did-you-mean of an unknown one
   * @throws UsageException if the engine is neither local nor beam, or Beam's options come without
   *     {@code --engine beam}
   */
  boolean selected(Collection<String> knownOptions) {
    switch (engine.strip().toLowerCase(Locale.ROOT)) {
      case "local":
        if (!beamArgs.isEmpty()) {
          String unknown = beamArgs.get(0);
          throw new UsageException(
              "Unknown option: '"
                  + unknown
                  + "'"
                  + OptionSuggestions.hint(unknown, knownOptions)
                  + " (options for Beam need --engine beam)");
        }
        if (runner != null) {
          throw new UsageException("--runner: options for Beam need --engine beam");
        }
        return false;
      case "beam":
        return true;
      default:
        throw new UsageException("--engine must be local or beam (got '" + engine + "')");
    }
  }

  /**
   * Runs {@code spec} on Apache Beam (no state directory: no resume, no lock).
   *
   * @throws UsageException if Beam is not on the class path or an option for it is malformed
   */
  RunResult run(PipelineSpec spec) {
    try {
      Class.forName("org.apache.beam.sdk.Pipeline", false, BeamLaunch.class.getClassLoader());
    } catch (ClassNotFoundException e) {
      throw new UsageException(
          "--engine beam needs Apache Beam and a runner on the class path: run the bundle built by"
              + " ./mvnw -Pflink package (target/sluice-*-flink.jar); see docs/BEAM.md");
    }
    List<String> args = new ArrayList<>();
    if (runner != null) {
      args.add("--runner=" + runner.strip());
    }
    for (String a : beamArgs) {
      if (!a.startsWith("--")) {
        throw new UsageException("options for Beam take the form --name=value (got '" + a + "')");
      }
      args.add(a);
    }
    return dev.sluice.beam.BeamEngine.run(spec, args.toArray(new String[0]));
  }
}
