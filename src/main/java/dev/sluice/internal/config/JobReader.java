package dev.sluice.internal.config;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Step;
import java.io.IOException;
import java.lang.reflect.Field;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * Reads job files onto {@link JobConfig}: checks the document and its version on the JSON tree,
 * binds the tree with Jackson ({@link JobJson}), and turns every binding error into a {@link
 * ConfigurationException} that names the file and the key ({@code engine.readers}, {@code
 * steps[1].class}, {@code input.paths[0]}).
 *
 * <p>Thread-safe: static methods over an immutable mapper.
 */
public final class JobReader {
  /** The job file format version this Sluice reads and documents. */
  public static final int VERSION = 1;

  private JobReader() {}

  /** Reads {@code file}; the job's name is its {@code name}, else the file name's stem. */
  public static JobConfig read(Path file) {
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
   * Parses job file text without a default name; relative paths resolve against {@code baseDir}.
   */
  public static JobConfig parse(String json, Path baseDir, @Nullable Path source) {
    return parse(json, baseDir, source, null);
  }

  /**
   * Parses job file text; relative paths resolve against {@code baseDir}.
   *
   * @param source the file name for messages, or null
   */
  public static JobConfig parse(
      String json, Path baseDir, @Nullable Path source, @Nullable String defaultName) {
    String where = (source != null ? source.toString() : "job") + ": ";
    JsonNode root;
    try {
      root = JobJson.MAPPER.readTree(json);
    } catch (JsonProcessingException e) {
      JsonLocation at = e.getLocation();
      String position =
          at == null
              ? ""
              : String.format(
                  Locale.ROOT, " at line %d, column %d", at.getLineNr(), at.getColumnNr());
      throw new ConfigurationException(
          where + "not valid JSON" + position + ": " + e.getOriginalMessage(), e);
    }
    if (root == null || root.isMissingNode()) {
      throw new ConfigurationException(
          where + "empty file; a job file is a JSON object with \"version\": " + VERSION);
    }
    if (!root.isObject()) {
      throw new ConfigurationException(
          where
              + "a job file is a JSON object with \"version\": "
              + VERSION
              + " (got "
              + JobJson.kind(root)
              + ")");
    }
    // The version comes first: a newer file's keys would only confuse the unknown-key check.
    JsonNode v = root.get("version");
    if (v == null) {
      throw new ConfigurationException(
          where + "missing \"version\": add \"version\": " + VERSION + " at the top level");
    }
    if (!v.isInt()) {
      throw new ConfigurationException(
          where + "version: must be the integer " + VERSION + " (got " + v + ")");
    }
    if (v.intValue() != VERSION) {
      throw new ConfigurationException(
          where
              + "unsupported job file version "
              + v.intValue()
              + " (this Sluice reads version "
              + VERSION
              + ")");
    }
    JobConfig c;
    try {
      c =
          JobJson.MAPPER
              .readerFor(JobConfig.class)
              .withAttribute(JobJson.BASE_DIR, baseDir)
              .readValue(root);
    } catch (JsonMappingException e) {
      throw new ConfigurationException(where + message(e, root), e);
    } catch (IOException e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
    try {
      for (String section : List.of("input", "output", "engine", "errors", "state", "http")) {
        if (root.has(section) && root.get(section).isNull()) {
          throw new BadValue(section + ": must be an object (got null)");
        }
      }
      c.input.resolve(baseDir, where);
      c.state.check();
      c.http.options("http."); // reads the header file now: a missing one fails before the run
      if (c.hashKeyFile != null) {
        try {
          c.hashKey(c.hashKeyFile);
        } catch (ConfigurationException e) {
          throw new BadValue("hashKeyFile: " + e.getMessage());
        }
      }
    } catch (BadValue e) {
      throw new ConfigurationException(where + e.getMessage(), e);
    }
    c.source(source, defaultName);
    return c;
  }

  /** "engine.readers: must be ...", "unknown key 'input.path' (known in input: ...)". */
  private static String message(JsonMappingException e, JsonNode root) {
    StringBuilder path = new StringBuilder();
    JsonNode at = root;
    Class<?> owner = JobConfig.class;
    Class<?> parentOwner = JobConfig.class;
    List<JsonMappingException.Reference> refs = e.getPath();
    for (JsonMappingException.Reference r : refs) {
      if (r.getFieldName() != null) {
        if (path.length() > 0) {
          path.append('.');
        }
        path.append(r.getFieldName());
        at = at == null ? null : at.get(r.getFieldName());
        parentOwner = owner;
        owner = fieldType(owner, r.getFieldName());
      } else if (r.getIndex() >= 0) {
        path.append('[').append(r.getIndex()).append(']');
        at = at == null ? null : at.get(r.getIndex());
      }
    }
    if (e instanceof UnrecognizedPropertyException) {
      String parent = path.lastIndexOf(".") > 0 ? path.substring(0, path.lastIndexOf(".")) : "";
      return "unknown key '"
          + path
          + "' (known"
          + (parent.isEmpty() ? "" : " in " + parent)
          + ": "
          + String.join(", ", keysOf(parentOwner))
          + ")";
    }
    String problem = String.valueOf(e.getOriginalMessage());
    if (e instanceof JobJson.Problem) {
      if (problem.startsWith("unknown key ")) {
        return problem;
      }
      if (problem.startsWith("[") || path.length() == 0) {
        return path + problem;
      }
      return path + ": " + problem;
    }
    // A shape Jackson itself refused: an object where a section is, say.
    String got = at == null ? "" : " (got " + JobJson.kind(at) + ")";
    if (owner != null && Section.class.isAssignableFrom(owner) || owner == JobConfig.class) {
      return path + ": must be an object" + got;
    }
    return path + ": " + problem;
  }

  private static @Nullable Class<?> fieldType(@Nullable Class<?> owner, String key) {
    if (owner == null) {
      return null;
    }
    for (Field f : owner.getDeclaredFields()) {
      com.fasterxml.jackson.annotation.JsonProperty p =
          f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      if (p != null && p.value().equals(key)) {
        return f.getType();
      }
    }
    return null;
  }

  /** The keys an object of {@code type} binds, in declaration order. */
  static List<String> keysOf(@Nullable Class<?> type) {
    List<String> out = new ArrayList<>();
    if (type == null) {
      return out;
    }
    for (Field f : type.getDeclaredFields()) {
      com.fasterxml.jackson.annotation.JsonProperty p =
          f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      if (p != null) {
        out.add(p.value());
      }
    }
    return out;
  }

  /**
   * Every setting a job file can hold, as dotted paths such as {@code engine.maxInFlight} or {@code
   * steps[].filter}; derived from the sections' bound fields, so it is the schema the reader
   * enforces.
   */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (Field f : JobConfig.class.getDeclaredFields()) {
      com.fasterxml.jackson.annotation.JsonProperty p =
          f.getAnnotation(com.fasterxml.jackson.annotation.JsonProperty.class);
      if (p == null) {
        continue;
      }
      if (Section.class.isAssignableFrom(f.getType())) {
        for (String k : keysOf(f.getType())) {
          out.add(p.value() + "." + k);
        }
      } else if (f.getName().equals("steps")) {
        for (String k : StepCatalog.keys()) {
          out.add("steps[]." + k);
        }
      } else {
        out.add(p.value());
      }
    }
    return List.copyOf(out);
  }

  /**
   * A job file's {@code steps}: an array of one-key objects, each a step of {@link StepCatalog}.
   */
  static final class StepList extends JsonDeserializer<List<Step>> {
    @Override
    public List<Step> deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = ctxt.readTree(p);
      try {
        return steps(n);
      } catch (BadValue e) {
        throw new JobJson.Problem(p, String.valueOf(e.getMessage()));
      }
    }

    private static List<Step> steps(JsonNode n) {
      if (!n.isArray()) {
        throw new BadValue("must be an array of step objects (got " + JobJson.kind(n) + ")");
      }
      List<Step> out = new ArrayList<>();
      for (int i = 0; i < n.size(); i++) {
        JsonNode s = n.get(i);
        String at = "[" + i + "]";
        if (!s.isObject() || s.size() != 1) {
          throw new BadValue(
              at
                  + ": must be an object with exactly one key, the step, e.g. {\"filter\": \"amount"
                  + " > 100\"} (got "
                  + (s.isObject() ? s.size() + " keys" : JobJson.kind(s))
                  + ")");
        }
        Map.Entry<String, JsonNode> e = s.properties().iterator().next();
        StepCatalog kind = StepCatalog.byKey(e.getKey());
        if (kind == null) {
          throw new BadValue(
              at
                  + ": unknown step '"
                  + e.getKey()
                  + "' (known: "
                  + String.join(", ", StepCatalog.keys())
                  + ")");
        }
        try {
          out.addAll(kind.fromJson(e.getValue(), "steps" + at + "." + e.getKey()));
        } catch (BadValue b) {
          // fromJson names the whole path; drop "steps" so the reader's prefix is not doubled.
          String m = String.valueOf(b.getMessage());
          throw new BadValue(m.startsWith("steps") ? m.substring("steps".length()) : m);
        }
      }
      return out;
    }
  }
}
