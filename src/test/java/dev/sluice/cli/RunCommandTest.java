package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The mapping from {@code sluice run} options to a {@link PipelineSpec}, without running it. */
class RunCommandTest {
  @TempDir Path tmp;
  private String in;
  private String out;

  @BeforeEach
  void createInput() throws IOException {
    Path file = tmp.resolve("orders.csv");
    Files.writeString(file, "a,b,c\n1,2,3\n");
    in = file.toString();
    out = tmp.resolve("out").toString();
  }

  private static PipelineSpec spec(String... args) {
    return Parsed.run(args).toSpec();
  }

  private PipelineSpec specWith(String... extra) {
    String[] args = new String[extra.length + 4];
    args[0] = "--input";
    args[1] = in;
    args[2] = "--output";
    args[3] = out;
    System.arraycopy(extra, 0, args, 4, extra.length);
    return spec(args);
  }

  private static List<String> described(PipelineSpec spec) {
    return spec.steps().stream().map(Step::describe).collect(Collectors.toList());
  }

  @Test
  void stepsFollowTheCommandLineOrderAcrossOptionKinds() {
    PipelineSpec spec =
        specWith(
            "--filter",
            "a == 1",
            "--upper",
            "a",
            "--select",
            "a,b",
            "--filter",
            "b > 2",
            "--rename",
            "a=x,b=y",
            "--replace",
            "x",
            "[0-9]+",
            "#",
            "--hash",
            "y",
            "--step",
            TaggingStep.class.getName(),
            "--lower",
            "x",
            "--trim",
            "y",
            "--drop",
            "x");

    List<String> d = described(spec);
    assertThat(d).hasSize(12);
    assertThat(d.get(0)).startsWith("filter").contains("a == 1");
    assertThat(d.get(1)).startsWith("upper").contains("a");
    assertThat(d.get(2)).startsWith("select").contains("a").contains("b");
    assertThat(d.get(3)).startsWith("filter").contains("b > 2");
    assertThat(d.get(4)).startsWith("rename").contains("a").contains("x");
    assertThat(d.get(5)).startsWith("rename").contains("b").contains("y");
    assertThat(d.get(6)).startsWith("replace").contains("[0-9]+").contains("#");
    assertThat(d.get(7)).startsWith("hash").contains("y");
    assertThat(d.get(8)).isEqualTo("tagging");
    assertThat(d.get(9)).startsWith("lower").contains("x");
    assertThat(d.get(10)).startsWith("trim").contains("y");
    assertThat(d.get(11)).startsWith("drop").contains("x");
  }

  @Test
  void repeatedOptionsOfOneKindEachAddAStep() {
    List<String> d = described(specWith("--upper", "a", "--upper", "b,c", "--upper", "a"));
    assertThat(d).hasSize(3);
    assertThat(d.get(1)).contains("b").contains("c");
  }

  @Test
  void threadsSetsAllThreeStages() {
    PipelineSpec spec = specWith("--threads", "3");
    assertThat(List.of(spec.readers(), spec.transformers(), spec.writers()))
        .containsExactly(3, 3, 3);
  }

  @Test
  void threadsAutoResizesReadersAndTransformersWithinTheBudget() {
    PipelineSpec spec = specWith("--threads", "auto", "--thread-budget", "6", "--writers", "2");
    assertThat(spec.autoReaders()).isTrue();
    assertThat(spec.autoTransformers()).isTrue();
    assertThat(spec.threadBudget()).isEqualTo(6);
    assertThat(spec.writers()).isEqualTo(2);
    assertThat(specWith("--threads", "AUTO").autoReaders())
        .isTrue(); // any case, Turkish locale included
    assertThat(specWith().autoReaders()).isFalse();
    assertThat(specWith("--threads", "auto").threadBudget())
        .isEqualTo(PipelineSpec.defaultThreadBudget());
  }

  @Test
  void aCountForOneStageWinsOverThreadsAutoForThatStage() {
    PipelineSpec spec = specWith("--readers", "3", "--threads", "auto");
    assertThat(spec.autoReaders()).isFalse();
    assertThat(spec.readers()).isEqualTo(3);
    assertThat(spec.autoTransformers()).isTrue();

    PipelineSpec one = specWith("--transformers", "auto", "--readers", "2");
    assertThat(one.autoTransformers()).isTrue();
    assertThat(one.autoReaders()).isFalse();
  }

  @Test
  void aThreadCountThatIsNeitherANumberNorAutoIsAUsageError() {
    assertThatThrownBy(() -> specWith("--readers", "many"))
        .isInstanceOf(UsageException.class)
        .hasMessage("--readers must be a number >= 1 or auto (got 'many')");
  }

  @Test
  void virtualReadersReachTheSpec() {
    assertThat(specWith("--virtual-readers").virtualReaders()).isTrue();
    assertThat(specWith().virtualReaders()).isFalse();
  }

  @Test
  void perStageThreadOptionsWinOverThreadsWhateverTheOrder() {
    PipelineSpec spec = specWith("--writers", "1", "--threads", "4", "--readers", "2");
    assertThat(List.of(spec.readers(), spec.transformers(), spec.writers()))
        .containsExactly(2, 4, 1);
  }

