package dev.sluice.internal.config;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineSpec;
import dev.sluice.internal.fs.ObjectStores;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * How job files bind onto the sections: the mapper and the deserializers of each kind of value.
 * Every deserializer reads the JSON value as a tree and either returns the value or throws a {@link
 * Problem} that says what is wrong with it; Jackson adds the key path on the way out, and {@link
 * JobReader} puts the file and the path in front.
 *
 * <p>JSON types are strict, as the job file format documents: {@code "4"} is not a count and {@code
 * "yes"} not a boolean; sizes, thresholds and counts also take their string forms ({@code "64m"},
 * {@code "0.5%"}, {@code "auto"}).
 *
 * <p>Thread-safe: the mapper is immutable once built; deserializers are stateless.
 */
public final class JobJson {
  /** The deserialization attribute holding the directory relative paths resolve against. */
  static final String BASE_DIR = "sluice.baseDir";

  static final ObjectMapper MAPPER = mapper();

  private JobJson() {}

  private static ObjectMapper mapper() {
    SimpleModule m = new SimpleModule("sluice-job");
    m.addDeserializer(String.class, new Strict<>("a string", JobJson::string));
    m.addDeserializer(Boolean.class, new Strict<>("true or false", JobJson::bool));
    m.addDeserializer(Path.class, new PathValue());
    m.addDeserializer(Duration.class, new DurationValue());
    m.addDeserializer(ErrorThreshold.class, new ThresholdValue());
    m.addDeserializer(AutoCount.class, new AutoCountValue());
    m.addDeserializer(Charset.class, new Strict<>("a string", n -> Values.charset(string(n))));
    m.addDeserializer(ErrorPolicy.class, new Choice<>(ErrorPolicy.class));
    m.addDeserializer(PipelineSpec.Identity.class, new Choice<>(PipelineSpec.Identity.class));
    m.addDeserializer(Format.Parser.class, new Choice<>(Format.Parser.class));
    m.addDeserializer(Format.BlankLines.class, new Choice<>(Format.BlankLines.class));
    m.addDeserializer(Format.MalformedInput.class, new Choice<>(Format.MalformedInput.class));
    m.addDeserializer(ColumnMatch.class, new Choice<>(ColumnMatch.class));
    m.addDeserializer(Format.JsonTypes.class, new Choice<>(Format.JsonTypes.class));
    m.addDeserializer(InputAction.class, new ActionValue());
    return JsonMapper.builder()
        .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
        .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
        .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
        .disable(MapperFeature.ALLOW_COERCION_OF_SCALARS)
        // Only fields that say which key they bind: a section's command-line-only fields never
        // become job file keys, nor do its methods.
        .disable(MapperFeature.AUTO_DETECT_FIELDS)
        .disable(MapperFeature.AUTO_DETECT_GETTERS)
        .disable(MapperFeature.AUTO_DETECT_IS_GETTERS)
        .disable(MapperFeature.AUTO_DETECT_SETTERS)
        .disable(MapperFeature.AUTO_DETECT_CREATORS)
        .enable(MapperFeature.CAN_OVERRIDE_ACCESS_MODIFIERS)
        .addModule(m)
        .build();
  }

  /** What is wrong with one value; the path to it is added by Jackson as it propagates. */
  static final class Problem extends JsonMappingException {
    private static final long serialVersionUID = 1L;

    Problem(JsonParser p, String problem) {
      super(p, problem);
    }
  }

  /** A conversion of a JSON value that may fail with a {@link BadValue}. */
  interface Conversion<T> {
    T convert(JsonNode n);
  }

  /**
   * Reads the value as a tree and converts it, turning a {@link BadValue} into a {@link Problem}.
   */
  static class Strict<T> extends JsonDeserializer<T> {
    private final String expected;
    private final Conversion<T> conversion;

    Strict(String expected, Conversion<T> conversion) {
      this.expected = expected;
      this.conversion = conversion;
    }

    @Override
    public T deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = ctxt.readTree(p);
      try {
        return conversion.convert(n);
      } catch (BadValue e) {
        throw new Problem(p, String.valueOf(e.getMessage()));
      } catch (WrongType e) {
        throw new Problem(p, "must be " + expected + " (got " + kind(n) + ")");
      }
    }

