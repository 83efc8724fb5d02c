package dev.sluice.engine;

import dev.sluice.api.InputAction;
import dev.sluice.api.spi.InputFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves or deletes an input file after its output and manifest entry are committed (never before,
 * so a crash never loses an input whose output is not durable). A failure to do so does not undo
 * the committed output: it is counted as a warning of the run and logged.
 *
 * <p>Thread-safe: stateless.
 */
final class InputActions {
  private static final Logger log = LoggerFactory.getLogger(InputActions.class);

  private InputActions() {}

  static void apply(RunContext ctx, InputFile file, boolean failed) {
    InputAction a = failed ? ctx.spec.onFailure() : ctx.spec.onSuccess();
    if (a.isKeep()) {
      return;
    }
    try {
      if (a.isDelete()) {
        Files.delete(file.path());
      } else {
        Path target = a.directory().resolve(file.relativeName()).normalize();
        if (!target.startsWith(a.directory().normalize())) {
          throw new IOException("target escapes " + a.directory());
        }
        Path dir = target.getParent();
        if (dir != null) {
          Files.createDirectories(dir);
        }
        try {
          Files.move(file.path(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (java.nio.file.AtomicMoveNotSupportedException e) {
          Files.move(file.path(), target); // another file system: copy and delete
        }
      }
    } catch (IOException | RuntimeException e) {
      String msg =
          "could not " + (a.isDelete() ? "delete" : "move") + " input " + file.relativeName()
              + " after committing its output: " + PipelineMessages.describe(e);
      ctx.counters.warn(msg);
      log.warn(msg);
    }
  }
}
