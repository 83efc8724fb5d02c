package dev.sluice.internal.config;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.databind.annotation.JsonDeserialize;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * A whole job: its sections, steps, name and hash key, as a job file holds it (bound by {@link
 * JobReader}) or as the command line gives it; the command line is laid over the job file with
 * {@link #over}, and the result builds the {@link PipelineSpec} ({@link #toSpecBuilder}).
 *
 * <p>Not thread-safe: assembled by one thread, then only read.
 */
public final class JobConfig {
  /** The fewest bytes a hash key may have; 32 random bytes are recommended. */
  public static final int MIN_HASH_KEY_BYTES = 16;

  @JsonProperty("version")
  @Nullable Integer version;

  @JsonProperty("name")
  @Nullable String name;

  @JsonProperty("description")
  @Nullable String description;

  @JsonProperty("input")
  InputSection input = new InputSection();

  @JsonProperty("output")
  OutputSection output = new OutputSection();

  @JsonProperty("steps")
  @JsonDeserialize(using = JobReader.StepList.class)
  @Nullable List<Step> steps;

  @JsonProperty("hashKeyFile")
  @Nullable Path hashKeyFile;

  @JsonProperty("engine")
  SizingSection engine = new SizingSection();

  @JsonProperty("errors")
  ErrorSection errors = new ErrorSection();

  @JsonProperty("state")
  StateSection state = new StateSection();

  @JsonProperty("http")
  HttpSection http = new HttpSection();

  private @Nullable Path source;
  private byte @Nullable [] hashKey;
  private @Nullable HttpOptions httpOptions;

  JobConfig() {}

  /**
   * A job from the command line's sections.
   *
   * @param steps the steps in command-line order, or empty for none given
   */
  public static JobConfig of(
      InputSection input,
      OutputSection output,
      SizingSection sizing,
      ErrorSection errors,
      StateSection state,
      HttpSection http,
      List<Step> steps,
      @Nullable String name,
      @Nullable Path hashKeyFile) {
    JobConfig c = new JobConfig();
    c.input = input;
    c.output = output;
    c.engine = sizing;
    c.errors = errors;
    c.state = state;
    c.http = http;
    c.steps = steps.isEmpty() ? null : List.copyOf(steps);
    c.name = name;
    c.hashKey(hashKeyFile);
    return c;
  }

  /** Reads the hash key now, so that a missing or short key is an error before anything runs. */
  void hashKey(@Nullable Path file) {
    hashKeyFile = file;
    hashKey = file == null ? null : readKey(file);
  }

  private static byte[] readKey(Path file) {
    Path abs = file.toAbsolutePath().normalize();
    byte[] key;
    try {
      key = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException("hash key file not found: " + abs, e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read the hash key file " + abs + ": " + e, e);
    }
    if (key.length < MIN_HASH_KEY_BYTES) {
      throw new ConfigurationException(
          "the hash key file "
              + abs
              + " holds "
              + key.length
              + " bytes: use at least 32 random bytes, e.g. head -c 32 /dev/urandom > key");
    }
    return key;
  }

  void source(@Nullable Path file, @Nullable String defaultName) {
    source = file;
    if (name == null) {
      name = defaultName;
    }
  }

  /**
   * This job with {@code top} laid over it, as the command line over a job file: each setting
   * {@code top} gives replaces this one's; its inputs, if it has any, replace all of these; its
   * steps, if it has any, replace all of these; its hash key, if it has one, keys every hash step
   * (these too). The result keeps this job's source.
   */
  public JobConfig over(JobConfig top) {
    JobConfig c = new JobConfig();
    c.source = source;
    c.name = top.name != null ? top.name : name;
    c.description = description;
    c.input = input.over(top.input);
    c.output = output.over(top.output);
    c.engine = engine.over(top.engine);
    c.errors = errors.over(top.errors);
    c.state = state.over(top.state);
    c.http = http.over(top.http);
    c.steps = top.steps != null ? top.steps : steps;
    c.hashKeyFile = top.hashKey != null ? top.hashKeyFile : hashKeyFile;
    c.hashKey = top.hashKey != null ? top.hashKey : hashKey;
    return c;
  }

  /** The job's name: the file's {@code name}, else the file name without extension; or null. */
  public @Nullable String name() {
    return name;
  }

  /** The job file this job was read from, or null. */
  public @Nullable Path source() {
    return source;
  }

  /** The input paths, possibly empty. */
  public List<Path> inputs() {
    return input.inputPaths();
  }

  /** The HTTP(S) inputs, possibly empty. */
  public List<java.net.URI> inputUrls() {
    return input.inputUrls();
  }

  /** The spec this job describes. @throws ConfigurationException if incomplete or invalid */
  public PipelineSpec toSpec() {
    return toSpecBuilder(PipelineSpec.builder()).build();
  }

  /** The input section. */
  public InputSection input() {
    return input;
  }

  /** The output section. */
  public OutputSection output() {
    return output;
  }

  /** The file the hash key was read from, or null; the key itself is never exposed. */
  public @Nullable Path hashKeyFile() {
    return hashKeyFile;
  }

  /** The steps, hash steps keyed when there is a key; without the formula-escaping step. */
  public List<Step> steps() {
    List<Step> out = new ArrayList<>();
    for (Step s : steps == null ? List.<Step>of() : steps) {
      out.add(s instanceof KeyableHash ? ((KeyableHash) s).with(hashKey) : s);
    }
    return out;
  }

  /** Whether any step hashes (to warn about a key nothing uses). */
  public boolean hashes() {
    return steps != null && steps.stream().anyMatch(s -> s instanceof KeyableHash);
  }

  /**
   * How URL inputs are fetched, or null when nothing is set (the spec keeps {@link
   * HttpOptions#defaults()}).
   *
   * @throws BadValue naming the key of a bad header or file
   */
  public @Nullable HttpOptions http() {
    HttpOptions h = httpOptions;
    if (h == null && !http.isEmpty()) {
      // Built once: reading a header file twice could give two different sets of headers.
      h = http.options(source != null ? "http." : "--http-");
      httpOptions = h;
    }
    return h;
  }

  /** The file name and ": ", or "" for a job without a file, for messages. */
  public String where() {
    return source != null ? source + ": " : "";
  }

  /**
   * A spec builder with this job's settings, for adding what a job cannot hold (listeners, a thread
   * factory).
   *
   * @throws ConfigurationException if inputs or output are missing, or settings contradict
   */
  public PipelineSpec.Builder toSpecBuilder(PipelineSpec.Builder b) {
    if (input.inputPaths().isEmpty() && input.inputUrls().isEmpty()) {
      throw new ConfigurationException(
          where() + "no input: set input.paths in the job file or give --input");
    }
    Path dir = output.dir();
    if (dir == null) {
      throw new ConfigurationException(
          where() + "no output directory: set output.dir in the job file or give --output");
    }
    dev.sluice.api.Format in;
    try {
      input.applyTo(b);
      in = input.format();
      b.outputFormat(output.format(in));
    } catch (BadValue | ConfigurationException e) {
      throw new ConfigurationException(where() + e.getMessage(), e);
    }
    output.applyTo(b, dir);
    b.inputFormat(in);
    b.steps(steps());
    if (output.escapeFormulas()) {
      b.step(Steps.escapeFormulas()); // last, so no later step can reintroduce a formula
    }
    engine.applyTo(b);
    errors.applyTo(b, where());
    state.applyTo(b, dir);
    try {
      HttpOptions h = http();
      if (h != null) {
        b.http(h);
      }
    } catch (BadValue e) {
      throw new ConfigurationException(where() + e.getMessage(), e);
    }
    return b;
  }

  @Override
  public String toString() {
    // Names the key's file, never the key.
    return "JobConfig{name="
        + name
        + ", source="
        + source
        + ", inputs="
        + inputs()
        + (inputUrls().isEmpty() ? "" : ", urls=" + inputUrls().size())
        + ", output="
        + output.dir()
        + ", steps="
        + (steps == null ? 0 : steps.size())
        + (http.isEmpty() ? "" : ", http=" + http())
        + (hashKeyFile == null ? "" : ", hashKeyFile=" + hashKeyFile)
        + "}";
  }
}
