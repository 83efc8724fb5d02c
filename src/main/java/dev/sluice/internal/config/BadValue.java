package dev.sluice.internal.config;

/**
 * A setting's value is not valid: the problem only ({@code "must be >= 1 (got 0)"}, {@code "not a
 * size: '12q'"}), without the option or key, which the caller that knows where the value came from
 * puts in front (a command-line option or a job file key).
 *
 * <p>Immutable and thread-safe. Internal: never leaves the configuration layer; the command line
 * turns it into a usage error, the job file reader into a {@link
 * dev.sluice.api.ConfigurationException}.
 */
public final class BadValue extends IllegalArgumentException {
  private static final long serialVersionUID = 1L;

  public BadValue(String problem) {
    super(problem);
  }

  /**
   * The message with {@code where} in front, as the messages of the command line and job files
   * read: {@code "--readers must be >= 1"} and {@code "--max-in-flight: not a size"}.
   */
  public String at(String where) {
    String problem = String.valueOf(getMessage());
    return problem.startsWith("must ") ? where + " " + problem : where + ": " + problem;
  }
}
