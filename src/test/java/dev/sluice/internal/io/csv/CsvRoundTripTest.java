package dev.sluice.internal.io.csv;

import static dev.sluice.internal.io.IoFixtures.gzip;
import static dev.sluice.internal.io.IoFixtures.readAll;
import static dev.sluice.internal.io.IoFixtures.split;
import static dev.sluice.internal.io.IoFixtures.write;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.api.spi.RecordReader;
import dev.sluice.internal.io.Formats;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class CsvRoundTripTest {
  private static final Columns COLUMNS = Columns.of("id", "text, with comma", "\"quoted\"", " ");

  private static final List<List<String>> RECORDS =
      List.of(
          List.of("1", "plain", "x", "y"),
          List.of("2", "a,b", "say \"hi\"", ""),
          List.of("3", "line\nbreak", "cr\ronly", "crlf\r\nend"),
          List.of("4", "", "", ""),
          List.of("5", "İstanbul ılık", "😀 emoji", "tab\there"),
          List.of("6", "\"", "\"\"", ",\n"),
          List.of("7", " lead", "trail ", "  "));

  @TempDir Path dir;

  static Stream<Arguments> variants() {
    List<Arguments> all = new ArrayList<>();
    for (Format.Kind kind : List.of(Format.Kind.CSV, Format.Kind.TSV)) {
      for (boolean crlf : List.of(false, true)) {
        for (boolean gzip : List.of(false, true)) {
          for (Charset cs : List.of(StandardCharsets.UTF_8, StandardCharsets.UTF_16)) {
            all.add(Arguments.of(kind, crlf, gzip, cs));
          }
        }
      }
    }
    return all.stream();
  }

  @ParameterizedTest(name = "{0} crlf={1} gzip={2} {3}")
  @MethodSource("variants")
  void readsBackExactlyWhatWasWritten(Format.Kind kind, boolean crlf, boolean gzip, Charset cs)
      throws IOException {
    Format format = Format.builder(kind).crlf(crlf).gzip(gzip).charset(cs).build();
    OutputFormatProvider out = Formats.output(format);
    RecordFormatter formatter = out.newFormatter();
    StringBuilder text = new StringBuilder();
    formatter.header(COLUMNS, text);
    for (List<String> r : RECORDS) {
      formatter.record(Row.of(COLUMNS, r), text);
    }
    // The engine encodes with charset() and compresses if gzip(); this does the same.
    byte[] bytes = text.toString().getBytes(out.charset());
    Path file = write(dir, out.outputName("in.csv"), out.gzip() ? gzip(bytes) : bytes);

    try (RecordReader reader = Formats.input(format).open(split(file))) {
      assertThat(reader.columns()).isEqualTo(COLUMNS);
      assertThat(readAll(reader)).isEqualTo(RECORDS);
      assertThat(reader.bytesRead()).isEqualTo(java.nio.file.Files.size(file));
    }
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("oneColumnValues")
  void readsBackOneColumnFilesWithEmptyValues(List<String> values) throws IOException {
    Columns one = Columns.of("v");
    RecordFormatter formatter = Formats.output(Format.csv()).newFormatter();
    StringBuilder text = new StringBuilder();
    formatter.header(one, text);
    for (String v : values) {
      formatter.record(Row.of(one, v), text);
    }
    Path file = write(dir, "one.csv", text.toString());
    try (RecordReader reader = Formats.input(Format.csv()).open(split(file))) {
      List<String> read = new ArrayList<>();
      while (reader.next()) {
        read.add(reader.values()[0]);
      }
      assertThat(read).isEqualTo(values);
    }
  }

  static Stream<List<String>> oneColumnValues() {
    return Stream.of(List.of(""), List.of("a", "", "b"), List.of("", ""), List.of("x", ""));
  }
}
