package dev.sluice.internal.config;

import com.fasterxml.jackson.databind.JsonNode;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;

/**
 * The built-in steps as the command line ({@code --select a,b}) and job files ({@code {"select":
 * ["a", "b"]}}) name them: one list, so a step cannot exist in one and not the other. Hash steps
 * are built unkeyed ({@link KeyableHash}) and keyed when the job's hash key is known.
 *
 * <p>Thread-safe: an enum of stateless entries.
 */
public enum StepCatalog {
  FILTER("filter", "--filter", Args.TEXT),
  SELECT("select", "--select", Args.COLUMNS),
  DROP("drop", "--drop", Args.COLUMNS),
  RENAME("rename", "--rename", Args.PAIRS),
  UPPER("upper", "--upper", Args.COLUMNS),
  LOWER("lower", "--lower", Args.COLUMNS),
  TRIM("trim", "--trim", Args.COLUMNS),
  REPLACE("replace", "--replace", Args.OBJECT),
  HASH("hash", "--hash", Args.COLUMNS),
  CLASS("class", "--step", Args.TEXT);

  /** What a step takes: one text, a list of columns, old: new pairs, or named arguments. */
  enum Args {
    TEXT,
    COLUMNS,
    PAIRS,
    OBJECT
  }

  /** The named arguments of {@code replace}, in the order the command line takes them. */
  static final List<String> REPLACE_ARGS = List.of("column", "regex", "replacement");

  private final String key;
  private final String option;
  private final Args args;

  StepCatalog(String key, String option, Args args) {
    this.key = key;
    this.option = option;
    this.args = args;
  }

  /** The step's key in a job file's {@code steps} entries. */
  public String key() {
    return key;
  }

  /** The step's command-line option. */
  public String option() {
    return option;
  }

  /** The entry of a job file key, or null. */
  public static @Nullable StepCatalog byKey(String key) {
    for (StepCatalog s : values()) {
      if (s.key.equals(key)) {
        return s;
      }
    }
    return null;
  }

  /** The entry of a command-line option, or null when it is not a step option. */
  public static @Nullable StepCatalog byOption(String option) {
    for (StepCatalog s : values()) {
      if (s.option.equals(option)) {
        return s;
      }
    }
    return null;
  }

  /** The job file's step keys, in catalog order. */
  public static List<String> keys() {
    List<String> out = new ArrayList<>();
    for (StepCatalog s : values()) {
      out.add(s.key);
    }
    return out;
  }

  /**
   * The steps of one command-line occurrence: {@code values} as given (one value, or three for
   * {@code --replace}); lists are comma-separated, as are several {@code OLD=NEW} renames.
   *
   * @throws BadValue for a malformed rename
   */
  public List<Step> fromOption(List<String> values) {
    switch (args) {
      case TEXT:
        return List.of(build(values.get(0)));
      case COLUMNS:
        return List.of(build(values.get(0).split(",", -1)));
      case PAIRS:
        List<Step> out = new ArrayList<>();
        for (String a : values.get(0).split(",", -1)) {
          int eq = a.indexOf('=');
          if (eq <= 0 || eq == a.length() - 1) {
            throw new BadValue("expects OLD=NEW (got '" + a + "')");
          }
          out.add(Steps.rename(a.substring(0, eq).strip(), a.substring(eq + 1).strip()));
        }
        return out;
      default:
        return List.of(Steps.replace(values.get(0), values.get(1), values.get(2)));
    }
  }

  /**
   * The steps of one job file entry's value (several for a {@code rename} of several columns).
   *
   * @param at the entry's path, {@code steps[0].select}, for messages
   * @throws BadValue with the full path of the value at fault
   */
  List<Step> fromJson(JsonNode v, String at) {
    try {
      switch (args) {
        case TEXT:
          return List.of(build(text(v, at)));
        case COLUMNS:
          if (!v.isArray()) {
            throw new BadValue(at + ": must be an array of strings (got " + JobJson.kind(v) + ")");
          }
          List<String> cols = new ArrayList<>();
          for (int i = 0; i < v.size(); i++) {
            cols.add(text(v.get(i), at + "[" + i + "]"));
          }
          return List.of(build(cols.toArray(new String[0])));
        case PAIRS:
          if (!v.isObject() || v.isEmpty()) {
            throw new BadValue(
                at
                    + ": must be an object of old: new names, e.g. {\"email\": \"contact\"} (got "
                    + JobJson.kind(v)
                    + ")");
          }
          List<Step> out = new ArrayList<>();
          for (Map.Entry<String, JsonNode> r : v.properties()) {
            out.add(Steps.rename(r.getKey(), text(r.getValue(), at + "." + r.getKey())));
          }
          return out;
        default:
          if (!v.isObject()) {
            throw new BadValue(
                at
                    + ": must be an object with column, regex and replacement (got "
                    + JobJson.kind(v)
                    + ")");
          }
          for (Map.Entry<String, JsonNode> e : v.properties()) {
            if (!REPLACE_ARGS.contains(e.getKey())) {
              throw new BadValue(
                  "unknown key '"
                      + at
                      + "."
                      + e.getKey()
                      + "' (known in steps[].replace: "
                      + String.join(", ", REPLACE_ARGS)
                      + ")");
            }
          }
          String[] a = new String[REPLACE_ARGS.size()];
          for (int i = 0; i < a.length; i++) {
            JsonNode n = v.get(REPLACE_ARGS.get(i));
            if (n == null) {
              throw new BadValue(at + "." + REPLACE_ARGS.get(i) + ": is missing");
            }
            a[i] = text(n, at + "." + REPLACE_ARGS.get(i));
          }
          return List.of(Steps.replace(a[0], a[1], a[2]));
      }
    } catch (ConfigurationException e) {
      throw new BadValue(at + ": " + e.getMessage());
    }
  }

  private static String text(JsonNode v, String at) {
    if (!v.isTextual()) {
      throw new BadValue(at + ": must be a string (got " + JobJson.kind(v) + ")");
    }
    return v.textValue();
  }

  private Step build(String... a) {
    switch (this) {
      case FILTER:
        return Steps.filter(a[0]);
      case SELECT:
        return Steps.select(a);
      case DROP:
        return Steps.drop(a);
      case UPPER:
        return Steps.upper(a);
      case LOWER:
        return Steps.lower(a);
      case TRIM:
        return Steps.trim(a);
      case HASH:
        return new KeyableHash(a); // keyed once the job's hash key is known
      case CLASS:
        return CustomSteps.load(a[0]);
      default:
        throw new IllegalStateException(this + " takes " + args + ": " + Arrays.toString(a));
    }
  }
}
