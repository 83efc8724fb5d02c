package dev.sluice.internal.io;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.Format;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class OutputNamesTest {
  @ParameterizedTest(name = "{0} as {1} gzip={2} -> {3}")
  @CsvSource({
    "a/x.csv.gz, CSV, false, a/x.csv",
    "a/x.csv.gz, JSONL, false, a/x.jsonl",
    "a/x.csv.gz, CSV, true, a/x.csv.gz",
    "x.csv, CSV, false, x.csv",
    "x.CSV, CSV, false, x.CSV",
    "x.CSV.GZ, JSONL, false, x.jsonl",
    "x.tsv, CSV, false, x.csv",
    "x.csv, TSV, true, x.tsv.gz",
    "x.txt, CSV, false, x.csv",
    "x.jsonl, LINES, false, x.txt",
    "x.csv, LINES, false, x.txt",
    "x.log, LINES, false, x.log",
    "x.log.gz, LINES, false, x.log",
    "x.log, LINES, true, x.log.gz",
    "x.log, CSV, false, x.log.csv",
    "x.log, JSONL, false, x.log.jsonl",
    "x, CSV, false, x.csv",
    "x, LINES, false, x",
    "x.gz, TSV, false, x.tsv",
    "dir.v2/x, CSV, false, dir.v2/x.csv",
    "d/x.tar.gz, JSONL, false, d/x.tar.jsonl",
  })
  void namesOutputAfterInput(String input, Format.Kind kind, boolean gzip, String expected) {
    assertThat(OutputNames.outputName(input, kind, gzip)).isEqualTo(expected);
    Format format = Format.builder(kind).gzip(gzip).build();
    assertThat(Formats.output(format).outputName(input)).isEqualTo(expected);
  }
}
