package dev.sluice.cli;

import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.Formats;
import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code --partition-by COLUMN}: after a run has written one part per input (kept, with its
 * manifest, so resume works per input), splits the parts' records by the column's value into {@code
 * DIR/COLUMN=VALUE/part.<ext>} (gzipped, {@code .gz}, under {@code --gzip-output}), in listing
 * order then input order, under the columns {@link Parts} settled, formatted with the run's own
 * output format. Names come from {@link PartitionNames}: safe, and distinct for distinct values.
 *
 * <p>Every partition is written to a temporary file {@code DIR/.partition-N.<tag>.sluice-tmp} (at
 * most {@link #MAX_OPEN} open at once: the least recently used is closed and appended to later);
 * when all are written, each is forced and renamed into place. Temporary files a killed command
 * left (these, and the {@code .part.*.sluice-tmp} files of older versions) are removed before a new
 * join starts; the caller holds the {@link JoinLock}. Finally, partition files of this column that
 * the run did not write (values that no longer occur) are removed, so the tree is exactly the
 * current inputs' partitions.
 *
 * <p>Not thread-safe: used once by the command's thread.
 */
final class Partitions {
  private static final Logger log = LoggerFactory.getLogger(Partitions.class);
  static final int MAX_OPEN = 64;
  private static final String TEMP_SUFFIX = ".sluice-tmp";

  private final Path root;
  private final String column;
  private final Format format;
  private final RecordFormatter formatter;
  private final String fileName;
  private final Map<String, Integer> index = new HashMap<>();
  private final List<String> values = new ArrayList<>();
  private final List<Path> temps = new ArrayList<>();
  private final LinkedHashMap<Integer, Writer> open = new LinkedHashMap<>(16, 0.75f, true);
  private final StringBuilder text = new StringBuilder();
  private final String runTag = Long.toHexString(System.nanoTime());

  /**
   * {@code headerColumn} is the column's name as the parts' header rows spell it: under {@code
   * --escape-formulas} a formula-like name is written escaped, so the caller passes it escaped.
   */
  Partitions(Path root, String headerColumn, Format format) {
    this.root = root;
    this.column = headerColumn;
    this.format = format;
    this.formatter = Formats.output(format).newFormatter();
    this.fileName = "part." + format.kind().extension() + (format.gzip() ? ".gz" : "");
  }

  /**
   * Removes the temporary files a killed join left in {@code root} and its partition directories
   * (never under the parts directory, which is the engine's). Returns how many.
   */
  static int removeOrphans(Path root, Path parts) throws IOException {
    if (!Files.isDirectory(root)) {
      return 0;
    }
    int n = 0;
    try (DirectoryStream<Path> top = Files.newDirectoryStream(root)) {
      for (Path p : top) {
        if (p.equals(parts)) {
          continue;
        }
        if (Files.isDirectory(p, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          try (DirectoryStream<Path> in = Files.newDirectoryStream(p, "*" + TEMP_SUFFIX)) {
            for (Path t : in) {
              n += Files.deleteIfExists(t) ? 1 : 0;
            }
          }
        } else if (p.getFileName().toString().endsWith(TEMP_SUFFIX)) {
          n += Files.deleteIfExists(p) ? 1 : 0;
        }
      }
    }
    return n;
  }

  /** Splits {@code parts} into partitions under the root; returns how many partition files. */
  int write(Parts parts) throws IOException {
    Columns header = parts.header();
    if (header != null && header.indexOf(column) < 0) {
      throw new ConfigurationException(
          "--partition-by "
              + column
              + ": the output has no such column (columns: "
              + String.join(", ", header.names())
              + ")");
    }
    try {
      if (header != null) {
        int at = header.indexOf(column);
        for (Parts.Part p : parts.parts()) {
          if (p.columns() != null) {
            parts.forEachRecord(p, row -> append(row.get(at), row, header));
          }
        }
      }
      for (Writer w : open.values()) {
        w.close();
      }
      open.clear();
      for (Path t : temps) {
        try (FileChannel ch = FileChannel.open(t, StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      List<String> names = PartitionNames.names(values);
      String prefix = PartitionNames.column(column) + "=";
      Set<Path> written = new HashSet<>();
      for (int i = 0; i < temps.size(); i++) {
        Path target = root.resolve(prefix + names.get(i)).resolve(fileName);
        Files.createDirectories(target.getParent());
        Files.move(
            temps.get(i),
            target,
            StandardCopyOption.ATOMIC_MOVE,
            StandardCopyOption.REPLACE_EXISTING);
        written.add(target);
        JoinCrashPoints.at(JoinCrashPoints.PARTITION);
      }
      removeStale(prefix, written);
      return temps.size();
    } finally {
      IOException first = null;
      for (Writer w : open.values()) {
        try {
          w.close();
        } catch (IOException e) {
          first = first == null ? e : first;
        }
      }
      for (Path p : temps) {
        Files.deleteIfExists(p); // those not renamed: the command failed
      }
      if (first != null) {
        throw first;
      }
    }
  }

  private void append(String value, Row row, Columns header) throws IOException {
    Writer w = writer(value, header);
    text.setLength(0);
    formatter.record(row, text);
    w.write(text.toString());
  }

  private Writer writer(String value, Columns header) throws IOException {
    Integer id = index.get(value);
    Writer w = id == null ? null : open.get(id);
    if (w != null) {
      return w;
    }
    if (open.size() >= MAX_OPEN) {
      var eldest = open.entrySet().iterator().next();
      eldest.getValue().close(); // bounded open files: appended to again when needed
      open.remove(eldest.getKey());
    }
    OutputStream o;
    boolean fresh = id == null;
    if (id == null) {
      id = values.size();
      Files.createDirectories(root);
      Path temp = root.resolve(".partition-" + id + "." + runTag + TEMP_SUFFIX);
      o = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      index.put(value, id);
      values.add(value);
      temps.add(temp);
    } else {
      o = Files.newOutputStream(temps.get(id), StandardOpenOption.APPEND);
    }
    // Gzip: a reopened file gets another gzip member, which every gzip reader reads on.
    o = new BufferedOutputStream(format.gzip() ? new GZIPOutputStream(o, 8192) : o, 64 * 1024);
    w = new OutputStreamWriter(o, format.charset());
    if (fresh) {
      text.setLength(0);
      formatter.header(header, text);
      w.write(text.toString());
    }
    open.put(id, w);
    return w;
  }

  /**
   * Removes the partition files of this column that this run did not write: their values no longer
   * occur in the inputs (an input was removed, or a step changed). Their directory goes too when
   * nothing else is left in it.
   */
  private void removeStale(String prefix, Set<Path> written) throws IOException {
    try (DirectoryStream<Path> dirs =
        Files.newDirectoryStream(root, d -> d.getFileName().toString().startsWith(prefix))) {
      for (Path d : dirs) {
        if (!Files.isDirectory(d, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
          continue;
        }
        // Both names: an earlier run may have written the other one (with or without
        // --gzip-output).
        String plain = "part." + format.kind().extension();
        for (Path f : List.of(d.resolve(plain), d.resolve(plain + ".gz"))) {
          if (!written.contains(f)
              && Files.isRegularFile(f, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            Files.delete(f);
            log.info(
                "removed {}: not written by this run (its value no longer occurs, or the format changed)",
                root.relativize(f));
          }
        }
        try (DirectoryStream<Path> rest = Files.newDirectoryStream(d)) {
          if (!rest.iterator().hasNext()) {
            Files.delete(d);
          }
        }
      }
    }
  }
}
