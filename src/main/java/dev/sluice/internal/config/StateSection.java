package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.internal.fs.ObjectStores;
import java.nio.file.Path;
import java.time.Duration;
import org.jspecify.annotations.Nullable;
import picocli.CommandLine.Option;

/**
 * The state section ({@link dev.sluice.api.StateSettings}): whether and where the run keeps its
 * manifest, how inputs are identified, the job lock's wait and the run's timeout. Job file object
 * {@code "state"}. See {@link Section}.
 */
public final class StateSection extends Section<StateSection> {
  /** The name of the default state directory under the output directory. */
  public static final String DEFAULT_STATE_DIR = ".sluice";

  @JsonProperty("enabled")
  @Nullable Boolean enabled;

  @Option(
      names = "--no-state",
      order = 71,
      description = "Run without state: no manifest (every file is processed), no lock.")
  boolean noState;

  @Option(
      names = "--state-dir",
      paramLabel = "DIR",
      order = 70,
      description =
          "Where the job keeps its manifest (files done, for resuming) and lock (default:"
              + " <output>/.sluice).")
  @JsonProperty("dir")
  @Nullable Path dir;

  @Option(
      names = "--full",
      order = 72,
      description =
          "Ignore the manifest and process every file again (also needed after the job changed).")
  @JsonProperty("full")
  @Nullable Boolean full;

  @Option(
      converter = Converters.Identity.class,
      names = "--identity",
      paramLabel = "stat|hash",
      order = 73,
      description =
          "How the manifest recognises a file done before: stat (path, size, modification time;"
              + " default) or hash (path and SHA-256 of the content).")
  @JsonProperty("identity")
  PipelineSpec.@Nullable Identity identity;

  @Option(
      converter = Converters.DurationValue.class,
      names = "--wait-lock",
      paramLabel = "DURATION",
      order = 74,
      description =
          "If another run holds the lock, wait up to DURATION (30s, 5m, 1h30m, PT10M) before"
              + " giving up with exit 4 (default: give up at once).")
  @JsonProperty("waitLock")
  @Nullable Duration waitLock;

  @Option(
      names = "--timeout",
      paramLabel = "DURATION",
      order = 75,
      converter = Converters.PositiveDuration.class,
      description =
          "Stop the run after DURATION (30s, 5m, 1h30m, PT10M) and exit 1; files already done"
              + " stay recorded, so the next run resumes.")
  @JsonProperty("timeout")
  @JsonDeserialize(using = JobJson.RunTimeout.class)
  @Nullable Duration timeout;

  @Override
  protected StateSection empty() {
    return new StateSection();
  }

  /**
   * Folds the command line's flags into the settings.
   *
   * @throws BadValue naming both options if they contradict
   */
  public void fold() {
    if (noState && dir != null) {
      throw new BadValue("--no-state and --state-dir are mutually exclusive");
    }
    if (noState) {
      enabled = false;
    }
  }

  /** The job file's rule: a directory and {@code enabled: false} contradict. */
  void check() {
    if (Boolean.FALSE.equals(enabled) && dir != null) {
      throw new BadValue("state.dir: is set but state.enabled is false: drop one of the two");
    }
  }

  /** Processes every input again, as {@code --full}. */
  public void full(boolean again) {
    full = again;
  }

  /** Keeps no state, as {@code --no-state}. */
  public void disable() {
    noState = true;
    enabled = false;
  }

  @Override
  protected void adjust(StateSection base, StateSection top, StateSection merged) {
    if (top.enabled != null || top.dir != null) {
      // Disabling state drops the file's directory; naming a directory enables state.
      merged.enabled = top.enabled;
      merged.dir = top.dir;
    }
  }

  /** Sets what this section holds on {@code b}; state lives under {@code output} by default. */
  public void applyTo(PipelineSpec.Builder b, Path output) {
    if (Boolean.FALSE.equals(enabled)) {
      b.stateDir(null);
    } else {
      if (dir == null && ObjectStores.isObjectStore(output)) {
        throw new ConfigurationException(
            "the state (manifest and lock) stays on a local disk, not next to an output in object"
                + " storage: give --state-dir DIR (job file: state.dir), or --no-state");
      }
      b.stateDir(dir != null ? dir : output.resolve(DEFAULT_STATE_DIR));
    }
    b.full(Boolean.TRUE.equals(full));
    if (identity != null) {
      b.identity(identity);
    }
    if (waitLock != null) {
      b.waitLock(waitLock);
    }
    b.timeout(timeout);
  }
}
