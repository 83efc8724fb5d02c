package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.FileTrees;
import dev.sluice.Sluice;
import dev.sluice.api.Format;
import dev.sluice.api.RunResult;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Issue 16 end to end: a job with upper, lower, hash and hmac writes the same bytes whether the
 * default byte reader ({@code --csv-parser bytes}: values upper-cased, lower-cased and hashed from
 * their bytes) or Commons CSV ({@code --csv-parser commons}: every value a String first) reads the
 * input, for UTF-8 and ISO-8859-1 input. So does a job whose select, drop and rename move fields
 * that no step changes, which the writer copies from their bytes, into CSV, TSV and JSON Lines.
 */
@Timeout(120)
class ByteRowStepsPipelineTest {
  private static final int RECORDS = 5_000;

  /** Values of every kind the steps treat apart: ASCII, beyond it, with quotes, empty. */
  private static final List<String> PIECES =
      List.of(
          "ann",
          "Ann",
          "ANN",
          "title",
          "Iris",
          "straße",
          "İstanbul",
          "ılık",
          "ŉ",
          "ǅ",
          "ﬀ",
          "Σίσυφος",
          "café",
          "ÿ",
          "µ",
          "\uD83D\uDE00",
          "日本",
          "a \"quoted\" b",
          "x,y",
          "",
          "42",
          "MIXED case");

  @TempDir Path tmp;

  private Path input(Charset cs) throws IOException {
    Random random = new Random(16);
    StringBuilder sb = new StringBuilder("id,name,email,note,secret\n");
    for (int i = 0; i < RECORDS; i++) {
      sb.append(i);
      for (int c = 0; c < 4; c++) {
        String v = PIECES.get(random.nextInt(PIECES.size()));
        if (!cs.newEncoder().canEncode(v)) {
          v = "Plain" + i;
        }
        sb.append(',').append(field(v));
      }
      sb.append('\n');
    }
    Path dir = Files.createDirectories(tmp.resolve("in-" + cs.name()));
    Files.write(dir.resolve("people.csv"), sb.toString().getBytes(cs));
    return dir;
  }

  private static String field(String v) {
    return v.contains("\"") || v.contains(",") ? '"' + v.replace("\"", "\"\"") + '"' : v;
  }

