package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunResult;
import dev.sluice.api.Step;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Builds input trees for engine tests and checks their outputs. */
final class EngineFixture {
  final Path in;
  final Path out;
  final Map<String, List<String>> expected = new LinkedHashMap<>();

  EngineFixture(Path root) {
    this.in = root.resolve("in");
    this.out = root.resolve("out");
  }

  /** Writes {@code files} files of {@code records} records each, named and valued distinctly. */
  EngineFixture files(int files, int records) {
    for (int f = 0; f < files; f++) {
      List<String> lines = new ArrayList<>();
      for (int r = 0; r < records; r++) {
        lines.add("f" + f + "-r" + r);
      }
      file(String.format(java.util.Locale.ROOT, "d%d/file-%03d.txt", f % 3, f), lines);
    }
    return this;
  }

  EngineFixture file(String name, List<String> lines) {
    try {
      Path p = in.resolve(name);
      Files.createDirectories(p.getParent());
      Files.write(p, lines, StandardCharsets.UTF_8);
      expected.put(name, lines);
      return this;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  PipelineSpec.Builder spec() {
    return PipelineSpec.builder().input(in).output(out);
  }

  static RunResult run(PipelineSpec spec, FakeFormat format) {
    try (DefaultPipeline p = new DefaultPipeline(spec, format, format, EngineHooks.NONE)) {
      return p.run();
    }
  }

  /** Every output has the header and the input's records in input order. */
  void assertOutputsMatchInputs() throws IOException {
    for (Map.Entry<String, List<String>> e : expected.entrySet()) {
      Path o = out.resolve(e.getKey());
      List<String> want = new ArrayList<>();
      if (!e.getValue().isEmpty()) {
        want.add("v");
        want.addAll(e.getValue());
      }
      assertThat(Files.readAllLines(o, StandardCharsets.UTF_8)).as(e.getKey()).isEqualTo(want);
    }
  }

  /** No temporary file is left anywhere under the output directory. */
  void assertNoTempFiles() throws IOException {
    if (!Files.exists(out)) {
      return;
    }
    try (Stream<Path> s = Files.walk(out)) {
      assertThat(
              s.filter(p -> p.getFileName().toString().endsWith(Listing.TEMP_SUFFIX))
                  .collect(Collectors.toList()))
          .as("temporary files left")
          .isEmpty();
    }
  }

  /**
   * Whether {@code t} is parked: waiting, or waiting with a bound (the engine's blocking hand-offs
   * wait in slices, so that they see a stop whatever happened to the interrupt meant for them).
   */
  static boolean parked(Thread t) {
    Thread.State s = t.getState();
    return s == Thread.State.WAITING || s == Thread.State.TIMED_WAITING;
  }

  /** A step that emits its input unchanged. */
  static Step identity() {
    return (row, out) -> out.emit(row);
  }
}
