package dev.sluice.api;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serializable;
import java.net.URI;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The input section of a {@link PipelineSpec}: what is read (directories, files, globs and URLs),
 * how URLs are fetched, how far links are followed, how many records of each file are read, and
 * what happens to an input file once it is done.
 *
 * <p>Immutable and thread-safe. Serializable: paths travel as absolute URIs, so a deserialized
 * section names the same files from any working directory.
 *
 * @since 0.3
 */
public final class InputSettings implements Serializable {
  private static final long serialVersionUID = 1L;

  private final List<Path> inputs;
  private final List<URI> inputUrls;
  private final HttpOptions http;
  private final boolean followSymlinks;
  private final long limit;
  private final InputAction onSuccess;
  private final InputAction onFailure;

  private InputSettings(Builder b) {
    if (b.inputs.isEmpty() && b.inputUrls.isEmpty()) {
      throw new ConfigurationException(
          "no input: add at least one input directory, file, glob or URL");
    }
    for (URI u : b.inputUrls) {
      checkUrl(u);
    }
    if (!b.inputUrls.isEmpty() && (!b.onSuccess.isKeep() || !b.onFailure.isKeep())) {
      throw new ConfigurationException(
          "URL inputs cannot be moved or deleted: leave on-success and on-failure at keep");
    }
    if (b.limit < 0) {
      throw new ConfigurationException("limit < 0: " + b.limit);
    }
    if (b.onSuccess.isMove()
        && b.onFailure.isMove()
        && b.onSuccess.directory().equals(b.onFailure.directory())) {
      throw new ConfigurationException(
          "on-success and on-failure move to the same directory "
              + b.onSuccess.directory()
              + ": choose two directories");
    }
    this.inputs = List.copyOf(b.inputs);
    this.inputUrls = List.copyOf(b.inputUrls);
    this.http = b.http;
    this.followSymlinks = b.followSymlinks;
    this.limit = b.limit;
    this.onSuccess = b.onSuccess;
    this.onFailure = b.onFailure;
  }

  private static void checkUrl(URI u) {
    String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
    if (!u.isAbsolute()
        || !(scheme.equals("http") || scheme.equals("https"))
        || u.getHost() == null) {
      throw new ConfigurationException("not an http or https URL with a host: " + u);
    }
  }

  /** An empty builder: add at least one input or URL. */
  public static Builder builder() {
    return new Builder();
  }

  /** A builder that starts from this section. */
  public Builder toBuilder() {
    return new Builder().from(this);
  }

  /**
   * Input directories (read recursively), files or glob patterns. See {@link
   * PipelineSpec#inputs()}.
   */
  public List<Path> inputs() {
    return inputs;
  }

  /** HTTP and HTTPS URLs to read, after the inputs. See {@link PipelineSpec#inputUrls()}. */
  public List<URI> inputUrls() {
    return inputUrls;
  }

  /** How URL inputs are fetched. */
  public HttpOptions http() {
    return http;
  }

  /** Whether links that lead outside an input directory are followed (default false). */
  public boolean followSymlinks() {
    return followSymlinks;
  }

  /** Records read from each file at most (0: all). */
  public long limit() {
    return limit;
  }

  /** What happens to an input file once its output (and manifest entry) is committed. */
  public InputAction onSuccess() {
    return onSuccess;
  }

  /** What happens to an input file that failed as a whole, once its reject file is committed. */
  public InputAction onFailure() {
    return onFailure;
  }

  private Object writeReplace() {
    return new Form(this);
  }

  private void readObject(ObjectInputStream in) throws InvalidObjectException {
    throw new InvalidObjectException("InputSettings travels as its serial form");
  }

  /** The serial form: paths as URIs, the HTTP options and actions as their parts. */
  private static final class Form implements Serializable {
    private static final long serialVersionUID = 1L;

    private final ArrayList<String> inputs;
    private final ArrayList<URI> inputUrls;
    private final SerialForms.Http http;
    private final boolean followSymlinks;
    private final long limit;
    private final String onSuccess;
    private final String onFailure;

    Form(InputSettings s) {
      this.inputs = SerialForms.uris(s.inputs);
      this.inputUrls = new ArrayList<>(s.inputUrls);
      this.http = new SerialForms.Http(s.http);
      this.followSymlinks = s.followSymlinks;
      this.limit = s.limit;
      this.onSuccess = SerialForms.action(s.onSuccess);
      this.onFailure = SerialForms.action(s.onFailure);
    }

    private Object readResolve() {
      return builder()
          .inputs(SerialForms.paths(inputs))
          .inputUrls(inputUrls)
          .http(http.options())
          .followSymlinks(followSymlinks)
          .limit(limit)
          .onSuccess(SerialForms.action(onSuccess))
          .onFailure(SerialForms.action(onFailure))
          .build();
    }
  }

  /**
   * Builds an {@link InputSettings}. Not thread-safe.
   *
   * @since 0.3
   */
  public static final class Builder {
    private final List<Path> inputs = new ArrayList<>();
    private final List<URI> inputUrls = new ArrayList<>();
    private HttpOptions http = HttpOptions.defaults();
    private boolean followSymlinks;
    private long limit;
    private InputAction onSuccess = InputAction.keep();
    private InputAction onFailure = InputAction.keep();

    private Builder() {}

    private Builder from(InputSettings s) {
      inputs.addAll(s.inputs);
      inputUrls.addAll(s.inputUrls);
      http = s.http;
      followSymlinks = s.followSymlinks;
      limit = s.limit;
      onSuccess = s.onSuccess;
      onFailure = s.onFailure;
      return this;
    }

    /** Adds an input directory (recursive), file or glob pattern. */
    public Builder input(Path input) {
      inputs.add(Objects.requireNonNull(input, "input"));
      return this;
    }

    /** Adds several inputs. */
    public Builder inputs(List<Path> more) {
      more.forEach(this::input);
      return this;
    }

    /** Removes every input and URL, for example to point a copy of a job at other files. */
    public Builder clearInputs() {
      inputs.clear();
      inputUrls.clear();
      return this;
    }

    /** Adds an HTTP or HTTPS URL to read. */
    public Builder inputUrl(URI url) {
      inputUrls.add(Objects.requireNonNull(url, "url"));
      return this;
    }

    /** Adds several URLs. */
    public Builder inputUrls(List<URI> more) {
      more.forEach(this::inputUrl);
      return this;
    }

    /** How URLs are fetched (default {@link HttpOptions#defaults()}). */
    public Builder http(HttpOptions options) {
      this.http = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Follow symbolic links that lead outside the input directories (default false). */
    public Builder followSymlinks(boolean follow) {
      this.followSymlinks = follow;
      return this;
    }

    /** Read at most {@code n} records of each file (0: all; default 0). */
    public Builder limit(long n) {
      this.limit = n;
      return this;
    }

    /** What to do with an input once its output is committed (default keep). */
    public Builder onSuccess(InputAction action) {
      this.onSuccess = Objects.requireNonNull(action, "action");
      return this;
    }

    /** What to do with an input that failed as a whole (default keep). */
    public Builder onFailure(InputAction action) {
      this.onFailure = Objects.requireNonNull(action, "action");
      return this;
    }

    /** The section. @throws ConfigurationException if the settings are invalid */
    public InputSettings build() {
      return new InputSettings(this);
    }
  }
}
