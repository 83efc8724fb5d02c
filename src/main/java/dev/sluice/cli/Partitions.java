package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.Columns;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Row;
import dev.sluice.api.RunPlan;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.io.Formats;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code --partition-by COLUMN}: after a run has written one part per input (kept, with its
 * manifest, so resume works per input), splits the parts' records by the column's value into
 * {@code DIR/COLUMN=VALUE/part.<ext>}, in listing order then input order, formatting them with the
 * run's own output format. At most {@link #MAX_OPEN} partition files are open at once (the least
 * recently used is closed and reopened for appending later); every partition file is a temporary
 * file until all are written, then each is forced and renamed into place.
 *
 * <p>Not thread-safe: used once by the command's thread.
 */
final class Partitions {
  static final int MAX_OPEN = 64;

  private final Path root;
  private final String column;
  private final Format format;
  private final RecordFormatter formatter;
  private final Charset charset;
  private final Map<String, Path> temps = new LinkedHashMap<>();
  private final LinkedHashMap<String, OutputStream> open = new LinkedHashMap<>(16, 0.75f, true);
  private final StringBuilder text = new StringBuilder();
  private final String runTag = Long.toHexString(System.nanoTime());

  Partitions(Path root, String column, Format format) {
    this.root = root;
    this.column = column;
    this.format = format;
    this.formatter = Formats.output(format).newFormatter();
    this.charset = format.charset();
  }

  /** Splits the parts of {@code spec}'s run (under {@code spec.output()}) into partitions. */
  int write(PipelineSpec spec) throws IOException {
    RunPlan plan = Sluice.plan(spec.toBuilder().stateDir(null).overwrite(true).build());
    Format asInput = format.toBuilder().gzip(false).build();
    try {
      for (RunPlan.Entry e : plan.files()) {
        if (Files.exists(e.output())) {
          split(e.output(), asInput);
        }
      }
      for (OutputStream o : open.values()) {
        o.close();
      }
      open.clear();
      for (Map.Entry<String, Path> t : temps.entrySet()) {
        try (FileChannel ch = FileChannel.open(t.getValue(), StandardOpenOption.WRITE)) {
          ch.force(true);
        }
      }
      for (Map.Entry<String, Path> t : temps.entrySet()) {
        Files.move(t.getValue(), target(t.getKey()), StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      }
      return temps.size();
    } finally {
      for (OutputStream o : open.values()) {
        o.close();
      }
      for (Path p : temps.values()) {
        Files.deleteIfExists(p);
      }
    }
  }

  private void split(Path part, Format asInput) throws IOException {
    InputFile f = new InputFile(0, part, part.getFileName().toString(), Files.size(part));
    try (RecordReader r = Formats.input(asInput).open(Split.whole(f))) {
      while (r.next()) {
        Columns c = r.columns();
        int i = c.indexOf(column);
        if (i < 0) {
          throw new ConfigurationException(
              "--partition-by " + column + ": the output has no such column (columns: " + String.join(", ", c.names()) + ")");
        }
        Row row = Row.wrap(c, r.values());
        String value = row.get(i);
        OutputStream o = stream(value, c);
        text.setLength(0);
        formatter.record(row, text);
        o.write(text.toString().getBytes(charset));
      }
    }
  }

  private OutputStream stream(String value, Columns c) throws IOException {
    OutputStream o = open.get(value);
    if (o != null) {
      return o;
    }
    if (open.size() >= MAX_OPEN) {
      var eldest = open.entrySet().iterator().next();
      eldest.getValue().close(); // bounded open files: reopened for appending when needed again
      open.remove(eldest.getKey());
    }
    Path temp = temps.get(value);
    if (temp == null) {
      Path target = target(value);
      Files.createDirectories(target.getParent());
      temp = target.resolveSibling("." + target.getFileName() + "." + runTag + ".sluice-tmp");
      temps.put(value, temp);
      o = Files.newOutputStream(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
      text.setLength(0);
      formatter.header(c, text);
      o.write(text.toString().getBytes(charset));
    } else {
      o = Files.newOutputStream(temp, StandardOpenOption.APPEND);
    }
    o = new java.io.BufferedOutputStream(o, 64 * 1024);
    open.put(value, o);
    return o;
  }

  /** {@code root/COLUMN=VALUE/part.ext}, with the value made safe as one path element. */
  private Path target(String value) {
    String safe = value.isEmpty() ? "__empty__" : value.replaceAll("[/\\\\\\u0000]", "_");
    if (safe.equals(".") || safe.equals("..")) {
      safe = "_" + safe;
    }
    return root.resolve(column + "=" + safe).resolve("part." + format.kind().extension());
  }
}
