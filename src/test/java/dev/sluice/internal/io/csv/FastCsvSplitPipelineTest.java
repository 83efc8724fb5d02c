package dev.sluice.internal.io.csv;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.Format;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * One file cut into small splits and read by FastCSV through the engine with 1, 2 and 4 readers:
 * output and reject files are byte for byte those of Commons CSV, split or not, with FastCSV's
 * fallbacks (records read by Commons CSV, a split handed over) and rejects in later splits.
 */
@Timeout(120)
class FastCsvSplitPipelineTest {
  private static final int RECORDS = 6_000;

  @TempDir Path tmp;

  /**
   * Header, then records with quoted multi-line fields; now and then whitespace after a closing
   * quote, a bare CR in a last quoted field, a wrong field count, junk after a closing quote, and
   * late one long record with whitespace after its closing quote (a hand-over).
   */
  private Path input() throws IOException {
    StringBuilder sb = new StringBuilder("id,note,amount\n");
    for (int i = 1; i <= RECORDS; i++) {
      sb.append(i).append(',');
      if (i % 7 == 0) {
        sb.append("\"multi\nline, \"\"quoted\"\"\r\nnote ").append(i).append('"');
      } else if (i % 97 == 0) {
        sb.append("\"spaced ").append(i).append("\" ");
      } else if (i == 5_200) {
        sb.append('"').append("long ".repeat(10_000)).append("\" ");
      } else if (i % 1_301 == 0) {
        sb.append("\"junk\"x");
      } else {
        sb.append("note ").append(i);
      }
      sb.append(',');
      if (i % 101 == 0) {
        sb.append("\"bare\rcr ").append(i).append('"');
      } else {
        sb.append(i * 3);
      }
      sb.append(i % 1_999 == 0 ? ",extra" : "").append(i % 11 == 0 ? "\r\n" : "\n");
    }
    Path dir = Files.createDirectories(tmp.resolve("in"));
    Path f = dir.resolve("big.csv");
    Files.writeString(f, sb.toString());
    return f;
  }

  private RunResult run(Path in, String out, Format.Parser parser, long splitSize, int readers) {
    return Sluice.builder()
        .input(in.getParent())
        .output(tmp.resolve(out))
        .inputFormat(Format.csv().toBuilder().parser(parser).splitSize(splitSize).build())
        .threads(readers, 2, 1)
        .batchSize(50)
        .onError(ErrorPolicy.SKIP)
        .run();
  }

  /** Every file under {@code dir} by relative path, with its content. */
  private static Map<String, String> outputs(Path dir) throws IOException {
    Map<String, String> m = new TreeMap<>();
    try (Stream<Path> s = Files.walk(dir)) {
      for (Path p : s.filter(Files::isRegularFile).toList()) {
        m.put(dir.relativize(p).toString(), new String(Files.readAllBytes(p), UTF_8));
      }
    }
    return m;
  }

  @Test
  void fastCsvOnSplitsWritesWhatCommonsCsvWritesWithOneTwoAndFourReaders() throws IOException {
    Path in = input();
    InputFile file = new InputFile(0, in, "big.csv", Files.size(in));
    assertThat(new CsvInputFormat(Format.csv()).plan(file, 4096)).hasSizeGreaterThan(20);

    RunResult whole = run(in, "whole", Format.Parser.COMMONS, 0, 1);
    Map<String, String> expected = outputs(tmp.resolve("whole"));
    assertThat(expected).containsKeys("big.csv", "_rejects/big.csv.rejects.csv");
    assertThat(expected.get("_rejects/big.csv.rejects.csv").lines().count()).isEqualTo(1 + 3 + 4);

    for (int readers : new int[] {1, 2, 4}) {
      RunResult fast = run(in, "fast" + readers, Format.Parser.FASTCSV, 4096, readers);
      RunResult commons = run(in, "commons" + readers, Format.Parser.COMMONS, 4096, readers);

      assertThat(outputs(tmp.resolve("fast" + readers))).as("%d readers", readers).isEqualTo(expected);
      assertThat(outputs(tmp.resolve("commons" + readers))).as("%d readers", readers).isEqualTo(expected);
      assertThat(fast.recordsRead()).isEqualTo(commons.recordsRead()).isEqualTo(whole.recordsRead());
      assertThat(fast.recordsRejected()).isEqualTo(whole.recordsRejected());
      assertThat(fast.bytesRead()).isEqualTo(whole.bytesRead()).isEqualTo(Files.size(in));
    }
  }
}
