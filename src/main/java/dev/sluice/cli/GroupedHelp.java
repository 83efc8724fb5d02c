package dev.sluice.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Help;
import picocli.CommandLine.IHelpSectionRenderer;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The option list of {@code sluice run} and {@code sluice check}, grouped by section (the mixin an
 * option comes from: input, output, steps, ...), with descriptions wrapped at spaces only, so that
 * a path such as {@code docs/JOB-FILE.md} or a list such as {@code id,name,email} is never cut.
 *
 * <p>Positional parameters keep picocli's own section, above this one. Thread-safe: stateless.
 */
final class GroupedHelp implements IHelpSectionRenderer {
  private static final int WIDTH = 80;
  private static final int DESCRIPTION_COLUMN = 29;

  /** Section headings by mixin field name, in the order they are shown. */
  private static final Map<String, String> HEADINGS = headings();

  private static Map<String, String> headings() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("input", "Input");
    m.put("http", "URL inputs");
    m.put("outputs", "Output");
    m.put("steps", "Steps (applied in the order given)");
    m.put("sizing", "Threads and memory");
    m.put("errors", "Bad input");
    m.put("state", "State: resume, lock, timeout");
    m.put("", "Job, reports and engine");
    m.put("common", "Logging");
    return m;
  }

  /** Installs the grouped option list on {@code cl}'s help. */
  static void install(CommandLine cl) {
    cl.getHelpSectionMap()
        .put(CommandLine.Model.UsageMessageSpec.SECTION_KEY_OPTION_LIST, new GroupedHelp());
  }

  @Override
  public String render(Help help) {
    CommandSpec spec = help.commandSpec();
    Map<String, List<OptionSpec>> groups = new LinkedHashMap<>();
    for (String key : HEADINGS.keySet()) {
      groups.put(key, new ArrayList<>());
    }
    Map<String, String> owner = new LinkedHashMap<>();
    for (Map.Entry<String, CommandSpec> m : spec.mixins().entrySet()) {
      for (OptionSpec o : m.getValue().options()) {
        owner.put(o.longestName(), m.getKey());
      }
    }
    for (OptionSpec o : spec.options()) {
      if (o.hidden()) {
        continue;
      }
      String group = owner.getOrDefault(o.longestName(), "");
      groups
          .computeIfAbsent(HEADINGS.containsKey(group) ? group : "", k -> new ArrayList<>())
          .add(o);
    }
    StringBuilder sb = new StringBuilder();
    for (Map.Entry<String, List<OptionSpec>> g : groups.entrySet()) {
      List<OptionSpec> options = g.getValue();
      if (options.isEmpty()) {
        continue;
      }
      options.sort((a, b) -> Integer.compare(a.order(), b.order()));
      sb.append('\n').append(HEADINGS.getOrDefault(g.getKey(), "Other")).append(":\n");
      for (OptionSpec o : options) {
        row(sb, names(o), String.join(" ", o.description()));
      }
    }
    return sb.toString();
  }

  private static String names(OptionSpec o) {
    String[] names = o.names();
    String shortName = names.length > 1 && names[0].length() == 2 ? names[0] : null;
    StringBuilder sb = new StringBuilder(shortName != null ? "  " + shortName + ", " : "      ");
    sb.append(o.longestName());
    if (o.typeInfo().isBoolean() || o.arity().max() == 0) {
      return sb.toString();
    }
    if (o.arity().max() > 1) {
      return sb.append(' ').append(o.paramLabel()).toString();
    }
    return sb.append('=').append(o.paramLabel()).toString();
  }

  /** {@code left}, then {@code text} wrapped at spaces in the description column. */
  private static void row(StringBuilder sb, String left, String text) {
    sb.append(left);
    int column = left.length();
    if (column > DESCRIPTION_COLUMN - 2) {
      sb.append('\n');
      column = 0;
    }
    List<String> lines =
        wrap(text.replace("%n", " ").replace("%%", "%"), WIDTH - DESCRIPTION_COLUMN);
    for (int i = 0; i < lines.size(); i++) {
      int indent = i == 0 ? DESCRIPTION_COLUMN - column : DESCRIPTION_COLUMN + 2;
      sb.append(" ".repeat(Math.max(1, indent))).append(lines.get(i)).append('\n');
      column = 0;
    }
    if (lines.isEmpty()) {
      sb.append('\n');
    }
  }

  /** Words never cut: a word longer than the width gets a line of its own. */
  static List<String> wrap(String text, int width) {
    List<String> lines = new ArrayList<>();
    StringBuilder line = new StringBuilder();
    for (String word : text.strip().split("\\s+")) {
      if (word.isEmpty()) {
        continue;
      }
      int limit = lines.isEmpty() ? width : width - 2;
      if (line.length() > 0 && line.length() + 1 + word.length() > limit) {
        lines.add(line.toString());
        line.setLength(0);
      }
      if (line.length() > 0) {
        line.append(' ');
      }
      line.append(word);
    }
    if (line.length() > 0) {
      lines.add(line.toString());
    }
    return lines;
  }
}
