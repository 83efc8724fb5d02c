package dev.sluice.faults;

import dev.sluice.Sluice;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import java.nio.file.Path;

/**
 * The job {@link InputActionCrashIT} runs in a child JVM to crash in the middle of a move across
 * file systems: inputs, output and state on one {@link FaultyFileSystem}, the archive on another,
 * so that a move cannot be a rename (as between two mounts). Arguments: input, output, archive.
 * Exit 0 (3 with rejects), 1 on failure; a crash point halts with 97.
 */
public final class CrossDeviceJob {
  private CrossDeviceJob() {}

  public static void main(String[] args) {
    FaultyFileSystem fs = FaultyFileSystem.create();
    FaultyFileSystem other = FaultyFileSystem.create();
    Path out = Path.of(args[1]);
    try {
      RunResult r =
          Sluice.builder()
              .input(fs.wrap(Path.of(args[0])))
              .output(fs.wrap(out))
              .stateDir(fs.wrap(out.resolve(".sluice")))
              .onError(ErrorPolicy.SKIP)
              .onSuccess(InputAction.moveTo(other.wrap(Path.of(args[2]))))
              .threads(1, 1, 1)
              .run();
      System.out.println(r.summary());
      System.exit(r.recordsRejected() > 0 ? 3 : 0);
    } catch (PipelineException e) {
      System.err.println("sluice: " + e.getMessage());
      System.exit(1);
    }
  }
}