  @Test
  void sizingOptionsReachTheSpec() {
    PipelineSpec spec =
        specWith(
            "--queue-capacity",
            "3",
            "--batch-size",
            "50",
            "--max-in-flight",
            "64MiB",
            "--overwrite");
    assertThat(spec.queueCapacity()).isEqualTo(3);
    assertThat(spec.batchSize()).isEqualTo(50);
    assertThat(spec.maxInFlight()).isEqualTo(64L << 20);
    assertThat(spec.overwrite()).isTrue();
  }

  @Test
  void defaultsAreCsvInAndOutWithoutOverwrite() {
    PipelineSpec spec = specWith();
    assertThat(spec.inputFormat()).isEqualTo(Format.csv());
    assertThat(spec.outputFormat()).isEqualTo(Format.csv());
    assertThat(spec.overwrite()).isFalse();
    assertThat(spec.steps()).isEmpty();
    assertThat(spec.inputs()).containsExactly(Path.of(in));
    assertThat(spec.output()).isEqualTo(Path.of(out));
  }

  @Test
  void formatOptionsShapeInputAndOutput() {
    PipelineSpec spec =
        specWith(
            "--from",
            "tsv",
            "--to",
            "jsonl",
            "--charset",
            "ISO-8859-1",
            "--crlf",
            "--gzip-output",
            "--quote",
            "'");
    assertThat(spec.inputFormat().kind()).isEqualTo(Format.Kind.TSV);
    assertThat(spec.inputFormat().delimiter()).isEqualTo('\t');
    assertThat(spec.inputFormat().quote()).isEqualTo('\'');
    assertThat(spec.inputFormat().charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(spec.outputFormat().kind()).isEqualTo(Format.Kind.JSONL);
    assertThat(spec.outputFormat().charset()).isEqualTo(StandardCharsets.ISO_8859_1);
    assertThat(spec.outputFormat().crlf()).isTrue();
    assertThat(spec.outputFormat().gzip()).isTrue();
  }

  @Test
  void csvParserReachesTheInputFormat() {
    assertThat(specWith().inputFormat().parser()).isEqualTo(Format.Parser.BYTES);
    assertThat(specWith("--csv-parser", "fastcsv").inputFormat().parser())
        .isEqualTo(Format.Parser.FASTCSV);
    assertThat(specWith("--csv-parser", "Commons").inputFormat().parser())
        .isEqualTo(Format.Parser.COMMONS);
  }

  @Test
  void csvParserMustBeNamedExactly() {
    CliRunner.Result r =
        CliRunner.run("run", "--input", in, "--output", out, "--csv-parser", "fast");
    assertThat(r.code()).isEqualTo(2);
    assertThat(r.err()).contains("--csv-parser must be bytes, commons or fastcsv (got 'fast')");
  }

  @Test
  void csvParserFastcsvShouldGiveTheSameOutputAsCommons() throws IOException {
    Path input = tmp.resolve("in");
    Files.createDirectories(input);
    Files.writeString(
        input.resolve("x.csv"),
        "id,email,note\n1,Ann@Example.org,\"a, \"\"b\"\"\"\n2,x\n3,b@c.d,\"l1\r\nl2\"\n");
    for (String parser : List.of("commons", "fastcsv")) {
      CliRunner.Result r =
          CliRunner.run(
              "run",
              "--input",
              input.toString(),
              "--output",
              tmp.resolve(parser).toString(),
              "--csv-parser",
              parser,
              "--on-error",
              "skip",
              "--lower",
              "email",
              "--quiet");
      assertThat(r.code()).as(r.err()).isEqualTo(3);
    }
    assertThat(tmp.resolve("fastcsv/x.csv")).hasSameBinaryContentAs(tmp.resolve("commons/x.csv"));
    assertThat(tmp.resolve("fastcsv/_rejects/x.csv.rejects.csv"))
        .hasSameBinaryContentAs(tmp.resolve("commons/_rejects/x.csv.rejects.csv"));
  }

  @Test
  void delimiterAcceptsTabSpellings() {
    assertThat(specWith("--delimiter", "\\t").inputFormat().delimiter()).isEqualTo('\t');
    assertThat(specWith("--delimiter", "tab").inputFormat().delimiter()).isEqualTo('\t');
    assertThat(specWith("--delimiter", ";").outputFormat().delimiter()).isEqualTo(';');
  }

  @Test
  void columnsNameHeaderlessInputAndOutputGetsAHeader() {
    PipelineSpec spec = specWith("--columns", "id,name,email");
    assertThat(spec.inputFormat().header()).isFalse();
    assertThat(spec.inputFormat().columns()).containsExactly("id", "name", "email");
    assertThat(spec.outputFormat().header()).isTrue();
    assertThat(spec.outputFormat().columns()).isNull();
    assertThat(specWith("--no-header").inputFormat().header()).isFalse();
  }

  @Test
  void inputsComeFromOptionsAndPositionalPathsAndGlobsNeedNotExist() throws IOException {
    Path second = Files.writeString(tmp.resolve("more.csv"), "a\n");
    String glob = tmp.resolve("none-yet/**/*.csv").toString();
    PipelineSpec spec = spec("--output", out, "--input", in, second.toString(), glob);
    assertThat(spec.inputs()).containsExactly(Path.of(in), second, Path.of(glob));
  }

  @Test
  void missingInputFileIsRejectedBeforeRunning() {
    assertThatThrownBy(() -> spec("--output", out, tmp.resolve("missing.csv").toString()))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("input not found");
  }
}
