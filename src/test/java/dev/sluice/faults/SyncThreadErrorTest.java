package dev.sluice.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.sluice.Sluice;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Stage;
import dev.sluice.faults.FaultyFileSystem.Op;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * An {@link Error} on a sync thread (the force of a finished output file, issue 14) fails the run
 * with that Error as the cause, not wrapped in the I/O exceptions the sync threads hand their
 * failures on in, and leaves no thread and no temporary file.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class SyncThreadErrorTest {
  @TempDir Path tmp;

  /** An Error of our own, so the cause can be checked by identity. */
  static final class InjectedError extends Error {
    private static final long serialVersionUID = 1L;

    InjectedError() {
      super("injected on a sync thread");
    }
  }

  @AfterEach
  void noEngineThreadOutlivesARun() {
    assertThat(SweepJob.sluiceThreads()).as("engine threads alive").isEmpty();
  }

  @Test
  void anErrorWhileForcingAnOutputShouldFailTheRunWithThatError() throws IOException {
    Path in = tmp.resolve("in");
    Files.createDirectories(in);
    for (int f = 1; f <= 3; f++) {
      Files.writeString(in.resolve("f" + f + ".csv"), "id,value\n1,a\n2,b\n");
    }
    Path out = tmp.resolve("out");
    FaultyFileSystem fs = FaultyFileSystem.create();
    InjectedError error = new InjectedError();
    String[] forcedOn = new String[1];
    fs.failNth(
        Op.FORCE,
        1,
        p -> true,
        p -> {
          forcedOn[0] = Thread.currentThread().getName();
          throw error;
        });

    PipelineException e =
        catchThrowableOfType(
            PipelineException.class,
            () -> Sluice.builder().input(fs.wrap(in)).output(fs.wrap(out)).threads(1, 1, 1).run());

    assertThat(forcedOn[0]).as("thread of the force").startsWith("sluice-sync-");
    assertThat(e).as("thrown").isNotNull();
    assertThat(e.getCause()).as("cause").isSameAs(error);
    assertThat(e.stage()).isEqualTo(Stage.WRITER);
    assertThat(SweepJob.temps(out)).isEmpty();
  }
}
