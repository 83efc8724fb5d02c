package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.internal.config.ColumnMatch;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@link OutputJoins} on its own: the checks of its options, where the run writes, the spool. */
class OutputJoinsTest {
  @RegisterExtension final NoSpoolLeft spools = new NoSpoolLeft();

  @TempDir Path tmp;

  private static final InputStream NO_INPUT = InputStream.nullInputStream();

  private PipelineSpec spec(Format output) {
    return PipelineSpec.builder()
        .input(tmp)
        .output(tmp.resolve("out"))
        .outputFormat(output)
        .build();
  }

  @Test
  void shouldWriteMergePartsBesideTheMergedFile() {
    Path file = tmp.resolve("all.csv");
    OutputJoins joins = new OutputJoins(file, null, false);

    assertThat(joins.merge(null, false)).isEqualTo(tmp.resolve(".all.csv.parts"));
    assertThat(joins.partition(null)).isNull();
    assertThat(joins.destination(spec(Format.csv()))).isEqualTo(file.toString());
  }

  @Test
  void shouldRefuseMergeOutputWithAnOutputDirectory() {
    OutputJoins joins = new OutputJoins(tmp.resolve("all.csv"), null, false);

    assertThatThrownBy(() -> joins.merge(Path.of("out"), false))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--merge-output FILE replaces --output DIR (output.mergeFile and output.dir in a job"
                + " file): give one of them");
  }

  @Test
  void shouldRefuseToReplaceAnExistingMergedFileWithoutOverwrite() throws IOException {
    Path file = Files.writeString(tmp.resolve("all.csv"), "a\n");

    assertThatThrownBy(() -> new OutputJoins(file, null, false).merge(null, false))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "output file exists: "
                + file
                + ": pass --overwrite to replace it, or choose another file");
    assertThat(new OutputJoins(file, null, false).merge(null, true)).isNotNull();
  }

  @Test
  void shouldWritePartitionPartsUnderTheOutputDirectory() {
    Path root = tmp.resolve("tree");
    OutputJoins joins = new OutputJoins(null, "country", false);

    assertThat(joins.merge(root, false)).isNull();
    assertThat(joins.partition(root)).isEqualTo(root.resolve(".parts"));
    assertThat(joins.destination(spec(Format.csv()))).isEqualTo(root.toString());
  }

  @Test
  void shouldRefusePartitionsWithoutAnOutputDirectoryOrAColumn() {
    assertThatThrownBy(() -> new OutputJoins(null, "country", false).partition(null))
        .isInstanceOf(UsageException.class)
        .hasMessage("--partition-by needs --output DIR (and no --merge-output or --output -)");
    assertThatThrownBy(() -> new OutputJoins(null, " ", false).partition(Path.of("out")))
        .isInstanceOf(UsageException.class)
        .hasMessage("--partition-by needs a column name");
  }

  @Test
  void shouldRefusePartitionsOfOutputWithoutColumns() {
    OutputJoins joins = new OutputJoins(null, "country", false);
    joins.partition(tmp.resolve("tree"));

    assertThatThrownBy(() -> joins.columnMatch(null, false, spec(Format.lines())))
        .isInstanceOf(UsageException.class)
        .hasMessage("--partition-by works with CSV or TSV output (got lines)");
  }

  @Test
  void shouldRefuseAColumnMatchWhereNothingIsJoined() {
    OutputJoins joins = new OutputJoins(null, null, false);
    PipelineSpec csv = spec(Format.csv());

    assertThatThrownBy(() -> joins.columnMatch(ColumnMatch.FILL, true, csv))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("--column-match joins the inputs' columns into one output");
    assertThatThrownBy(() -> joins.columnMatch(ColumnMatch.FILL, false, csv))
        .isInstanceOf(UsageException.class)
        .hasMessageStartingWith("output.columnMatch in the job file joins the inputs' columns");
    assertThat(joins.columnMatch(null, false, csv)).isEqualTo(ColumnMatch.STRICT);
  }

  @Test
  void shouldRefuseAColumnMatchForOutputWithoutColumns() {
    OutputJoins joins = new OutputJoins(tmp.resolve("all.jsonl"), null, false);
    joins.merge(null, false);

    assertThatThrownBy(() -> joins.columnMatch(ColumnMatch.UNION, true, spec(Format.jsonl())))
        .isInstanceOf(UsageException.class)
        .hasMessage(
            "--column-match needs CSV or TSV output: JSON Lines records name their own keys, so"
                + " their files are joined as they are; leave it out");
    assertThat(joins.columnMatch(ColumnMatch.UNION, true, spec(Format.csv())))
        .isEqualTo(ColumnMatch.UNION);
  }

  @Test
  void shouldSpoolStandardInputAndRemoveItOnClose() throws IOException {
    String data = "id\n" + spools.token() + "\n";
    Path stdin;
    Path stdoutDir;
    try (OutputJoins joins = new OutputJoins(null, null, false)) {
      stdin =
          joins.streams(
              true,
              Path.of("-"),
              "txt",
              false,
              null,
              new ByteArrayInputStream(data.getBytes(StandardCharsets.UTF_8)));
      stdoutDir = joins.stdoutDir();

      assertThat(stdin).isNotNull().hasFileName("stdin.txt").hasContent(data);
      assertThat(joins.toStdout()).isTrue();
      assertThat(stdoutDir).isNotNull().isDirectory();
      assertThat(joins.destination(spec(Format.csv()))).isEqualTo("standard output");
    }
    assertThat(stdin).doesNotExist();
    assertThat(stdoutDir).doesNotExist();
  }

  @Test
  void shouldMakeNoSpoolWithoutStandardInputOrOutput() throws IOException {
    try (OutputJoins joins = new OutputJoins(null, null, false)) {
      assertThat(joins.streams(false, Path.of("out"), "csv", true, null, NO_INPUT)).isNull();
      assertThat(joins.toStdout()).isFalse();
      assertThat(joins.stdoutDir()).isNull();
    }
  }

  @Test
  void shouldRefuseStandardOutputWithOptionsItCannotServeBeforeReadingStandardInput() {
    InputStream untouched =
        new InputStream() {
          @Override
          public int read() {
            throw new AssertionError("standard input read before the usage error");
          }
        };

    assertThatThrownBy(
            () ->
                new OutputJoins(null, null, false)
                    .streams(true, Path.of("-"), "csv", true, null, untouched))
        .isInstanceOf(UsageException.class)
        .hasMessage("--output - with --on-error skip needs --reject-dir DIR for the reject files");
    assertThatThrownBy(
            () ->
                new OutputJoins(null, "country", false)
                    .streams(true, Path.of("-"), "csv", false, null, untouched))
        .isInstanceOf(UsageException.class)
        .hasMessage("--output - cannot be combined with --merge-output or --partition-by");
  }

  @Test
  void shouldCloseTwiceWithoutHarm() throws IOException {
    OutputJoins joins = new OutputJoins(null, null, false);
    joins.streams(false, Path.of("-"), "csv", false, null, NO_INPUT);
    Path dir = joins.stdoutDir();

    joins.close();
    joins.close();

    assertThat(dir).doesNotExist();
  }
}
