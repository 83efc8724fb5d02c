package dev.sluice.api;

import java.util.regex.Pattern;

/**
 * {@link Steps#replace}: {@link java.util.regex.Matcher#replaceAll} on one column. Thread-safe:
 * {@link Pattern} is immutable and a matcher is made per value.
 */
final class ReplaceStep extends ValueStep {
  private static final long serialVersionUID = 1L;

  private final String column;
  private final Pattern pattern; // Serializable: recompiled from its source on deserialization
  private final String replacement;

  ReplaceStep(String column, Pattern pattern, String replacement) {
    super("replace", new String[] {column});
    this.column = column;
    this.pattern = pattern;
    this.replacement = replacement;
  }

  @Override
  String map(String value) {
    return pattern.matcher(value).replaceAll(replacement);
  }

  @Override
  public String describe() {
    return "replace(" + column + ",'" + pattern.pattern() + "','" + replacement + "')";
  }
}
