package dev.sluice.cli;

import dev.sluice.Sluice;
import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Row;
import dev.sluice.api.RunPlan;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import dev.sluice.internal.config.ColumnMatch;
import dev.sluice.internal.io.Formats;
import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;
import org.jspecify.annotations.Nullable;

/**
 * The parts a run wrote, one per input in listing order, seen as one output: what {@code
 * --merge-output}, {@code --partition-by} and {@code --output -} join. {@link #of} reads every
 * part's header and settles the joined output's columns by {@link ColumnMatch} before anything is
 * written, so a mismatch fails the command with nothing committed. Columns are matched by name: a
 * part whose header is the output's is copied byte for byte after its header (the common case stays
 * a plain copy); any other part is parsed with the run's own output format and written again with
 * its values under the output's columns.
 *
 * <p>Formats without columns (lines) and JSON Lines, whose records name their own keys, are joined
 * as they are: their parts' bytes one after the other.
 *
 * <p>Not thread-safe: used once by the command's thread.
 */
final class Parts {
  /** One input's part: its input's relative name (for messages), its file, and its columns. */
  record Part(String name, Path path, @Nullable Columns columns) {}

  private final Format format;
  private final List<Part> parts;
  private final @Nullable Columns header;

  private Parts(Format format, List<Part> parts, @Nullable Columns header) {
    this.format = format;
    this.parts = parts;
    this.header = header;
  }

  /**
   * Which parts {@code spec}'s run is to join: its inputs as listed before it runs. Listed before,
   * not after: {@code --on-success move} or {@code delete} takes the inputs away during the run,
   * and a listing afterwards would join none of their parts.
   */
  static RunPlan plan(PipelineSpec spec) {
    return Sluice.plan(spec.toBuilder().stateDir(null).overwrite(true).build());
  }

  /**
   * The parts of {@code plan} (made by {@link #plan} before the run) that exist, in listing order,
   * and the joined output's columns.
   *
   * @param layout the option that asked for the join, for messages ({@code --merge-output})
   * @throws ColumnMismatchException if the parts' columns do not join under {@code match}
   */
  static Parts of(RunPlan plan, PipelineSpec spec, ColumnMatch match, String layout)
      throws IOException {
    Format format = spec.outputFormat();
    List<Part> parts = new ArrayList<>();
    boolean columnar = hasColumns(format);
    for (RunPlan.Entry e : plan.files()) {
      if (!Files.exists(e.output())) {
        continue; // a file that failed under --on-error skip
      }
      parts.add(
          new Part(e.relativeName(), e.output(), columnar ? columnsOf(e.output(), format) : null));
    }
    return new Parts(format, List.copyOf(parts), columnar ? join(parts, match, layout) : null);
  }

  /** Whether the format writes a header that names the columns (CSV and TSV with a header). */
  static boolean hasColumns(Format format) {
    return (format.kind() == Format.Kind.CSV || format.kind() == Format.Kind.TSV)
        && format.header();
  }

  /** The parts that exist, in listing order. */
  List<Part> parts() {
    return parts;
  }

  /** The joined output's columns; null for formats without a header, or when no part has one. */
  @Nullable Columns header() {
    return header;
  }

  /**
   * The output's columns under {@code match}, from the parts' headers (an empty part has none and
   * joins anything).
   */
  private static @Nullable Columns join(List<Part> parts, ColumnMatch match, String layout) {
    Part first = null;
    Set<String> union = new LinkedHashSet<>();
    for (Part p : parts) {
      Columns c = p.columns();
      if (c == null) {
        continue;
      }
      if (first == null) {
        first = p;
        union.addAll(c.names());
        continue;
      }
      // The first part kept is one with columns.
      Columns want = java.util.Objects.requireNonNull(first.columns());
      List<String> missing = new ArrayList<>(want.names());
      missing.removeAll(c.names());
      List<String> extra = new ArrayList<>(c.names());
      extra.removeAll(want.names());
      boolean fails =
          match == ColumnMatch.STRICT && (!missing.isEmpty() || !extra.isEmpty())
              || match == ColumnMatch.FILL && !extra.isEmpty();
      if (fails) {
        throw new ColumnMismatchException(mismatch(first, p, missing, extra, match, layout));
      }
      union.addAll(c.names());
    }
    if (first == null) {
      return null;
    }
    return match == ColumnMatch.UNION ? Columns.of(List.copyOf(union)) : first.columns();
  }

  private static String mismatch(
      Part first,
      Part p,
      List<String> missing,
      List<String> extra,
      ColumnMatch match,
      String layout) {
    StringBuilder sb = new StringBuilder();
    sb.append("the columns of ")
        .append(p.name())
        .append(" differ from those of ")
        .append(first.name())
        .append(" (")
        .append(String.join(", ", java.util.Objects.requireNonNull(first.columns()).names()))
        .append("):");
    if (!missing.isEmpty()) {
      sb.append(" missing ").append(String.join(", ", missing));
      if (!extra.isEmpty()) {
        sb.append(";");
      }
    }
    if (!extra.isEmpty()) {
      sb.append(" extra ").append(String.join(", ", extra));
    }
    sb.append(". ").append(layout).append(" with --column-match ").append(match.label());
    sb.append(
        match == ColumnMatch.STRICT
            ? " needs every file to have the same columns (in any order): use --column-match fill"
                + " (missing cells empty) or union (every column), or --select the columns first;"
            : " takes only the first file's columns: use --column-match union for every column, or"
                + " --drop the extra ones;");
    sb.append(" nothing was written, and the processed parts are kept for the rerun");
    return sb.toString();
  }