  private RunResult run(Path in, String out, Charset cs, Format.Parser parser) {
    return Sluice.builder()
        .input(in)
        .output(tmp.resolve(out))
        .inputFormat(Format.csv().toBuilder().charset(cs).parser(parser).build())
        .outputFormat(Format.csv())
        .step(Steps.upper("name"))
        .step(Steps.lower("email"))
        .step(Steps.hash("note"))
        .step(Steps.hmac("0123456789abcdef0123456789abcdef".getBytes(UTF_8), "secret"))
        .threads(2, 2, 1)
        .batchSize(100)
        .run();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(strings = {"UTF-8", "ISO-8859-1"})
  void theByteReaderGivesTheBytesCommonsCsvGives(String charset) throws IOException {
    Charset cs = Charset.forName(charset);
    Path in = input(cs);
    RunResult bytes = run(in, "bytes", cs, Format.Parser.BYTES);
    RunResult commons = run(in, "commons", cs, Format.Parser.COMMONS);

    assertThat(bytes.recordsPassed()).isEqualTo(commons.recordsPassed()).isEqualTo(RECORDS);
    Map<String, String> fromBytes =
        FileTrees.under(tmp.resolve("bytes")).skipping(".sluice").digests();
    assertThat(fromBytes)
        .containsKey("people.csv")
        .isEqualTo(FileTrees.under(tmp.resolve("commons")).skipping(".sluice").digests());
    // The steps did run: a value upper-cased with a length change, one lower-cased, one hashed.
    String out = Files.readString(tmp.resolve("bytes/people.csv"), UTF_8);
    assertThat(out).contains(",STRASSE,").contains(",ann,");
    if (cs.equals(ISO_8859_1)) {
      assertThat(out).contains(",CAFÉ,").doesNotContain("İ");
    } else {
      assertThat(out).contains(",İSTANBUL,", ",i̇stanbul,");
    }
    assertThat(
            out.lines()
                .skip(1)
                .map(l -> l.split(","))
                .allMatch(f -> f[f.length - 1].length() == 64))
        .isTrue();
  }

  @ParameterizedTest(name = "{0}")
  @ValueSource(
      strings = {
        "UTF-8 csv",
        "UTF-8 tsv",
        "UTF-8 jsonl",
        "ISO-8859-1 csv",
        "ISO-8859-1 tsv",
        // The options that meet the writer's copies: an output charset other than UTF-8 (the
        // char path), gzip, CRLF, and input read in splits (rows from ranges of one file).
        "ISO-8859-1 csv-latin1",
        "UTF-8 csv-gzip",
        "UTF-8 tsv-crlf",
        "UTF-8 csv-split"
      })
  void movedFieldsAreWrittenFromTheirBytesAsCommonsCsvReadsThem(String how) throws IOException {
    String[] parts = how.split(" ");
    Charset cs = Charset.forName(parts[0]);
    Format output =
        switch (parts[1]) {
          case "tsv" -> Format.tsv();
          case "tsv-crlf" -> Format.tsv().toBuilder().crlf(true).build();
          case "jsonl" -> Format.jsonl();
          case "csv-latin1" -> Format.csv().toBuilder().charset(ISO_8859_1).build();
          case "csv-gzip" -> Format.csv().toBuilder().gzip(true).build();
          default -> Format.csv();
        };
    long splitSize = parts[1].equals("csv-split") ? 16 * 1024 : 0;
    boolean latin1Out = parts[1].equals("csv-latin1");
    Path in = input(cs);
    Map<String, String> digests = new java.util.HashMap<>();
    for (Format.Parser parser : List.of(Format.Parser.BYTES, Format.Parser.COMMONS)) {
      String out = parser.name();
      RunResult r =
          Sluice.builder()
              .input(in)
              .output(tmp.resolve(out))
              .inputFormat(
                  Format.csv().toBuilder().charset(cs).parser(parser).splitSize(splitSize).build())
              .outputFormat(output)
              // Fields moved, renamed, dropped, one changed between two moves; "x,y" and the
              // quoted values need quotes in CSV, and a tab nowhere: TSV copies them as they are.
              .step(Steps.rename("note", "remark"))
              .step(Steps.select("remark", "id", "name", "email", "secret"))
              // Upper-case ÿ and µ are not ISO-8859-1: lower-case for that output.
              .step(latin1Out ? Steps.lower("name") : Steps.upper("name"))
              .step(Steps.drop("secret"))
              .step(Steps.select("name", "remark", "email", "id"))
              .step(Steps.filter("id != 7"))
              .threads(2, 2, 1)
              .batchSize(100)
              .run();
      assertThat(r.recordsPassed()).isEqualTo(RECORDS - 1);
      digests.put(out, FileTrees.under(tmp.resolve(out)).skipping(".sluice").digests().toString());
    }
    assertThat(digests.get("BYTES")).isEqualTo(digests.get("COMMONS"));
    String name = output.equals(Format.jsonl()) ? "people.jsonl" : "people.csv";
    Path written = tmp.resolve("BYTES").resolve(name);
    if (!Files.exists(written)) {
      try (var files = Files.list(tmp.resolve("BYTES"))) {
        written = files.filter(f -> !f.getFileName().toString().startsWith(".")).findFirst().get();
      }
    }
    if (output.gzip()) {
      try (var gz = new java.util.zip.GZIPInputStream(Files.newInputStream(written))) {
        Files.write(tmp.resolve("gunzipped.csv"), gz.readAllBytes());
      }
      written = tmp.resolve("gunzipped.csv");
    }
    Charset outCs = output.charset();
    String text = Files.readString(written, outCs);
    assertThat(text).contains(latin1Out ? "straße" : "STRASSE");
    if (parts[1].startsWith("csv")) {
      assertThat(text).startsWith("name,remark,email,id\n").contains(",\"x,y\",");
    } else if (parts[1].startsWith("tsv")) {
      String eol = output.crlf() ? "\r\n" : "\n";
      assertThat(text).startsWith("name\tremark\temail\tid" + eol).contains("\tx,y\t");
    }
  }
}
