package dev.sluice.cli;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.RunPlan;
import dev.sluice.internal.fs.AtomicWrite;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The inputs a {@code --merge-output} or {@code --partition-by} join must cover, kept in the parts
 * directory from before the run until the join is committed. A run that moves or deletes its inputs
 * on success ({@code --on-success}) takes them out of the next listing; when it is killed before
 * its join commits, the rerun would join only what is still listed and lose the moved inputs'
 * records from the merged file or the partitions. The rerun joins the union of this journal and its
 * own plan instead, so it finishes the interrupted job as that job would have ended.
 *
 * <p>Written as a temporary file, forced and renamed into place, then the directory forced: a crash
 * leaves the old journal or the new one. Removed once the join is committed; a crash between the
 * commit and the removal only makes the next join cover those parts once more (parts that no longer
 * exist are left out, as failed inputs are).
 *
 * <p>Not thread-safe: used by the command's thread while it holds the {@link JoinLock}.
 */
final class JoinJournal {
  /** The journal's name, in the parts directory. */
  static final String FILE = ".sluice-join.pending";

  private static final ObjectMapper JSON = new ObjectMapper();

  private JoinJournal() {}

  /**
   * Records {@code plan} in {@code partsDir}'s journal, joined with what an interrupted run
   * recorded there, and returns the union: the interrupted run's inputs in its order, then inputs
   * listed now for the first time in the order they are listed.
   */
  static RunPlan begin(Path partsDir, RunPlan plan) throws IOException {
    Path file = partsDir.resolve(FILE);
    List<RunPlan.Entry> previous = read(file);
    if (previous.isEmpty()) {
      write(file, plan.files());
      return plan;
    }
    Map<String, RunPlan.Entry> union = new LinkedHashMap<>();
    for (RunPlan.Entry e : previous) {
      union.put(e.relativeName(), e);
    }
    boolean grew = false;
    for (RunPlan.Entry e : plan.files()) {
      grew |= union.put(e.relativeName(), e) == null;
    }
    List<RunPlan.Entry> all = List.copyOf(union.values());
    if (grew) {
      write(file, all);
    }
    return new RunPlan(all, plan.warnings());
  }

  /** Removes the journal: the join it covered is committed. */
  static void finish(Path partsDir) throws IOException {
    Files.deleteIfExists(partsDir.resolve(FILE));
  }

  private static List<RunPlan.Entry> read(Path file) throws IOException {
    if (!Files.exists(file)) {
      return List.of();
    }
    JsonNode root;
    try {
      root = JSON.readTree(file.toFile());
    } catch (IOException e) {
      throw new ConfigurationException(
          "cannot read "
              + file.toAbsolutePath()
              + " (the inputs an interrupted join must cover): "
              + e.getMessage()
              + "; remove it to join only the inputs listed now");
    }
    List<RunPlan.Entry> out = new ArrayList<>();
    JsonNode parts = root == null ? null : root.get("parts");
    if (parts == null || !parts.isArray()) {
      throw new ConfigurationException(
          "cannot read "
              + file.toAbsolutePath()
              + ": no \"parts\" list; remove it to join only the inputs listed now");
    }
    for (JsonNode p : parts) {
      String name = p.path("name").asText("");
      String output = p.path("output").asText("");
      if (name.isEmpty() || output.isEmpty()) {
        throw new ConfigurationException(
            "cannot read "
                + file.toAbsolutePath()
                + ": a part without name or output; remove it to join only the inputs listed now");
      }
      Path o = Path.of(output);
      out.add(new RunPlan.Entry(name, o, o, false, "joined by an interrupted run"));
    }
    return out;
  }

  private static void write(Path file, List<RunPlan.Entry> entries) throws IOException {
    var root = JSON.createObjectNode();
    root.put("version", 1);
    ArrayNode parts = root.putArray("parts");
    for (RunPlan.Entry e : entries) {
      parts
          .addObject()
          .put("name", e.relativeName())
          .put("output", e.output().toAbsolutePath().toString());
    }
    AtomicWrite.to(file)
        .fixedTemp(FILE + ".sluice-tmp")
        .syncDirectory()
        .write(JSON.writeValueAsBytes(root));
  }
}
