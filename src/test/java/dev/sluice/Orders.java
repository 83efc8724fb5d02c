package dev.sluice;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.cli.Main;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;

/** Test data: the CLI's own {@code sluice generate} orders files, deterministic for a seed. */
public final class Orders {
  private Orders() {}

  /** Writes {@code files} files of {@code rows} orders each into {@code dir}; returns it. */
  public static Path generate(Path dir, int files, int rows, int seed) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code =
        Main.run(
            new PrintWriter(out),
            new PrintWriter(err),
            "generate",
            "--files",
            Integer.toString(files),
            "--rows",
            Integer.toString(rows),
            "--seed",
            Integer.toString(seed),
            "--output",
            dir.toString());
    assertThat(code).as("generate: %s", err).isZero();
    return dir;
  }
}