    @Override
    public T getNullValue(DeserializationContext ctxt) throws JsonMappingException {
      throw new Problem(ctxt.getParser(), "must be " + expected + " (got null)");
    }
  }

  /** The JSON value has the wrong type for the key; the deserializer says what it expected. */
  static final class WrongType extends RuntimeException {
    private static final long serialVersionUID = 1L;

    WrongType() {
      super(null, null, false, false);
    }
  }

  static String string(JsonNode n) {
    if (!n.isTextual()) {
      throw new WrongType();
    }
    return n.textValue();
  }

  static Boolean bool(JsonNode n) {
    if (!n.isBoolean()) {
      throw new WrongType();
    }
    return n.booleanValue();
  }

  /** A JSON integer or a size string such as {@code "64m"}: the text a size parses from. */
  static String sizeText(JsonNode n) {
    if (n.isIntegralNumber() && n.canConvertToLong()) {
      return n.asText();
    }
    return string(n);
  }

  /** An integer of at least 1 ({@code engine.writers}). */
  public static final class PositiveInt extends Strict<Integer> {
    public PositiveInt() {
      super(
          "an integer >= 1",
          n -> {
            if (!n.isInt() || n.intValue() < 1) {
              throw new BadValue("must be an integer >= 1 (got " + n + ")");
            }
            return n.intValue();
          });
    }
  }

  /** An integer of at least 0 ({@code http.retries}). */
  public static final class NonNegativeInt extends Strict<Integer> {
    public NonNegativeInt() {
      super(
          "an integer >= 0",
          n -> {
            if (!n.isInt() || n.intValue() < 0) {
              throw new BadValue("must be an integer >= 0 (got " + n + ")");
            }
            return n.intValue();
          });
    }
  }

  /** A size of at least one byte: a JSON integer or a string such as {@code "64m"}. */
  public static final class Size extends Strict<Long> {
    public Size() {
      super("a number or a size such as \"64m\"", n -> Values.size(sizeText(n)));
    }
  }

  /** A size below 2g ({@code engine.batchBytes}, {@code input.maxRecordSize}). */
  public static final class IntSize extends Strict<Integer> {
    public IntSize() {
      super("a number or a size such as \"64m\"", n -> Values.intSize(sizeText(n)));
    }
  }

  /** A size where 0 is allowed ({@code input.splitSize}: 0 reads every file whole). */
  public static final class SizeOrZero extends Strict<Long> {
    public SizeOrZero() {
      super("a number or a size such as \"64m\"", n -> Values.sizeOrZero(sizeText(n)));
    }
  }

  /** One character ({@code input.quote}). */
  public static final class OneChar extends Strict<Character> {
    public OneChar() {
      super("a string", n -> Values.oneChar(string(n)));
    }
  }

  /** A delimiter: one character, or tab as {@code "\t"}, {@code "\\t"} or {@code "tab"}. */
  public static final class Delimiter extends Strict<Character> {
    public Delimiter() {
      super("a string", n -> Values.delimiter(string(n)));
    }
  }

  /** A non-empty array of strings ({@code input.columns}, {@code input.paths}). */
  public static final class NonEmptyStrings extends Strict<List<String>> {
    public NonEmptyStrings() {
      super(
          "an array of strings",
          n -> {
            if (!n.isArray()) {
              throw new WrongType();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
              JsonNode e = n.get(i);
              if (!e.isTextual()) {
                throw new BadValue("[" + i + "]: must be a string (got " + kind(e) + ")");
              }
              out.add(e.textValue());
            }
            if (out.isEmpty()) {
              throw new BadValue("is empty: give at least one entry, or leave the key out");
            }
            return out;
          });
    }
  }

  /** An array of strings, possibly empty ({@code http.headers}). */
  public static final class Strings extends Strict<List<String>> {
    public Strings() {
      super(
          "an array of strings",
          n -> {
            if (!n.isArray()) {
              throw new WrongType();
            }
            List<String> out = new ArrayList<>();
            for (int i = 0; i < n.size(); i++) {
              JsonNode e = n.get(i);
              if (!e.isTextual()) {
                throw new BadValue("[" + i + "]: must be a string (got " + kind(e) + ")");
              }
              out.add(e.textValue());
            }
            return out;
          });
    }
  }

  /** A duration string of zero or more ({@code state.waitLock}). */
  static final class DurationValue extends Strict<Duration> {
    DurationValue() {
      super("a duration such as \"30s\"", n -> Values.duration(string(n)));
    }
  }

  /** A positive duration; zero says what leaving the key out means. */
  abstract static class Positive extends Strict<Duration> {
    Positive(String leftOut) {
      super(
          "a duration such as \"30s\"",
          n -> {
            Duration d = Values.duration(string(n));
            if (d.isZero()) {
              throw new BadValue("must be positive; leave it out for " + leftOut);
            }
            return d;
          });
    }
  }

  /** {@code state.timeout}. */
  public static final class RunTimeout extends Positive {
    public RunTimeout() {
      super("no timeout");
    }
  }

  /** {@code http.timeout}. */
  public static final class RequestTimeout extends Positive {
    public RequestTimeout() {
      super("the default (30s)");
    }
  }

  /** {@code http.connectTimeout}. */
  public static final class ConnectTimeout extends Positive {
    public ConnectTimeout() {
      super("the default (10s)");
    }
  }

  static final class ThresholdValue extends Strict<ErrorThreshold> {
    ThresholdValue() {
      super(
          "a count such as 100 or a percentage such as \"0.5%\"",
          n -> Values.threshold(n.isIntegralNumber() ? n.asText() : string(n)));
    }
  }

  static final class AutoCountValue extends Strict<AutoCount> {
    AutoCountValue() {
      super(
          "an integer >= 1 or \"auto\"",
          n -> {
            if (n.isTextual() && n.textValue().strip().equalsIgnoreCase("auto")) {
              return AutoCount.AUTO;
            }
            if (!n.isInt()) {
              throw new BadValue("must be an integer >= 1 or \"auto\" (got " + n + ")");
            }
            if (n.intValue() < 1) {
              throw new BadValue("must be an integer >= 1 (got " + n + ")");
            }
            return AutoCount.of(n.intValue());
          });
    }
  }

  /** An input format: csv, tsv or lines. */
  public static final class InputKind extends Strict<Format.Kind> {
    public InputKind() {
      super("a string", n -> Values.kind(string(n), false));
    }
  }

  /** An output format: csv, tsv, lines or jsonl. */
  public static final class OutputKind extends Strict<Format.Kind> {
    public OutputKind() {
      super("a string", n -> Values.kind(string(n), true));
    }
  }

  /** keep, delete or move:DIR; a relative DIR resolves against the job file's directory. */
  static final class ActionValue extends JsonDeserializer<InputAction> {
    @Override
    public InputAction deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = ctxt.readTree(p);
      if (!n.isTextual()) {
        throw new Problem(p, "must be a string (got " + kind(n) + ")");
      }
      Object base = ctxt.getAttribute(BASE_DIR);
      try {
        InputAction a = Values.action(n.textValue());
        return a.isMove() && base instanceof Path
            ? InputAction.moveTo(((Path) base).resolve(a.directory()).normalize())
            : a;
      } catch (BadValue e) {
        throw new Problem(p, String.valueOf(e.getMessage()));
      }
    }
  }

  /** A path; a relative one resolves against the job file's directory. */
  static final class PathValue extends JsonDeserializer<Path> {
    @Override
    public Path deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      JsonNode n = ctxt.readTree(p);
      if (!n.isTextual()) {
        throw new Problem(p, "must be a string (got " + kind(n) + ")");
      }
      Object base = ctxt.getAttribute(BASE_DIR);
      try {
        return resolve(base instanceof Path ? (Path) base : Path.of(""), n.textValue());
      } catch (BadValue e) {
        throw new Problem(p, String.valueOf(e.getMessage()));
      }
    }
  }

  /** {@code value} as a path, resolved against {@code base} when relative. */
  static Path resolve(Path base, String value) {
    if (value.isBlank()) {
      throw new BadValue("is empty");
    }
    if (ObjectStores.isUri(value)) {
      try {
        return ObjectStores.parse(value); // absolute: the job file's directory plays no part
      } catch (IllegalArgumentException e) {
        throw new BadValue(String.valueOf(e.getMessage()));
      }
    }
    Path p;
    try {
      p = Path.of(value);
    } catch (InvalidPathException e) {
      throw new BadValue("invalid path '" + value + "': " + e.getReason());
    }
    if (p.isAbsolute()) {
      return p;
    }
    Path resolved = base.resolve(p).normalize();
    // "." next to a job file in the working directory normalizes to the empty path.
    return resolved.toString().isEmpty() ? Path.of(".") : resolved;
  }

  /** A named constant in any case; the message lists the names. */
  static final class Choice<E extends Enum<E>> extends Strict<E> {
    Choice(Class<E> type) {
      super("a string", n -> Values.choice(type, string(n)));
    }
  }

  /** How a JSON value is described in messages: "the string \"x\"", "an array". */
  static String kind(JsonNode v) {
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
