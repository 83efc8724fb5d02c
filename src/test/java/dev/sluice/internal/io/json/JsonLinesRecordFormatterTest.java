package dev.sluice.internal.io.json;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.Formats;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonLinesRecordFormatterTest {
  private static final Columns COLUMNS = Columns.of("id", "name");

  @Test
  void writesOneObjectPerRecordWithKeysInColumnOrder() {
    OutputFormatProvider p = Formats.output(Format.jsonl());
    RecordFormatter f = p.newFormatter();
    StringBuilder out = new StringBuilder();
    f.header(COLUMNS, out);
    f.record(Row.of(COLUMNS, "7", "İstanbul ılık 😀"), out);
    f.record(Row.of(COLUMNS, "", "say \"hi\"\\\n\t\r\u0001/"), out);
    String expected =
        "{\"id\":\"7\",\"name\":\"İstanbul ılık 😀\"}\n"
            + "{\"id\":\"\",\"name\":\"say \\\"hi\\\"\\\\\\n\\t\\r\\u0001/\"}\n";
    assertThat(out.toString().getBytes(p.charset()))
        .isEqualTo(expected.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void endsObjectsWithCrLfWhenAsked() {
    RecordFormatter f =
        Formats.output(Format.jsonl().toBuilder().crlf(true).build()).newFormatter();
    StringBuilder out = new StringBuilder();
    f.record(Row.of(COLUMNS, "1", "a"), out);
    f.record(Row.of(COLUMNS, "2", "b"), out);
    assertThat(out)
        .hasToString("{\"id\":\"1\",\"name\":\"a\"}\r\n{\"id\":\"2\",\"name\":\"b\"}\r\n");
  }

  @Test
  void appendsToWhateverBufferEachCallIsGiven() {
    RecordFormatter f = Formats.output(Format.jsonl()).newFormatter();
    StringBuilder first = new StringBuilder("[");
    StringBuilder second = new StringBuilder();
    f.record(Row.of(COLUMNS, "1", "a"), first);
    f.record(Row.of(COLUMNS, "2", "b"), second);
    f.record(Row.of(Columns.of("other"), "c"), first);
    assertThat(first).hasToString("[{\"id\":\"1\",\"name\":\"a\"}\n{\"other\":\"c\"}\n");
    assertThat(second).hasToString("{\"id\":\"2\",\"name\":\"b\"}\n");
  }

  @Test
  void escapesKeysAndKeepsRepeatedNames() {
    RecordFormatter f = Formats.output(Format.jsonl()).newFormatter();
    Columns odd = Columns.of("a\"b", "x", "x");
    StringBuilder out = new StringBuilder();
    f.record(Row.of(odd, "1", "2", "3"), out);
    assertThat(out).hasToString("{\"a\\\"b\":\"1\",\"x\":\"2\",\"x\":\"3\"}\n");
  }

  @Test
  void escapesNonAsciiWhenTheCharsetIsNotUnicode() {
    RecordFormatter f =
        Formats.output(Format.jsonl().toBuilder().charset(StandardCharsets.ISO_8859_1).build())
            .newFormatter();
    StringBuilder out = new StringBuilder();
    f.record(Row.of(COLUMNS, "é", "😀"), out);
    assertThat(out).hasToString("{\"id\":\"\\u00E9\",\"name\":\"\\uD83D\\uDE00\"}\n");
  }
}
