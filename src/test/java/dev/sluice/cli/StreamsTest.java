package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/** {@code --input -} and {@code --output -}: Sluice in a shell pipe. */
class StreamsTest {
  @RegisterExtension final NoSpoolLeft spools = new NoSpoolLeft();
  @TempDir Path tmp;
  private final InputStream stdin = System.in;
  private final PrintStream stdout = System.out;
  private final ByteArrayOutputStream captured = new ByteArrayOutputStream();

  @BeforeEach
  void capture() {
    System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
  }

  @AfterEach
  void restore() {
    System.setIn(stdin);
    System.setOut(stdout);
  }

  @Test
  void shouldReadStandardInputAndWriteStandardOutput() {
    System.setIn(
        new ByteArrayInputStream(
            "id,email\n1,Ann@X.org\n2,bob@x.org\n".getBytes(StandardCharsets.UTF_8)));

    CliRunner.Result r =
        CliRunner.run(
            "run", "--input", "-", "--output", "-", "--lower", "email", "--filter", "id > 1");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("id,email\n2,bob@x.org\n");
    assertThat(r.out()).isEmpty(); // the summary went to stderr
    assertThat(r.err()).contains("output in standard output");
  }

  @Test
  void severalInputsToStandardOutputShouldShareOneHeaderInListingOrder() throws Exception {
    Files.writeString(tmp.resolve("b.csv"), "id\n3\n");
    Files.writeString(tmp.resolve("a.csv"), "id\n1\n2\n");

    CliRunner.Result r =
        CliRunner.run("run", "--input", tmp.toString(), "--output", "-", "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(captured.toString(StandardCharsets.UTF_8)).isEqualTo("id\n1\n2\n3\n");
  }

  @Test
  void standardInputWithAStateDirectoryShouldRunAgainOnTheNextCommand() throws Exception {
    // Interaction suite N2: each command spools standard input to a new place, which the manifest
    // took for a changed job: the second run was refused (exit 2). A pipe is processed in full.
    Path out = tmp.resolve("out");
    System.setIn(new ByteArrayInputStream("id\n1\n".getBytes(StandardCharsets.UTF_8)));
    assertThat(CliRunner.run("run", "--input", "-", "--output", out.toString(), "--quiet").code())
        .isZero();
    System.setIn(new ByteArrayInputStream("id\n2\n3\n".getBytes(StandardCharsets.UTF_8)));

    CliRunner.Result r =
        CliRunner.run("run", "--input", "-", "--output", out.toString(), "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("stdin.csv"))).isEqualTo("id\n2\n3\n");
  }

  @Test
  void joinsShouldKeepTheInputsThatOnSuccessMoveTakesAwayDuringTheRun() throws Exception {
    // Interaction suite N1: the parts were listed after the run, when the inputs had been moved.
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("a.csv"), "id,k\n1,x\n");
    Files.writeString(in.resolve("b.csv"), "id,k\n2,y\n");
    Path merged = tmp.resolve("all.csv");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--merge-output",
            merged.toString(),
            "--on-success",
            "move:" + tmp.resolve("archive"),
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(merged)).isEqualTo("id,k\n1,x\n2,y\n");
    assertThat(tmp.resolve("archive/a.csv")).exists();

    Files.writeString(in.resolve("c.csv"), "id,k\n3,x\n");
    Path tree = tmp.resolve("tree");
    r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            tree.toString(),
            "--partition-by",
            "k",
            "--on-success",
            "move:" + tmp.resolve("archive2"),
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(tree.resolve("k=x/part.csv"))).isEqualTo("id,k\n3,x\n");
  }

  @Test
  void mergeOutputShouldJoinAllInputsInListingOrderAndResumePerInput() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("in"));
    Files.writeString(in.resolve("b.csv"), "id\n3\n");
    Files.writeString(in.resolve("a.csv"), "id\n1\n2\n");
    Path merged = tmp.resolve("all.csv");

    CliRunner.Result r =
        CliRunner.run(
            "run", "--input", in.toString(), "--merge-output", merged.toString(), "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(merged)).isEqualTo("id\n1\n2\n3\n");

    Files.writeString(in.resolve("c.csv"), "id\n4\n");
    CliRunner.Result again =
        CliRunner.run("run", "--input", in.toString(), "--merge-output", merged.toString());
    assertThat(again.code()).as(again.err()).isZero();
    assertThat(again.out()).contains("2 skipped");
    assertThat(Files.readString(merged)).isEqualTo("id\n1\n2\n3\n4\n");
    try (var s = Files.list(tmp)) {
      assertThat(s.map(p -> p.getFileName().toString())).noneMatch(n -> n.endsWith(".sluice-tmp"));
    }

    Path foreign = tmp.resolve("foreign.csv");
    Files.writeString(foreign, "keep");
    assertThat(
            CliRunner.run("run", "--input", in.toString(), "--merge-output", foreign.toString())
                .code())
        .isEqualTo(2);
    assertThat(Files.readString(foreign)).isEqualTo("keep");
  }

  @Test
  void partitionByShouldWriteOneFilePerValueInInputOrder() throws Exception {
    Path in = Files.createDirectories(tmp.resolve("pin"));
    Files.writeString(in.resolve("a.csv"), "id,country\n1,DE\n2,FR\n3,DE\n");
    Files.writeString(in.resolve("b.csv"), "id,country\n4,FR\n5,\n6,../x\n");
    Path out = tmp.resolve("pout");

    CliRunner.Result r =
        CliRunner.run(
            "run",
            "--input",
            in.toString(),
            "--output",
            out.toString(),
            "--partition-by",
            "country",
            "--quiet");

    assertThat(r.code()).as(r.err()).isZero();
    assertThat(Files.readString(out.resolve("country=DE/part.csv")))
        .isEqualTo("id,country\n1,DE\n3,DE\n");
    assertThat(Files.readString(out.resolve("country=FR/part.csv")))
        .isEqualTo("id,country\n2,FR\n4,FR\n");
    assertThat(Files.readString(out.resolve("country=__empty__/part.csv")))
        .isEqualTo("id,country\n5,\n");
    assertThat(out.resolve("country=.._x/part.csv")).exists();
    assertThat(tmp.resolve("x")).doesNotExist();
    assertThat(
            CliRunner.run(
                    "run",
                    "--input",
                    in.toString(),
                    "--output",
                    tmp.resolve("q").toString(),
                    "--partition-by",
                    "nope")
                .code())
        .isEqualTo(2);
  }
}
