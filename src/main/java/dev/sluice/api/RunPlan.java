package dev.sluice.api;

import java.net.URI;
import java.nio.file.Path;
import java.util.List;
import org.jspecify.annotations.Nullable;

/**
 * What a run would do, without doing it ({@code --dry-run}): each input file found, whether it
 * would be processed or skipped (the manifest shows an earlier run finished it), and where its
 * output would go.
 *
 * <p>Immutable and thread-safe.
 *
 * @param files every input file found, in processing order
 * @param warnings what the listing skipped and why (symbolic link loops, links leaving the input)
 * @since 0.1
 */
public record RunPlan(List<Entry> files, List<String> warnings) {
  /** Copies. */
  public RunPlan {
    files = List.copyOf(files);
    warnings = List.copyOf(warnings);
  }

  /**
   * One input file in a plan.
   *
   * @param relativeName the input's relative name
   * @param input where it is read from; for a URL, a label equal to {@code relativeName}
   * @param output where its output would be written
   * @param process true if the run would process it, false if it would skip it
   * @param reason why it would be skipped, or empty
   * @param url the URL it is fetched from, or null for a file (since 0.2)
   */
  public record Entry(
      String relativeName,
      Path input,
      Path output,
      boolean process,
      String reason,
      @Nullable URI url) {
    /** A file read from {@code input}. */
    public Entry(String relativeName, Path input, Path output, boolean process, String reason) {
      this(relativeName, input, output, process, reason, null);
    }
  }

  /** The files the run would process. */
  public long toProcess() {
    return files.stream().filter(Entry::process).count();
  }

  /** The files the run would skip. */
  public long toSkip() {
    return files.size() - toProcess();
  }
}
