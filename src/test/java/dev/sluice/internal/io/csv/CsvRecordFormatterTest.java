package dev.sluice.internal.io.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.Formats;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class CsvRecordFormatterTest {
  private static final Columns ABC = Columns.of("a", "b", "c");

  private static String format(Format format, Columns columns, String[]... rows) {
    RecordFormatter f = Formats.output(format).newFormatter();
    StringBuilder out = new StringBuilder();
    f.header(columns, out);
    for (String[] row : rows) {
      f.record(Row.of(columns, row), out);
    }
    return out.toString();
  }

  @Test
  void quotesOnlyValuesThatNeedIt() {
    assertThat(
            format(
                Format.csv(),
                ABC,
                new String[] {"plain", " spaced ", "#hash"},
                new String[] {"a,b", "say \"hi\"", "x\ny"},
                new String[] {"cr\r", "crlf\r\n", "İı😀"}))
        .isEqualTo(
            "a,b,c\n"
                + "plain, spaced ,#hash\n"
                + "\"a,b\",\"say \"\"hi\"\"\",\"x\ny\"\n"
                + "\"cr\r\",\"crlf\r\n\",İı😀\n");
  }

  @Test
  void writesEmptyValuesAsNothing() {
    assertThat(format(Format.csv(), ABC, new String[] {"", "", ""}, new String[] {"", "x", ""}))
        .isEqualTo("a,b,c\n,,\n,x,\n");
  }

  @Test
  void writesALoneEmptyValueAsTwoQuotesSoTheLineIsNotEmpty() {
    Columns one = Columns.of("v");
    assertThat(format(Format.csv(), one, new String[] {""}, new String[] {"x"}))
        .isEqualTo("v\n\"\"\nx\n");
  }

  @Test
  void endsLinesWithCrLfWhenAsked() {
    Format crlf = Format.csv().toBuilder().crlf(true).build();
    assertThat(format(crlf, ABC, new String[] {"1", "2", "3"})).isEqualTo("a,b,c\r\n1,2,3\r\n");
  }

  @Test
  void writesNoHeaderWhenTheFormatHasNone() {
    Format noHeader = Format.csv().toBuilder().header(false).build();
    assertThat(format(noHeader, ABC, new String[] {"1", "2", "3"})).isEqualTo("1,2,3\n");
  }

  @Test
  void quotesHeaderNamesLikeValues() {
    assertThat(format(Format.csv(), Columns.of("x,y", "q\"", "")))
        .isEqualTo("\"x,y\",\"q\"\"\",\n");
  }

  @Test
  void writesTsvWithTabsAndQuotesValuesHoldingTabs() {
    assertThat(format(Format.tsv(), ABC, new String[] {"1,5", "x\ty", "\"q\""}))
        .isEqualTo("a\tb\tc\n1,5\t\"x\ty\"\t\"\"\"q\"\"\"\n");
  }

  @Test
  void usesTheFormatsDelimiterAndQuote() {
    Format f = Format.csv().toBuilder().delimiter(';').quote('\'').build();
    assertThat(format(f, ABC, new String[] {"a;b", "it's", "\"x\",y"}))
        .isEqualTo("a;b;c\n'a;b';'it''s';\"x\",y\n");
  }

  @Test
  void appendsToWhateverBufferEachCallIsGiven() {
    RecordFormatter f = Formats.output(Format.csv()).newFormatter();
    StringBuilder first = new StringBuilder("keep:");
    StringBuilder second = new StringBuilder();
    f.record(Row.of(ABC, "1", "2", "3"), first);
    f.record(Row.of(ABC, "4", "5", "6"), second);
    assertThat(first).hasToString("keep:1,2,3\n");
    assertThat(second).hasToString("4,5,6\n");
  }

  @Test
  void providerReportsCharsetAndGzipFromTheFormat() {
    OutputFormatProvider p =
        Formats.output(
            Format.tsv().toBuilder().charset(StandardCharsets.ISO_8859_1).gzip(true).build());
    assertThat(p.charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(p.gzip()).isTrue();
    assertThat(p.outputName("x.csv")).isEqualTo("x.tsv.gz");
  }
}