  /**
   * Writes the joined output to {@code out} (gzipped when the format is; {@code out} is flushed,
   * not closed): the header once, then every part's records in order, under the output's columns.
   */
  void copyTo(OutputStream out) throws IOException {
    GZIPOutputStream zip = format.gzip() ? new GZIPOutputStream(out, 64 * 1024) : null;
    OutputStream o = zip != null ? zip : out;
    if (header == null) {
      for (Part p : parts) {
        try (InputStream in = open(p.path())) {
          in.transferTo(o);
        }
      }
    } else {
      writeColumnar(o);
    }
    if (zip != null) {
      zip.finish();
    }
    out.flush();
  }

  private void writeColumnar(OutputStream o) throws IOException {
    // Columnar outputs always have a header: it was matched before anything is written.
    Columns h = java.util.Objects.requireNonNull(header, "header");
    Charset cs = format.charset();
    RecordFormatter formatter = Formats.output(format).newFormatter();
    StringBuilder text = new StringBuilder();
    formatter.header(h, text);
    byte[] headerBytes = text.toString().getBytes(cs);
    // Byte copies only where a header's bytes stand alone (UTF-16 and the like put a mark first).
    boolean copyable = asciiCompatible(cs);
    // Never closed: flushing hands everything to o, which the caller owns.
    Writer w = new OutputStreamWriter(o, cs);
    w.write(text.toString());
    for (Part p : parts) {
      if (p.columns() == null) {
        continue;
      }
      if (copyable && p.columns().equals(h)) {
        w.flush();
        if (copyAfterHeader(p.path(), headerBytes, o)) {
          continue;
        }
      }
      forEachRecord(
          p,
          row -> {
            text.setLength(0);
            formatter.record(row, text);
            w.write(text.toString());
          });
    }
    w.flush();
  }

  /** What {@link #forEachRecord} hands each record to. */
  @FunctionalInterface
  interface RowSink {
    void accept(Row row) throws IOException;
  }

  /**
   * Reads {@code p}'s records and hands each on with the output's columns (missing cells empty).
   */
  void forEachRecord(Part p, RowSink sink) throws IOException {
    Columns h = header;
    if (h == null || p.columns() == null) {
      throw new IllegalStateException("no columns to join in " + p.name());
    }
    int[] from = new int[h.size()];
    for (int i = 0; i < from.length; i++) {
      from[i] = p.columns().indexOf(h.name(i));
    }
    boolean same = p.columns().equals(h);
    InputFile f =
        new InputFile(0, p.path(), p.path().getFileName().toString(), Files.size(p.path()));
    try (RecordReader r = Formats.input(asInput(format)).open(Split.whole(f))) {
      while (r.next()) {
        String[] v = r.values();
        if (same) {
          sink.accept(Row.wrap(h, v));
          continue;
        }
        String[] mapped = new String[from.length];
        for (int i = 0; i < from.length; i++) {
          mapped[i] = from[i] < 0 ? "" : v[from[i]];
        }
        sink.accept(Row.wrap(h, mapped));
      }
    }
  }

  /**
   * Copies {@code part} after its header when its first bytes are {@code headerBytes} (which they
   * are for a part the run's formatter wrote with the output's columns); false, with nothing
   * written, when they are not.
   */
  private static boolean copyAfterHeader(Path part, byte[] headerBytes, OutputStream o)
      throws IOException {
    try (InputStream in = open(part)) {
      byte[] head = in.readNBytes(headerBytes.length);
      if (!Arrays.equals(head, headerBytes)) {
        return false;
      }
      in.transferTo(o);
      return true;
    }
  }

  /** The part's bytes, decompressed when gzipped (the engine gzips parts under --gzip-output). */
  private static InputStream open(Path part) throws IOException {
    InputStream in = new BufferedInputStream(Files.newInputStream(part), 64 * 1024);
    in.mark(2);
    int b1 = in.read();
    int b2 = in.read();
    in.reset();
    return b1 == 0x1f && b2 == 0x8b ? new GZIPInputStream(in, 64 * 1024) : in;
  }

  /** The columns of a part, from its header; null for an empty part. */
  private static @Nullable Columns columnsOf(Path part, Format format) throws IOException {
    InputFile f = new InputFile(0, part, part.getFileName().toString(), Files.size(part));
    try (RecordReader r = Formats.input(asInput(format)).open(Split.whole(f))) {
      return r.columns();
    }
  }

  /**
   * The output format as an input format, to read parts back: gzip is detected from the bytes, and
   * a record the run wrote is never too large to read again.
   */
  static Format asInput(Format output) {
    return output.toBuilder()
        .gzip(false)
        .maxRecordSize(Math.max(output.maxRecordSize(), Integer.MAX_VALUE / 2))
        .malformedInput(Format.MalformedInput.REPORT)
        .parser(Format.Parser.COMMONS)
        .build();
  }

  private static boolean asciiCompatible(Charset cs) {
    byte[] b = "a,\"\t\r\n".getBytes(cs);
    return Arrays.equals(b, "a,\"\t\r\n".getBytes(StandardCharsets.US_ASCII));
  }
}
