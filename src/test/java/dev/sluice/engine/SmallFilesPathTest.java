package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

/**
 * The shortcuts taken for runs over many small files (directories made once, small output buffers,
 * no unlink of stale reject files in new reject directories, mtimes from the listing, forces that
 * overlap the writing of the next group) give the same outputs, reject files and manifest as the
 * plain path.
 */
@ExtendWith(NoLeakedThreads.class)
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SmallFilesPathTest {
  @TempDir Path tmp;

  @Test
  void aStaleRejectFileInAnExistingRejectDirectoryIsStillDeleted() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(3, 5);
    Path stale = fx.out.resolve("_rejects/d0/file-000.txt.rejects.csv");
    Files.createDirectories(stale.getParent());
    Files.writeString(stale, "left by an earlier run\n");

    RunResult r = EngineFixture.run(fx.spec().build(), new FakeFormat(1));

    assertThat(r.files()).isEqualTo(3);
    assertThat(stale).doesNotExist();
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
  }

  @Test
  void aNewRejectDirectoryGetsNoRejectFilesForCleanInputs() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(7, 4);

    EngineFixture.run(fx.spec().build(), new FakeFormat(1));

    assertThat(fx.out.resolve("_rejects")).doesNotExist();
    fx.assertOutputsMatchInputs();
  }

  @Test
  void anOutputBiggerThanTheInputSizeSuggestsIsWrittenWhole() throws IOException {
    EngineFixture fx = new EngineFixture(tmp);
    List<String> lines = new ArrayList<>();
    for (int i = 0; i < 5_000; i++) {
      lines.add("record-" + i);
    }
    fx.file("big.txt", lines);
    // The listed size claims a tiny file: the output buffer is the smallest, and flushes often.
    InputFile lying = new InputFile(0, fx.in.resolve("big.txt"), "big.txt", 10);
    assertThat(OutputFile.bufferFor(lying)).isEqualTo(8192);

    PipelineSpec spec = fx.spec().build();
    FakeFormat f = new FakeFormat(1);
    try (DefaultPipeline p =
        new DefaultPipeline(spec, f, f, EngineHooks.NONE).withFiles(List.of(lying))) {
      p.run();
    }

    fx.assertOutputsMatchInputs();
  }

  @Test
  void theOutputBufferFollowsTheInputSizeUpToTheFullBuffer() {
    Path p = tmp.resolve("x");
    assertThat(OutputFile.bufferFor(new InputFile(0, p, "x", -1))).isEqualTo(64 * 1024);
    assertThat(OutputFile.bufferFor(new InputFile(0, p, "x", 0))).isEqualTo(8192);
    assertThat(OutputFile.bufferFor(new InputFile(0, p, "x", 12_000))).isEqualTo(16_384);
    assertThat(OutputFile.bufferFor(new InputFile(0, p, "x", 64 * 1024 - 1))).isEqualTo(64 * 1024);
    assertThat(OutputFile.bufferFor(new InputFile(0, p, "x", 10L << 30))).isEqualTo(64 * 1024);
  }

  @Test
  void theListingSeesTheSameModificationTimesAsAStat() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(5, 2);
    Files.setLastModifiedTime(
        fx.in.resolve("d1/file-001.txt"),
        java.nio.file.attribute.FileTime.fromMillis(1_234_567_000L));
    Listing listing = new Listing(List.of(fx.out), w -> {});

    List<InputFile> files = listing.list(List.of(fx.in));

    assertThat(files).hasSize(5);
    for (InputFile f : files) {
      assertThat(listing.mtime(f.path()))
          .as(f.relativeName())
          .isEqualTo(Files.getLastModifiedTime(f.path()).toMillis());
    }
    assertThat(listing.mtime(fx.in.resolve("nowhere.txt"))).isEqualTo(-1);
  }

  @Test
  void manyGroupsThroughOneWriterAreAllCommittedAndRecorded() throws IOException {
    // More files than one commit group holds, through one writer: the forces of a group overlap
    // the writing of the next, and every group still reaches the outputs and the manifest.
    EngineFixture fx = new EngineFixture(tmp).files(150, 3);
    Path state = tmp.resolve("state");
    PipelineSpec spec = fx.spec().stateDir(state).threads(2, 2, 1).build();

    RunResult first = EngineFixture.run(spec, new FakeFormat(1));
    RunResult second = EngineFixture.run(spec, new FakeFormat(1));

    assertThat(first.files()).isEqualTo(150);
    fx.assertOutputsMatchInputs();
    fx.assertNoTempFiles();
    assertThat(second.files()).isZero();
    assertThat(second.filesSkipped()).isEqualTo(150);
    try (Stream<Path> s = Files.walk(fx.out)) {
      assertThat(
              s.filter(Files::isRegularFile)
                  .filter(p -> !p.getFileName().toString().startsWith("."))
                  .map(p -> fx.out.relativize(p).toString().replace('\\', '/'))
                  .collect(Collectors.toList()))
          .containsExactlyInAnyOrderElementsOf(fx.expected.keySet());
    }
  }

  @Test
  void aMissingOutputDirectoryStillRefusesNothingAndAnExistingFileIsRefused() throws IOException {
    EngineFixture fx = new EngineFixture(tmp).files(4, 2);
    Path foreign = fx.out.resolve("d1/file-001.txt");
    Files.createDirectories(foreign.getParent());
    Files.write(foreign, List.of("not ours"), StandardCharsets.UTF_8);

    org.assertj.core.api.Assertions.assertThatThrownBy(
            () -> EngineFixture.run(fx.spec().build(), new FakeFormat(1)))
        .isInstanceOf(dev.sluice.api.ConfigurationException.class)
        .hasMessageContaining("output file exists")
        .hasMessageContaining("file-001.txt");
  }
}
