package dev.sluice.internal.io.lines;

import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LinesRecordFormatterTest {
  @TempDir Path dir;

  @Test
  void joinsValuesWithTabsAndWritesNoHeader() {
    RecordFormatter f = Formats.output(Format.lines()).newFormatter();
    Columns abc = Columns.of("a", "b", "c");
    StringBuilder out = new StringBuilder();
    f.header(abc, out);
    f.record(Row.of(abc, "1", "", "x,\"y\""), out);
    f.record(Row.of(Columns.of("line"), "just this"), out);
    assertThat(out).hasToString("1\t\tx,\"y\"\njust this\n");
  }

  @Test
  void endsLinesWithCrLfWhenAsked() {
    RecordFormatter f =
        Formats.output(Format.lines().toBuilder().crlf(true).build()).newFormatter();
    StringBuilder out = new StringBuilder();
    f.record(Row.of(Columns.of("line"), "a"), out);
    assertThat(out).hasToString("a\r\n");
  }

  @Test
  void readsBackLinesAsWritten() throws IOException {
    Columns line = Columns.of("line");
    List<String> values = List.of("first", "", "İı 😀", "a,b \"c\"", "");
    RecordFormatter f = Formats.output(Format.lines()).newFormatter();
    StringBuilder out = new StringBuilder();
    for (String v : values) {
      f.record(Row.of(line, v), out);
    }
    Path file = write(dir, "x.txt", out.toString());
    try (RecordReader r = Formats.input(Format.lines()).open(split(file))) {
      assertThat(readAll(r)).extracting(rec -> rec.get(0)).isEqualTo(values);
    }
  }
}
