package dev.sluice.internal.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.Format;
import dev.sluice.internal.io.csv.CsvInputFormat;
import dev.sluice.internal.io.csv.CsvOutputFormat;
import dev.sluice.internal.io.json.JsonLinesOutputFormat;
import dev.sluice.internal.io.lines.LinesInputFormat;
import dev.sluice.internal.io.lines.LinesOutputFormat;
import org.junit.jupiter.api.Test;

class FormatsTest {
  @Test
  void picksTheInputProviderByKind() {
    assertThat(Formats.input(Format.csv())).isInstanceOf(CsvInputFormat.class);
    assertThat(Formats.input(Format.tsv())).isInstanceOf(CsvInputFormat.class);
    assertThat(Formats.input(Format.lines())).isInstanceOf(LinesInputFormat.class);
  }

  @Test
  void picksTheOutputProviderByKind() {
    assertThat(Formats.output(Format.csv())).isInstanceOf(CsvOutputFormat.class);
    assertThat(Formats.output(Format.tsv())).isInstanceOf(CsvOutputFormat.class);
    assertThat(Formats.output(Format.lines())).isInstanceOf(LinesOutputFormat.class);
    assertThat(Formats.output(Format.jsonl())).isInstanceOf(JsonLinesOutputFormat.class);
  }

  @Test
  void refusesJsonLinesAsInput() {
    assertThatThrownBy(() -> Formats.input(Format.jsonl()))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("output format only");
  }
}
