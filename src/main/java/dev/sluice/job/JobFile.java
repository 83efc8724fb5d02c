package dev.sluice.job;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.HttpOptions;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Steps;
import dev.sluice.internal.io.http.UrlList;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.Charset;
import java.nio.charset.IllegalCharsetNameException;
import java.nio.charset.UnsupportedCharsetException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.jspecify.annotations.Nullable;

/**
 * Reads job files: one JSON object with {@code "version": 1} that holds a whole job (inputs, among
 * them HTTP(S) URLs, output, formats, steps, threads, error policy, state options, HTTP options).
 * The format is described key by key in {@code docs/JOB-FILE.md}. Relative paths in a job file
 * resolve against the directory of the file, so a job file and its data can move together. Files a
 * job file names for its settings (a URL list, an HTTP header file, a custom step class) are read
 * when the job file is, so a missing one is an error before anything runs.
 *
 * <pre>{@code
 * JobDefinition job = JobFile.read(Path.of("jobs/nightly.job"));
 * RunResult r = Sluice.run(job.toSpec());
 * }</pre>
 *
 * <p>Unknown keys, a missing or unsupported {@code version} and values of the wrong type are errors
 * ({@link ConfigurationException}) naming the file and the key, so a typo never silently falls back
 * to a default.
 *
 * <p>Thread-safe: static methods; the JSON mapper is immutable once built.
 *
 * @since 0.1
 */
public final class JobFile {
  /** The job file format version this Sluice reads and documents. */
  public static final int VERSION = 1;

  /** The usual file name extension of job files, without the dot. */
  public static final String EXTENSION = "job";

  private static final ObjectMapper JSON =
      JsonMapper.builder()
          .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
          .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
          .build();

  /**
   * The keys each object of a job file may hold, by the object's path ({@code ""} for the top
   * level, {@code "steps[]"} for the step kinds), in the order the messages list them. The one list
   * the reader checks against, and the schema the settings-parity test compares with the command
   * line.
   */
  private static final Map<String, List<String>> SCHEMA = schema();

  private static Map<String, List<String>> schema() {
    Map<String, List<String>> m = new LinkedHashMap<>();
    m.put(
        "",
        List.of(
            "version",
            "name",
            "description",
            "input",
            "output",
            "steps",
            "hashKeyFile",
            "engine",
            "errors",
            "state",
            "http"));
    m.put(
        "input",
        List.of(
            "paths",
            "format",
            "delimiter",
            "quote",
            "header",
            "columns",
            "charset",
            "maxRecordSize",
            "malformedInput",
            "csvParser",
            "allowShortRecords",
            "blankLines",
            "splitSize",
            "followSymlinks",
            "urlsFile"));
    m.put(
        "output",
        List.of("dir", "format", "crlf", "gzip", "overwrite", "escapeFormulas", "columnMatch"));
    m.put(
        "steps[]",
        List.of(
            "filter", "select", "drop", "rename", "upper", "lower", "trim", "replace", "hash",
            "class"));
    m.put("steps[].replace", List.of("column", "regex", "replacement"));
    m.put(
        "engine",
        List.of(
            "threads",
            "readers",
            "transformers",
            "writers",
            "threadBudget",
            "queueCapacity",
            "batchSize",
            "batchBytes",
            "maxInFlight",
            "virtualReaders"));
    m.put("errors", List.of("onError", "maxErrors", "maxErrorsPerFile", "rejectDir"));
    m.put("state", List.of("enabled", "dir", "full", "identity", "waitLock", "timeout"));
    m.put("http", List.of("headers", "headerFile", "timeout", "connectTimeout", "retries"));
    return Collections.unmodifiableMap(m);
  }

  private JobFile() {}

