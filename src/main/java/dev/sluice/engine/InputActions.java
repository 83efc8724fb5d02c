package dev.sluice.engine;

import dev.sluice.api.InputAction;
import dev.sluice.api.spi.InputFile;
import dev.sluice.internal.fs.AtomicWrite;
import dev.sluice.internal.fs.DurableFiles;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileSystem;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Moves or deletes input files after their output and manifest entry are committed (never before,
 * so a crash never loses an input whose output is not durable). The action is recorded in the
 * file's manifest entry ({@link StateStore#record}), so one that did not happen (a crash between
 * the entry and the action, or an action that failed) is finished by the next run, which finds the
 * input still there and recorded ({@link #finish}); every step is idempotent.
 *
 * <p>A move is a rename when the target is on the same file system. Across file systems it is a
 * copy to a temporary name in the target directory, forced, renamed into place, the directory
 * synced, and only then the input deleted: at every instant one complete copy is durable. An
 * existing file of the same name in the target directory is replaced (as {@code mv} does). The
 * directories changed are synced once per group. A failure does not undo the committed output: it
 * is counted as a warning of the run, logged, and the next run tries again.
 *
 * <p>Thread-safe: stateless.
 */
final class InputActions {
  private static final Logger log = LoggerFactory.getLogger(InputActions.class);

  private InputActions() {}

  /**
   * What is to happen to one input: deleted, or moved to {@code target}. Recorded in the manifest
   * entry as {@code "action":"delete"} or {@code "action":"move","moveTo":target}.
   */
  record Intent(boolean delete, @Nullable Path target) {
    static final Intent DELETE = new Intent(true, null);

    String verb() {
      return delete ? "delete" : "move";
    }
  }

  /** The intent of {@code action} for {@code file}, or null to keep it. */
  static @Nullable Intent intent(InputAction action, InputFile file) {
    if (action.isKeep() || file.isRemote()) {
      return null;
    }
    if (action.isDelete()) {
      return Intent.DELETE;
    }
    return new Intent(
        false, action.directory().resolve(file.relativeName()).toAbsolutePath().normalize());
  }

  /** One input and what to do with it. */
  private static final class Task {
    final InputFile file;
    final Intent intent;

    /** Set by the first failure: later steps leave the input alone. */
    boolean failed;

    /** Copied across file systems: the input is deleted once the copy's directory is synced. */
    boolean copied;

    Task(InputFile file, Intent intent) {
      this.file = file;
      this.intent = intent;
    }
  }

  /**
   * Applies the actions of a group whose manifest entries are durable (the writer, after each
   * group).
   */
  static void afterCommit(RunContext ctx, List<OutputFile> group) {
    List<Task> tasks = new ArrayList<>();
    for (OutputFile f : group) {
      Intent i = intent(f.failed() ? ctx.spec.onFailure() : ctx.spec.onSuccess(), f.file);
      if (i != null) {
        tasks.add(new Task(f.file, i));
      }
    }
    apply(ctx, tasks);
  }

  /**
   * Finishes the actions an earlier run recorded for inputs that are still there (the run crashed
   * before doing them, or they failed): {@code files} are this run's listed inputs whose entries
   * say so. The recorded action is done, whatever this run's own action is: it is what the run that
   * committed the file decided.
   */
  static void finish(RunContext ctx, StateStore state, List<InputFile> files) {
    List<Task> tasks = new ArrayList<>();
    for (InputFile f : files) {
      StateStore.Entry e = state.entry(f.relativeName());
      if (e == null || e.action() == null) {
        continue;
      }
      Intent i;
      if (e.action().equals("delete")) {
        i = Intent.DELETE;
      } else if (e.action().equals("move") && e.moveTo() != null) {
        i = new Intent(false, fileSystemOf(ctx, e).getPath(e.moveTo()));
      } else {
        warn(ctx, f, "finish the recorded action '" + e.action() + "' of", null, "unknown action");
        continue;
      }
      log.info(
          "{} input {}{}: recorded by an earlier run that did not finish it",
          i.delete() ? "deleting" : "moving",
          f.relativeName(),
          i.delete() ? "" : " to " + i.target());
      tasks.add(new Task(f, i));
    }
    apply(ctx, tasks);
  }

  /**
   * The file system of a recorded target: the one this run moves to when it moves the same kind of
   * input (an embedder's file system), else the default one.
   */
  private static FileSystem fileSystemOf(RunContext ctx, StateStore.Entry e) {
    InputAction a = e.done() ? ctx.spec.onSuccess() : ctx.spec.onFailure();
    return a.isMove() ? a.directory().getFileSystem() : FileSystems.getDefault();
  }

  private static void apply(RunContext ctx, List<Task> tasks) {
    if (tasks.isEmpty()) {
      return;
    }
    // 1. Each moved input gets its new name: a rename, or a forced copy renamed into place.
    Map<Path, List<Task>> targetDirs = new LinkedHashMap<>();
    for (Task t : tasks) {
      if (t.intent.delete()) {
        continue;
      }
      Path target = java.util.Objects.requireNonNull(t.intent.target(), "target");
      Path dir = target.getParent();
      try {
        if (dir == null) {
          throw new IOException("no directory to move to: " + target);
        }
        DurableFiles.createDirectories(dir);
        try {
          // On POSIX a rename replaces an existing target, like mv.
          Files.move(t.file.path(), target, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
          copy(t.file.path(), target);
          t.copied = true;
        }
        targetDirs.computeIfAbsent(dir, d -> new ArrayList<>()).add(t);
      } catch (IOException | RuntimeException e) {
        warn(ctx, t, e);
      }
    }
    // 2. The new names are durable before any input is deleted.
    syncEach(ctx, targetDirs);
    // 3. Inputs copied elsewhere, and inputs to delete, are deleted.
    Map<Path, List<Task>> sourceDirs = new LinkedHashMap<>();
    for (Task t : tasks) {
      if (t.failed) {
        continue;
      }
      try {
        if (t.copied) {
          ctx.crash.at(CrashPoints.COPIED);
        }
        if (t.intent.delete() || t.copied) {
          Files.deleteIfExists(t.file.path()); // idempotent: a rerun may find it gone
        }
        Path dir = t.file.path().toAbsolutePath().getParent();
        if (dir != null) {
          sourceDirs.computeIfAbsent(dir, d -> new ArrayList<>()).add(t);
        }
      } catch (IOException | RuntimeException e) {
        warn(ctx, t, e);
      }
    }
    // 4. The input's removal is durable (were it not, the next run would find it and finish again).
    syncEach(ctx, sourceDirs);
  }

  /**
   * Copies {@code source} to a temporary name beside {@code target}, forces it and renames it into
   * place; the temporary file is removed on failure. Its name is fixed per target, so a copy a
   * crash interrupted is replaced by the next attempt instead of left behind.
   */
  private static void copy(Path source, Path target) throws IOException {
    AtomicWrite.to(target).fixedTemp("." + target.getFileName() + Listing.TEMP_SUFFIX).copy(source);
  }

  private static void syncEach(RunContext ctx, Map<Path, List<Task>> dirs) {
    for (Map.Entry<Path, List<Task>> d : dirs.entrySet()) {
      try {
        DurableFiles.syncDirectory(d.getKey());
      } catch (IOException | RuntimeException e) {
        for (Task t : d.getValue()) {
          warn(ctx, t, e);
        }
      }
    }
  }

  private static void warn(RunContext ctx, Task t, Exception e) {
    if (!t.failed) {
      t.failed = true;
      warn(ctx, t.file, t.intent.verb(), t.intent.target(), PipelineMessages.describe(e));
    }
  }

  private static void warn(
      RunContext ctx, InputFile file, String verb, @Nullable Path target, String reason) {
    String msg =
        "could not "
            + verb
            + " input "
            + file.relativeName()
            + (target == null ? "" : " to " + target)
            + " after committing its output (the next run tries again): "
            + reason;
    ctx.counters.warn(msg);
    log.warn(msg);
  }
}
