package dev.sluice.internal.io;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.ErrorType;
import dev.sluice.api.Format;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.InputFormatProvider;
import dev.sluice.api.spi.RecordException;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.api.spi.Split;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 14: a file is read up to the size it had when it was listed ({@link InputFile#size()}, its
 * identity in the manifest), whatever is appended while it is read: every format and parser, plain
 * and gzip, whole and in splits. A file that shrinks below that size fails, naming both sizes; a
 * last record cut by the listed size of a file that then grew fails the file.
 *
 * <p>Deterministic: the file is listed (an {@link InputFile} with its size) and planned first, then
 * changed, then read.
 */
@Timeout(60)
class GrowingFileTest {
  private static final int RECORDS = 300;

  @TempDir Path dir;

  private static Format format(String kind) {
    switch (kind) {
      case "commons":
        return Format.csv().toBuilder().splitSize(512).build();
      case "fastcsv":
        return Format.csv().toBuilder().parser(Format.Parser.FASTCSV).splitSize(512).build();
      case "lines":
        return Format.lines().toBuilder().splitSize(512).build();
      default:
        throw new AssertionError(kind);
    }
  }

  /** A header (for CSV) and {@code n} records from {@code from}, each ending in a line break. */
  private static String records(String kind, int from, int n, boolean header) {
    StringBuilder sb = new StringBuilder(header && !kind.equals("lines") ? "id,note\n" : "");
    for (int i = from; i < from + n; i++) {
      sb.append(i)
          .append(',')
          .append(i % 5 == 0 ? "\"quoted, " + i + "\"" : "note " + i)
          .append('\n');
    }
    return sb.toString();
  }

  private static InputFile listed(Path f) throws IOException {
    return new InputFile(0, f, f.getFileName().toString(), Files.size(f));
  }

  private static void append(Path f, byte[] bytes) throws IOException {
    Files.write(f, bytes, StandardOpenOption.APPEND);
  }

  /** Reads the splits in order: every record's values joined, or the failure as "E TYPE reason". */
  private static List<String> read(InputFormatProvider p, List<Split> splits, boolean[] grew)
      throws IOException {
    List<String> out = new ArrayList<>();
    for (Split s : splits) {
      RecordReader opened;
      try {
        opened = p.open(s);
      } catch (RecordException e) {
        out.add("E " + e.type() + " " + e.reason() + " recoverable " + e.recoverable());
        return out;
      }
      try (RecordReader r = opened) {
        while (true) {
          try {
            if (!r.next()) {
              break;
            }
          } catch (RecordException e) {
            out.add("E " + e.type() + " " + e.reason() + " recoverable " + e.recoverable());
            if (!e.recoverable()) {
              return out;
            }
            continue;
          }
          out.add(String.join("|", r.values()));
        }
        grew[s.index()] = r.grewWhileRead();
      }
    }
    return out;
  }

  private static List<String> expected(String kind, String text) throws IOException {
    Path tmp = Files.createTempFile("sluice-growing", ".txt");
    try {
      Files.writeString(tmp, text);
      InputFormatProvider p = Formats.input(format(kind).toBuilder().splitSize(0).build());
      return read(p, List.of(Split.whole(listed(tmp))), new boolean[1]);
    } finally {
      Files.delete(tmp);
    }
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
    "commons,plain", "commons,split", "commons,gzip",
    "fastcsv,plain", "fastcsv,split", "fastcsv,gzip",
    "lines,plain", "lines,split", "lines,gzip"
  })
  void shouldReadOnlyTheBytesListedWhenTheFileGrowsWhileItIsRead(String kind, String layout)
      throws IOException {
    String before = records(kind, 1, RECORDS, true);
    String after = records(kind, RECORDS + 1, 50, false);
    boolean gzip = layout.equals("gzip");
    Path f = dir.resolve(gzip ? "in.csv.gz" : "in.csv");
    Files.write(f, gzip ? IoFixtures.gzip(before.getBytes(UTF_8)) : before.getBytes(UTF_8));
    InputFile file = listed(f);
    InputFormatProvider p =
        Formats.input(
            layout.equals("split") ? format(kind) : format(kind).toBuilder().splitSize(0).build());
    List<Split> splits = p.plan(file);
    assertThat(splits.size() > 1).isEqualTo(layout.equals("split"));

    // Appended after listing and planning, before reading: a second gzip member for gzip.
    append(f, gzip ? IoFixtures.gzip(after.getBytes(UTF_8)) : after.getBytes(UTF_8));
    boolean[] grew = new boolean[splits.size()];
    List<String> got = read(p, splits, grew);

    assertThat(got).isEqualTo(expected(kind, before)).hasSize(RECORDS);
    assertThat(grew[splits.size() - 1]).as("the last split saw the growth").isTrue();
  }

  @ParameterizedTest(name = "{0}, {1}")
  @CsvSource({
    "commons,plain", "commons,split", "commons,gzip",
    "fastcsv,plain", "fastcsv,split", "fastcsv,gzip",
    "lines,plain", "lines,split", "lines,gzip"
  })
  void aFileThatShrinksBelowItsListedSizeWhileItIsReadFailsNamingBothSizes(
      String kind, String layout) throws IOException {
    String text = records(kind, 1, RECORDS, true);
    boolean gzip = layout.equals("gzip");
    Path f = dir.resolve(gzip ? "in.csv.gz" : "in.csv");
    byte[] bytes = gzip ? IoFixtures.gzip(text.getBytes(UTF_8)) : text.getBytes(UTF_8);
    Files.write(f, bytes);
    InputFile file = listed(f);
    InputFormatProvider p =
        Formats.input(
            layout.equals("split") ? format(kind) : format(kind).toBuilder().splitSize(0).build());
    List<Split> splits = p.plan(file);

    long cut = bytes.length * 3L / 4;
    try (FileChannel ch = FileChannel.open(f, StandardOpenOption.WRITE)) {
      ch.truncate(cut);
    }
    List<String> got = read(p, splits, new boolean[splits.size()]);

    String last = got.get(got.size() - 1);
    assertThat(last)
        .startsWith("E " + ErrorType.FILE_FAILED + " ")
        .contains(String.format(java.util.Locale.ROOT, "%,d bytes", bytes.length))
        .contains("shrank")
        .endsWith("recoverable false");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"commons", "fastcsv", "lines"})
  void aLastRecordCutByTheListedSizeOfAFileThatThenGrewFailsTheFile(String kind)
      throws IOException {
    Path f = dir.resolve("in.csv");
    String text = records(kind, 1, 10, true);
    Files.writeString(f, text + "11,half a rec");
    InputFile file = listed(f);
    append(f, "ord\n12,next\n".getBytes(UTF_8));
    InputFormatProvider p = Formats.input(format(kind).toBuilder().splitSize(0).build());

    List<String> got = read(p, List.of(Split.whole(file)), new boolean[1]);

    assertThat(got.subList(0, got.size() - 1)).isEqualTo(expected(kind, text));
    assertThat(got.get(got.size() - 1))
        .startsWith("E " + ErrorType.FILE_FAILED + " ")
        .contains("grew while it was read")
        .endsWith("recoverable false");
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"commons", "fastcsv", "lines"})
  void aLastRecordWithoutALineBreakInAFileThatDidNotGrowIsRead(String kind) throws IOException {
    Path f = dir.resolve("in.csv");
    String text = records(kind, 1, 10, true) + "11,last";
    Files.writeString(f, text);
    InputFormatProvider p = Formats.input(format(kind).toBuilder().splitSize(0).build());

    boolean[] grew = new boolean[1];
    List<String> got = read(p, List.of(Split.whole(listed(f))), grew);

    assertThat(got.get(got.size() - 1)).isEqualTo(kind.equals("lines") ? "11,last" : "11|last");
    assertThat(grew[0]).isFalse();
  }
}
