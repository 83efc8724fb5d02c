package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The everyday options through the command line: check, dry run, limit, keyed hash, housekeeping,
 * reports, engines.
 */
class EverydayCliTest {
  @TempDir Path tmp;
  Path in;
  Path out;

  @BeforeEach
  void inputs() throws IOException {
    in = tmp.resolve("in");
    Files.createDirectories(in.resolve("sub"));
    Files.writeString(
        in.resolve("a.csv"), "id,email\n1,Ann@Example.org\n2,bob@example.org\n3,cy@example.org\n");
    Files.writeString(in.resolve("sub/b.csv"), "id,email\n4,dee@example.org\n");
    out = tmp.resolve("out");
  }

  private static List<String> files(Path dir) throws IOException {
    if (!Files.exists(dir)) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(dir)) {
      return s.filter(Files::isRegularFile)
          .map(p -> dir.relativize(p).toString())
          .sorted()
          .collect(Collectors.toList());
    }
  }

  @Test
  void checkShouldExitZeroOnCleanInputsAndThreeWithTheRejectsListedWritingNothing()
      throws IOException {
    CliRunner.Result clean = CliRunner.run("check", "--input", in.toString(), "--lower", "email");
    assertThat(clean.code()).as(clean.err()).isZero();
    assertThat(clean.out()).contains("4 record(s) read, 0 would be rejected");

    Files.writeString(in.resolve("c.csv"), "id,email\n5\n6,x@y\n");
    CliRunner.Result bad = CliRunner.run("check", "--input", in.toString());
    assertThat(bad.code()).isEqualTo(3);
    assertThat(bad.out())
        .contains("rejected in c.csv: 1 record (WRONG_FIELD_COUNT 1)")
        .contains("1 would be rejected");
    assertThat(Path.of(".sluice-check")).doesNotExist();
  }

  @Test
  void dryRunShouldListWhatWouldHappenAndWriteNothing() throws IOException {
    CliRunner.Result r =
        CliRunner.run("run", "--input", in.toString(), "--output", out.toString(), "--dry-run");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(r.out())
        .contains("process a.csv -> " + out.resolve("a.csv").toAbsolutePath())
        .contains("2 file(s) to process, 0 to skip");
    assertThat(out).doesNotExist();

    assertThat(
            CliRunner.run("run", "--input", in.toString(), "--output", out.toString(), "--quiet")
                .code())
        .isZero();
    CliRunner.Result again =
        CliRunner.run("run", "--input", in.toString(), "--output", out.toString(), "--dry-run");
    assertThat(again.out())
        .contains("skip    a.csv (done by an earlier run)")
        .contains("0 file(s) to process, 2 to skip");
  }

  @Test
  void limitShouldKeepTheFirstRecordsOfEachFile() throws IOException {
    CliRunner.Result r =
        CliRunner.run(
            "run", "--input", in.toString(), "--output", out.toString(), "--limit", "2", "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readAllLines(out.resolve("a.csv")))
        .containsExactly("id,email", "1,Ann@Example.org", "2,bob@example.org");
    assertThat(
            CliRunner.run(
                    "run", "--input", in.toString(), "--output", out.toString(), "--limit", "0")
                .code())
        .isEqualTo(2);
  }

  @Test
  void aHashKeyFileShouldTurnHashIntoAKeyedHash() throws IOException {
    Path key = tmp.resolve("key");
    Files.write(key, "0123456789abcdef0123456789abcdef".getBytes(StandardCharsets.US_ASCII));
    CliRunner.run(
        "run", "--input", in.toString(), "--output", out.toString(), "--hash", "email", "--quiet");
    Path keyed = tmp.resolve("keyed");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            keyed.toString(),
            "--hash",
            "email",
            "--hash-key-file",
            key.toString(),
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    String plain = Files.readAllLines(out.resolve("a.csv")).get(1);
    String hmac = Files.readAllLines(keyed.resolve("a.csv")).get(1);
    assertThat(hmac).matches("1,[0-9a-f]{64}").isNotEqualTo(plain);
    Files.write(key, new byte[] {1, 2});
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    in.toString(),
                    "--output",
                    tmp.resolve("k2").toString(),
                    "--hash",
                    "email",
                    "--hash-key-file",
                    key.toString())
                .code())
        .isEqualTo(2);
  }

  @Test
  void onSuccessShouldMoveInputsAfterTheirOutputIsCommitted() throws IOException {
    Path done = tmp.resolve("done");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--on-success",
            "move:" + done,
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(files(done)).containsExactly("a.csv", "sub/b.csv");
    assertThat(files(in)).isEmpty();
    assertThat(files(out)).contains("a.csv", "sub/b.csv");
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    done.toString(),
                    "--output",
                    tmp.resolve("x").toString(),
                    "--on-failure",
                    "delete")
                .code())
        .isEqualTo(2);
  }

  @Test
  void htmlReportAndForcedProgressShouldBeWritten() throws IOException {
    Path html = tmp.resolve("report.html");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--html-report",
            html.toString(),
            "--progress");

    assertThat(r.code()).as(r.err()).isZero();
    String page = Files.readString(html);
    assertThat(page)
        .startsWith("<!DOCTYPE html>")
        .contains("Sluice run report: ok")
        .contains("records read");
    assertThat(page.contains("<svg") || page.contains("too short to chart"))
        .as("charts or the short-run note")
        .isTrue();
    assertThat(r.out()).contains("bottleneck:");
  }

  @Test
  void theEngineOptionShouldRunOnBeamOrRefuseUnknownEngines() throws IOException {
    CliRunner.Result beam =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--engine",
            "beam",
            "--runner",
            "DirectRunner",
            "--quiet");
    assertThat(beam.code()).as(beam.err()).isZero();
    assertThat(Files.readAllLines(out.resolve("sub/b.csv")))
        .containsExactly("id,email", "4,dee@example.org");

    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    in.toString(),
                    "--output",
                    out.toString(),
                    "--engine",
                    "spark")
                .code())
        .isEqualTo(2);
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    in.toString(),
                    "--output",
                    out.toString(),
                    "--runner",
                    "DirectRunner")
                .code())
        .isEqualTo(2);
  }

  @Test
  void jsonTypesInferShouldWriteNumbersAndNulls() throws IOException {
    Files.writeString(in.resolve("n.csv"), "id,amount,note\n7,12.50,\n");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.resolve("n.csv").toString(),
            "--output",
            out.toString(),
            "--to",
            "jsonl",
            "--json-types",
            "infer",
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("n.jsonl")))
        .isEqualTo("{\"id\":7,\"amount\":12.50,\"note\":null}\n");
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    in.toString(),
                    "--output",
                    tmp.resolve("o2").toString(),
                    "--json-types",
                    "infer")
                .code())
        .isEqualTo(2);
  }
}