  /**
   * Every setting a job file can hold, as dotted paths such as {@code engine.maxInFlight} or {@code
   * steps[].filter} (objects that only group settings are left out). For tools that check or
   * complete job files; the same schema the reader enforces.
   *
   * @since 0.3
   */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (Map.Entry<String, List<String>> e : SCHEMA.entrySet()) {
      if (e.getKey().startsWith("steps[].")) {
        continue; // a step's arguments, not settings of the job
      }
      for (String k : e.getValue()) {
        String path = e.getKey().isEmpty() ? k : e.getKey() + "." + k;
        boolean group =
            (SCHEMA.containsKey(path) && !path.startsWith("steps[]"))
                || SCHEMA.containsKey(path + "[]");
        if (!group) {
          out.add(path);
        }
      }
    }
    return List.copyOf(out);
  }

  /**
   * Reads the job file {@code file}. The job's name is its {@code "name"}, else the file name
   * without its extension.
   *
   * @throws ConfigurationException if the file cannot be read, is not valid JSON, or is not a valid
   *     job; the message starts with the file name and names the key at fault
   */
  public static JobDefinition read(Path file) {
    String text;
    try {
      text = Files.readString(file);
    } catch (NoSuchFileException e) {
      throw new ConfigurationException(
          "job file not found: " + file.toAbsolutePath().normalize(), e);
    } catch (IOException e) {
      throw new ConfigurationException("cannot read job file " + file + ": " + e, e);
    }
    Path base = file.getParent() != null ? file.getParent() : Path.of("");
    String stem = file.getFileName().toString();
    int dot = stem.lastIndexOf('.');
    if (dot > 0) {
      stem = stem.substring(0, dot);
    }
    return parse(text, base, file, stem);
  }

  /**
   * Parses job file text. Relative paths resolve against {@code baseDir}.
   *
   * @param source the file name for messages and {@link JobDefinition#source()}, or null
   * @throws ConfigurationException if the text is not a valid job
   */
  public static JobDefinition parse(String json, Path baseDir, @Nullable Path source) {
    return parse(json, baseDir, source, null);
  }

  private static JobDefinition parse(
      String json, Path baseDir, @Nullable Path source, @Nullable String defaultName) {
    String where = source != null ? source.toString() : "job";
    JsonNode root;
    try {
      root = JSON.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String position =
          at == null
              ? ""
              : String.format(
                  Locale.ROOT, " at line %d, column %d", at.getLineNr(), at.getColumnNr());
      throw new ConfigurationException(
          where + ": not valid JSON" + position + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigurationException(
          where + ": empty file; a job file is a JSON object with \"version\": " + VERSION);
    }
    Reader r = new Reader(where, baseDir);
    return r.job(root, source, defaultName);
  }

  /** Reads one document; remembers the file name for messages. Not thread-safe. */
  private static final class Reader {
    private final String where;
    private final Path baseDir;

    Reader(String where, Path baseDir) {
      this.where = where;
      this.baseDir = baseDir;
    }

    ConfigurationException error(String key, String problem) {
      return new ConfigurationException(where + ": " + key + ": " + problem);
    }

    JobDefinition job(JsonNode root, @Nullable Path source, @Nullable String defaultName) {
      if (!root.isObject()) {
        throw new ConfigurationException(
            where
                + ": a job file is a JSON object with \"version\": "
                + VERSION
                + " (got "
                + kind(root)
                + ")");
      }
      // The version comes first: a newer file's keys would only confuse the unknown-key check.
      JsonNode v = root.get("version");
      if (v == null) {
        throw new ConfigurationException(
            where + ": missing \"version\": add \"version\": " + VERSION + " at the top level");
      }
      if (!v.isInt()) {
        throw error("version", "must be the integer " + VERSION + " (got " + v + ")");
      }
      if (v.intValue() != VERSION) {
        throw new ConfigurationException(
            where
                + ": unsupported job file version "
                + v.intValue()
                + " (this Sluice reads version "
                + VERSION
                + ")");
      }
      known(root, "", "");
      JobDefinition.Builder b = JobDefinition.builder().source(source);
      String name = string(root, "", "name");
      b.name(name != null ? name : defaultName);
      string(root, "", "description");
      JsonNode input = object(root, "", "input");
      if (input != null) {
        input(input, b);
      }
      JsonNode output = object(root, "", "output");
      if (output != null) {
        output(output, b);
      }
      String hashKeyFile = string(root, "", "hashKeyFile");
      if (hashKeyFile != null) {
        // Read now, like the other files a job names: a missing key is an error before anything
        // runs.
        Path key = path("hashKeyFile", hashKeyFile);
        try {
          b.hashKeyFile(key);
        } catch (ConfigurationException e) {
          throw error("hashKeyFile", String.valueOf(e.getMessage()));
        }
      }
      JsonNode steps = root.get("steps");
      if (steps != null) {
        if (!steps.isArray()) {
          throw error("steps", "must be an array of step objects (got " + kind(steps) + ")");
        }
        for (int i = 0; i < steps.size(); i++) {
          steps(steps.get(i), "steps[" + i + "]", b);
        }
      }
      JsonNode engine = object(root, "", "engine");
      if (engine != null) {
        engine(engine, b);
      }
      JsonNode errors = object(root, "", "errors");
      if (errors != null) {
        errors(errors, b);
      }
      JsonNode state = object(root, "", "state");
      if (state != null) {
        state(state, b);
      }
      JsonNode http = object(root, "", "http");
      if (http != null) {
        http(http, b);
      }
      return b.build();
    }

    private void input(JsonNode n, JobDefinition.Builder b) {
      String p = "input.";
      known(n, p, "input");
      List<String> paths = strings(n, p, "paths");
      if (paths != null) {
        if (paths.isEmpty()) {
          throw error(p + "paths", "is empty: list at least one directory, file, glob or URL");
        }
        for (int i = 0; i < paths.size(); i++) {
          String key = p + "paths[" + i + "]";
          String s = paths.get(i);
          // The command line's rule (--input), so a job file and a command line read one entry
          // alike.
          if (UrlList.looksLikeUrl(s)) {
            b.inputUrl(UrlList.parse(s.strip(), where + ": " + key));
          } else {
            b.input(path(key, s));
          }
        }
      }
      String urlsFile = string(n, p, "urlsFile");
      if (urlsFile != null) {
        Path list = path(p + "urlsFile", urlsFile);
        try {
          UrlList.read(list).forEach(b::inputUrl);
        } catch (UncheckedIOException e) {
          throw error(p + "urlsFile", unreadable(list, e));
        } catch (ConfigurationException e) {
          throw error(p + "urlsFile", String.valueOf(e.getMessage()));
        }
      }
      String format = string(n, p, "format");
      if (format != null) {
        Format.Kind kind = kind(p + "format", format);
        if (kind == Format.Kind.JSONL) {
          throw error(p + "format", "must be csv, tsv or lines (jsonl is an output format only)");
        }
        b.inputFormat(kind);
      }
      String delimiter = string(n, p, "delimiter");
      if (delimiter != null) {
        b.delimiter(
            delimiter.equals("\t") || delimiter.equals("\\t") || delimiter.equalsIgnoreCase("tab")
                ? '\t'
                : oneChar(p + "delimiter", delimiter));
      }
      String quote = string(n, p, "quote");
      if (quote != null) {
        b.quote(oneChar(p + "quote", quote));
      }
      b.header(bool(n, p, "header"));
      List<String> columns = strings(n, p, "columns");
      if (columns != null) {
        if (columns.isEmpty()) {
          throw error(p + "columns", "is empty: name at least one column, or leave it out");
        }
        b.columns(columns);
      }
      String charset = string(n, p, "charset");
      if (charset != null) {
        try {
          b.charset(Charset.forName(charset.strip()));
        } catch (IllegalCharsetNameException | UnsupportedCharsetException e) {
          throw error(
              p + "charset",
              "unknown charset '" + charset + "' (try UTF-8, ISO-8859-1, windows-1252)");
        }
      }
      Long max = size(n, p, "maxRecordSize");
      if (max != null) {
        if (max > Integer.MAX_VALUE) {
          throw error(p + "maxRecordSize", "must be at most 2g characters (got " + max + ")");
        }
        b.maxRecordSize(max.intValue());
      }
      String malformed = string(n, p, "malformedInput");
      if (malformed != null) {
        switch (malformed.strip().toLowerCase(Locale.ROOT)) {
          case "report":
            b.malformedInput(Format.MalformedInput.REPORT);
            break;
          case "replace":
            b.malformedInput(Format.MalformedInput.REPLACE);
            break;
          default:
            throw error(
                p + "malformedInput", "must be report or replace (got '" + malformed + "')");
        }
      }
      String parser = string(n, p, "csvParser");
      if (parser != null) {
        Format.Parser named = Format.Parser.byName(parser);
        if (named == null) {
          throw error(p + "csvParser", "must be commons or fastcsv (got '" + parser + "')");
        }
        b.csvParser(named);
      }
      b.allowShortRecords(bool(n, p, "allowShortRecords"));
      String blank = string(n, p, "blankLines");
      if (blank != null) {
        Format.BlankLines named = Format.BlankLines.byName(blank);
        if (named == null) {
          throw error(p + "blankLines", "must be skip, fail or keep (got '" + blank + "')");
        }
        b.blankLines(named);
      }
      JsonNode split = n.get("splitSize");
      if (split != null) {
        // 0 is allowed here (it reads every file whole), unlike the other sizes.
        boolean zero =
            split.isIntegralNumber()
                ? split.longValue() == 0
                : split.isTextual() && split.asText().strip().equals("0");
        b.splitSize(zero ? Long.valueOf(0) : size(n, p, "splitSize"));
      }
      b.followSymlinks(bool(n, p, "followSymlinks"));
    }

    private void output(JsonNode n, JobDefinition.Builder b) {
      String p = "output.";
      known(n, p, "output");
      String dir = string(n, p, "dir");
      if (dir != null) {
        b.output(path(p + "dir", dir));
      }
      String format = string(n, p, "format");
      if (format != null) {
        b.outputFormat(kind(p + "format", format));
      }
      b.crlf(bool(n, p, "crlf"));
      b.gzip(bool(n, p, "gzip"));
      b.overwrite(bool(n, p, "overwrite"));
      b.escapeFormulas(bool(n, p, "escapeFormulas"));
      String match = string(n, p, "columnMatch");
      if (match != null) {
        JobDefinition.ColumnMatch m = JobDefinition.ColumnMatch.byName(match);
        if (m == null) {
          throw error(p + "columnMatch", "must be strict, fill or union (got '" + match + "')");
        }
        b.columnMatch(m);
      }
    }

    private void steps(JsonNode n, String key, JobDefinition.Builder b) {
      if (!n.isObject() || n.size() != 1) {
        throw error(
            key,
            "must be an object with exactly one key, the step, e.g. {\"filter\": \"amount > 100\"}"
                + " (got "
                + (n.isObject() ? n.size() + " keys" : kind(n))
                + ")");
      }
      Map.Entry<String, JsonNode> e = n.properties().iterator().next();
      String kind = e.getKey();
      String k = key + "." + kind;
      JsonNode arg = e.getValue();
      try {
        switch (kind) {
          case "filter":
            b.step(Steps.filter(text(k, arg)));
            break;
          case "select":
            b.step(Steps.select(columns(k, arg)));
            break;
          case "drop":
            b.step(Steps.drop(columns(k, arg)));
            break;
          case "upper":
            b.step(Steps.upper(columns(k, arg)));
            break;
          case "lower":
            b.step(Steps.lower(columns(k, arg)));
            break;
          case "trim":
            b.step(Steps.trim(columns(k, arg)));
            break;
          case "hash":
            b.hash(
                columns(
                    k, arg)); // keyed when the job has a hash key, from here or the command line
            break;
          case "rename":
            if (!arg.isObject() || arg.isEmpty()) {
              throw error(
                  k,
                  "must be an object of old: new names, e.g. {\"email\": \"contact\"} (got "
                      + kind(arg)
                      + ")");
            }
            for (Map.Entry<String, JsonNode> r : arg.properties()) {
              b.step(Steps.rename(r.getKey(), text(k + "." + r.getKey(), r.getValue())));
            }
            break;
          case "replace":
            if (!arg.isObject()) {
              throw error(
                  k,
                  "must be an object with column, regex and replacement (got " + kind(arg) + ")");
            }
            known(arg, k + ".", "steps[].replace");
            b.step(
                Steps.replace(
                    required(arg, k + ".", "column"),
                    required(arg, k + ".", "regex"),
                    required(arg, k + ".", "replacement")));
            break;
          case "class":
            b.step(CustomSteps.load(text(k, arg)));
            break;
          default:
            throw error(
                key,
                "unknown step '"
                    + kind
                    + "' (known: "
                    + String.join(", ", SCHEMA.get("steps[]"))
                    + ")");
        }
      } catch (ConfigurationException ex) {
        if (ex.getMessage() != null && ex.getMessage().startsWith(where + ": ")) {
          throw ex;
        }
        throw new ConfigurationException(where + ": " + k + ": " + ex.getMessage(), ex);
      }
    }

    private void engine(JsonNode n, JobDefinition.Builder b) {
      String p = "engine.";
      known(n, p, "engine");
      // threads, readers and transformers take a count or "auto" (resized during the run).
      if (auto(n, p, "threads")) {
        b.autoReaders(true).autoTransformers(true);
      } else {
        b.threads(positive(n, p, "threads"));
      }
      if (auto(n, p, "readers")) {
        b.autoReaders(true);
      } else if (n.has("readers")) {
        b.readers(positive(n, p, "readers")).autoReaders(false);
      }
      if (auto(n, p, "transformers")) {
        b.autoTransformers(true);
      } else if (n.has("transformers")) {
        b.transformers(positive(n, p, "transformers")).autoTransformers(false);
      }
      b.writers(positive(n, p, "writers"));
      b.threadBudget(positive(n, p, "threadBudget"));
      b.queueCapacity(positive(n, p, "queueCapacity"));
      b.batchSize(positive(n, p, "batchSize"));
      Long batchBytes = size(n, p, "batchBytes");
      if (batchBytes != null && (batchBytes < 1 || batchBytes > Integer.MAX_VALUE)) {
        throw error(p + "batchBytes", "must be between 1 byte and 2g - 1 (got " + batchBytes + ")");
      }
      b.batchBytes(batchBytes == null ? null : batchBytes.intValue());
      Long max = size(n, p, "maxInFlight");
      if (max != null && max < 1) {
        throw error(p + "maxInFlight", "must be at least 1 byte (got " + max + ")");
      }
      b.maxInFlight(max);
      b.virtualReaders(bool(n, p, "virtualReaders"));
    }

    private void errors(JsonNode n, JobDefinition.Builder b) {
      String p = "errors.";
      known(n, p, "errors");
      String policy = string(n, p, "onError");
      if (policy != null) {
        ErrorPolicy named = ErrorPolicy.byName(policy);
        if (named == null) {
          throw error(p + "onError", "must be fail or skip (got '" + policy + "')");
        }
        b.onError(named);
      }
      b.maxErrors(threshold(n, p, "maxErrors"));
      b.maxErrorsPerFile(threshold(n, p, "maxErrorsPerFile"));
      String reject = string(n, p, "rejectDir");
      if (reject != null) {
        b.rejectDir(path(p + "rejectDir", reject));
      }
    }

    private void state(JsonNode n, JobDefinition.Builder b) {
      String p = "state.";
      known(n, p, "state");
      b.state(bool(n, p, "enabled"));
      String dir = string(n, p, "dir");
      if (dir != null) {
        if (Boolean.FALSE.equals(bool(n, p, "enabled"))) {
          throw error(p + "dir", "is set but state.enabled is false: drop one of the two");
        }
        b.stateDir(path(p + "dir", dir));
      }
      b.full(bool(n, p, "full"));
      String identity = string(n, p, "identity");
      if (identity != null) {
        switch (identity.strip().toLowerCase(Locale.ROOT)) {
          case "stat":
            b.identity(PipelineSpec.Identity.STAT);
            break;
          case "hash":
            b.identity(PipelineSpec.Identity.HASH);
            break;
          default:
            throw error(p + "identity", "must be stat or hash (got '" + identity + "')");
        }
      }
      b.waitLock(duration(n, p, "waitLock"));
      Duration timeout = duration(n, p, "timeout");
      if (timeout != null && timeout.isZero()) {
        throw error(p + "timeout", "must be positive; leave it out for no timeout");
      }
      b.timeout(timeout);
    }

    private void http(JsonNode n, JobDefinition.Builder b) {
      String p = "http.";
      known(n, p, "http");
      HttpOptions.Builder h = HttpOptions.builder();
      List<String> headers = strings(n, p, "headers");
      if (headers != null) {
        for (int i = 0; i < headers.size(); i++) {
          try {
            h.header(headers.get(i));
          } catch (ConfigurationException e) {
            // HttpOptions' messages name the header, never its value.
            throw error(p + "headers[" + i + "]", String.valueOf(e.getMessage()));
          }
        }
      }
      String headerFile = string(n, p, "headerFile");
      if (headerFile != null) {
        Path file = path(p + "headerFile", headerFile);
        try {
          h.headerFile(file);
        } catch (UncheckedIOException e) {
          throw error(p + "headerFile", unreadable(file, e));
        } catch (ConfigurationException e) {
          throw error(p + "headerFile", String.valueOf(e.getMessage()));
        }
      }
      Duration timeout = positiveDuration(n, p, "timeout", "30s");
      if (timeout != null) {
        h.requestTimeout(timeout);
      }
      Duration connect = positiveDuration(n, p, "connectTimeout", "10s");
      if (connect != null) {
        h.connectTimeout(connect);
      }
      JsonNode retries = n.get("retries");
      if (retries != null) {
        if (!retries.isInt() || retries.intValue() < 0) {
          throw error(p + "retries", "must be an integer >= 0 (got " + retries + ")");
        }
        h.retries(retries.intValue());
      }
      b.http(h.build());
    }

    private static String unreadable(Path file, UncheckedIOException e) {
      IOException cause = e.getCause();
      Path abs = file.toAbsolutePath().normalize();
      return cause instanceof NoSuchFileException
          ? "not found: " + abs
          : "cannot read " + abs + ": " + cause;
    }

    // ---- typed access

    private void known(JsonNode n, String prefix, String object) {
      Set<String> allowed = new LinkedHashSet<>(SCHEMA.get(object));
      for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) {
        String k = it.next();
        if (!allowed.contains(k)) {
          throw new ConfigurationException(
              where
                  + ": unknown key '"
                  + prefix
                  + k
                  + "' (known"
                  + (prefix.isEmpty() ? "" : " in " + prefix.substring(0, prefix.length() - 1))
                  + ": "
                  + String.join(", ", allowed)
                  + ")");
        }
      }
    }

    private @Nullable JsonNode object(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      if (!v.isObject()) {
        throw error(prefix + key, "must be an object (got " + kind(v) + ")");
      }
      return v;
    }

    private @Nullable String string(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      return v == null ? null : text(prefix + key, v);
    }

    private String required(JsonNode n, String prefix, String key) {
      String s = string(n, prefix, key);
      if (s == null) {
        throw error(prefix + key, "is missing");
      }
      return s;
    }

    private String text(String key, JsonNode v) {
      if (!v.isTextual()) {
        throw error(key, "must be a string (got " + kind(v) + ")");
      }
      return v.textValue();
    }

    private @Nullable Boolean bool(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      if (!v.isBoolean()) {
        throw error(prefix + key, "must be true or false (got " + kind(v) + ")");
      }
      return v.booleanValue();
    }

    /** Whether {@code key} is the string "auto"; any other string is an error. */
    private boolean auto(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null || !v.isTextual()) {
        return false;
      }
      if (!v.textValue().strip().equalsIgnoreCase("auto")) {
        throw error(prefix + key, "must be an integer >= 1 or \"auto\" (got " + v + ")");
      }
      return true;
    }

    private @Nullable Integer positive(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      if (!v.isInt() || v.intValue() < 1) {
        throw error(prefix + key, "must be an integer >= 1 (got " + v + ")");
      }
      return v.intValue();
    }

    private @Nullable List<String> strings(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      return stringList(prefix + key, v);
    }

    private List<String> stringList(String key, JsonNode v) {
      if (!v.isArray()) {
        throw error(key, "must be an array of strings (got " + kind(v) + ")");
      }
      List<String> out = new ArrayList<>();
      for (int i = 0; i < v.size(); i++) {
        out.add(text(key + "[" + i + "]", v.get(i)));
      }
      return out;
    }

    private String[] columns(String key, JsonNode v) {
      return stringList(key, v).toArray(new String[0]);
    }

    /** A byte or character count: a JSON integer, or a size string such as "64m". */
    private @Nullable Long size(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      if (v.isIntegralNumber() && v.canConvertToLong()) {
        if (v.longValue() < 1) {
          throw error(prefix + key, "must be >= 1 (got " + v + ")");
        }
        return v.longValue();
      }
      if (v.isTextual()) {
        try {
          long s = Units.bytes(v.textValue());
          if (s < 1) {
            throw error(prefix + key, "must be >= 1 (got " + v + ")");
          }
          return s;
        } catch (IllegalArgumentException e) {
          throw error(
              prefix + key,
              e.getMessage() + " (use a number or a k, m, g suffix: 65536, 64k, 64m, 1g)");
        }
      }
      throw error(prefix + key, "must be a number or a size such as \"64m\" (got " + kind(v) + ")");
    }

    private @Nullable Duration duration(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      try {
        return Units.duration(text(prefix + key, v));
      } catch (IllegalArgumentException e) {
        throw error(prefix + key, e.getMessage() + " (use 30s, 5m, 1h30m or PT10M)");
      }
    }

    private @Nullable Duration positiveDuration(
        JsonNode n, String prefix, String key, String byDefault) {
      Duration d = duration(n, prefix, key);
      if (d != null && d.isZero()) {
        throw error(
            prefix + key, "must be positive; leave it out for the default (" + byDefault + ")");
      }
      return d;
    }

    private @Nullable ErrorThreshold threshold(JsonNode n, String prefix, String key) {
      JsonNode v = n.get(key);
      if (v == null) {
        return null;
      }
      String s;
      if (v.isIntegralNumber()) {
        s = v.asText();
      } else if (v.isTextual()) {
        s = v.textValue();
      } else {
        throw error(
            prefix + key,
            "must be a count such as 100 or a percentage such as \"0.5%\" (got " + kind(v) + ")");
      }
      try {
        return ErrorThreshold.parse(s);
      } catch (ConfigurationException e) {
        throw error(prefix + key, e.getMessage());
      }
    }

    private Format.Kind kind(String key, String name) {
      Format.Kind k = Format.Kind.byName(name);
      if (k == null) {
        throw error(key, "must be csv, tsv, lines or jsonl (got '" + name + "')");
      }
      return k;
    }

    private char oneChar(String key, String s) {
      if (s.length() != 1) {
        throw error(key, "must be one character (got '" + s + "')");
      }
      return s.charAt(0);
    }

    /** A path from the file: relative ones resolve against the job file's directory. */
    private Path path(String key, String value) {
      if (value.isBlank()) {
        throw error(key, "is empty");
      }
      Path p;
      try {
        p = Path.of(value);
      } catch (InvalidPathException e) {
        throw error(key, "invalid path '" + value + "': " + e.getReason());
      }
      if (p.isAbsolute()) {
        return p;
      }
      Path resolved = baseDir.resolve(p).normalize();
      // "." next to a job file in the working directory normalizes to the empty path.
      return resolved.toString().isEmpty() ? Path.of(".") : resolved;
    }

    private static String kind(JsonNode v) {
      if (v.isTextual()) {
        return "the string " + v;
      }
      if (v.isNumber()) {
        return "the number " + v;
      }
      if (v.isBoolean()) {
        return v.toString();
      }
      if (v.isNull()) {
        return "null";
      }
      if (v.isArray()) {
        return "an array";
      }
      return v.isObject() ? "an object" : v.getNodeType().toString().toLowerCase(Locale.ROOT);
    }
  }
}
