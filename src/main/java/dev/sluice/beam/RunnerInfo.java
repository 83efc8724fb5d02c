package dev.sluice.beam;

import dev.sluice.api.RunResult;
import java.lang.reflect.InvocationTargetException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.beam.sdk.options.PipelineOptions;
import org.jspecify.annotations.Nullable;

/**
 * What a Beam run ran on, for its result: the runner's name and the parallelism its options gave.
 *
 * <p>Sluice does not depend on any runner (the user brings one), so each runner's options interface
 * is looked up by name and read reflectively; an unknown runner, or one whose options cannot be
 * read, reports parallelism 0 ("chosen by the runner") rather than a guess.
 *
 * <p>Stateless and thread-safe.
 */
final class RunnerInfo {
  private static final Pattern LOCAL_MASTER = Pattern.compile("local(?:\\[(\\d+|\\*)(?:,\\d+)?])?");

  private RunnerInfo() {}

  static RunResult.Runner of(PipelineOptions options) {
    String name = options.getRunner().getSimpleName();
    int parallelism;
    switch (name) {
      case "FlinkRunner":
        parallelism =
            positive(
                get(
                    options,
                    "org.apache.beam.runners.flink.FlinkPipelineOptions",
                    "getParallelism"));
        break;
      case "SparkRunner":
      case "SparkStructuredStreamingRunner":
        Object master =
            get(
                options,
                "org.apache.beam.runners.spark.SparkCommonPipelineOptions",
                "getSparkMaster");
        parallelism = master == null ? 0 : sparkLocalCores(master.toString());
        break;
      case "DirectRunner":
        parallelism =
            positive(
                get(
                    options,
                    "org.apache.beam.runners.direct.DirectOptions",
                    "getTargetParallelism"));
        break;
      default:
        parallelism = 0;
    }
    return new RunResult.Runner(name, parallelism);
  }

  /** The cores of a Spark {@code local[N]} master; 0 for a cluster, which decides by itself. */
  static int sparkLocalCores(String master) {
    Matcher m = LOCAL_MASTER.matcher(master.strip().toLowerCase(Locale.ROOT));
    if (!m.matches()) {
      return 0;
    }
    String n = m.group(1);
    if (n == null) {
      return 1; // "local" is one thread
    }
    return n.equals("*") ? Runtime.getRuntime().availableProcessors() : Integer.parseInt(n);
  }

  private static int positive(@Nullable Object value) {
    return value instanceof Integer && (Integer) value > 0 ? (Integer) value : 0;
  }

  @SuppressWarnings("unchecked")
  private static @Nullable Object get(PipelineOptions options, String type, String getter) {
    try {
      Class<? extends PipelineOptions> c =
          (Class<? extends PipelineOptions>)
              Class.forName(type, false, options.getClass().getClassLoader());
      return c.getMethod(getter).invoke(options.as(c));
    } catch (ClassNotFoundException
        | NoSuchMethodException
        | IllegalAccessException
        | InvocationTargetException
        | ClassCastException
        | IllegalArgumentException e) {
      // Another runner's build, or a release that renamed the option: report no parallelism.
      return null;
    }
  }
}
