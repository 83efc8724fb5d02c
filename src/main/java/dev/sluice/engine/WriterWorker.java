package dev.sluice.engine;

import dev.sluice.api.Stage;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import org.jspecify.annotations.Nullable;

/**
 * A writer thread's loop: appends chunks to the files it owns, in key order, and commits each file
 * when its last chunk is written. It never blocks except on I/O and on its own input queue, so the
 * queues and the budget always drain.
 *
 * <p>Not thread-safe: one instance per writer thread.
 */
final class WriterWorker implements Runnable {
  private final RunContext ctx;
  private final StageMeter meter;
  private final BlockingQueue<Chunk> queue;
  private final Map<Integer, OutputFile> open = new HashMap<>();

  /** Files finished and not yet committed; committed together (see {@link #commitGroup}). */
  private final List<OutputFile> group = new ArrayList<>();

  private long groupStarted = System.nanoTime();
  private static final int GROUP_FILES = 64;
  private static final long GROUP_NANOS = 200_000_000L;
  private dev.sluice.api.spi.@Nullable InputFile current;

  /**
   * The previous group, whose files the fsyncPool is forcing while this writer goes on writing the
   * next group (the forces overlap the writing instead of stalling it); published (renamed, its
   * directories synced, its manifest entries appended) before the next group's forces start, or as
   * soon as the writer has nothing else to do. Null when no group is being forced.
   */
  private @Nullable Forcing forcing;

  /** A group being forced: its files in commit order (removed as they are published). */
  private record Forcing(
      List<OutputFile> files, List<OutputFile> owners, FsyncPool.Forcing forces) {}

  WriterWorker(RunContext ctx, int index, StageMeter meter) {
    this.ctx = ctx;
    this.meter = meter;
    this.queue = ctx.toWriters[index];
  }

  @Override
  public void run() {
    Chunk held = null;
    meter.start();
    try {
      while (!ctx.stopping) {
        meter.enter(StageMeter.WAIT_IN);
        Chunk c = forcing == null ? ctx.take(queue) : queue.poll();
        if (c == null) {
          // Nothing to write right now: publish the group being forced rather than sit on it.
          meter.enter(StageMeter.BUSY);
          publishForced();
          continue;
        }
        meter.enter(StageMeter.BUSY);
        meter.batch();
        if (c == Chunk.END || ctx.stopping) {
          held = c == Chunk.END ? null : c;
          break;
        }
        held = c;
        current = c.split().file();
        int fileId = current.id();
        ctx.hooks.at(EngineHooks.Point.WRITER_TAKE, fileId, c.seq);
        OutputFile f = open.get(fileId);
        if (f == null) {
          f = new OutputFile(ctx, c.split().file());
          open.put(fileId, f);
        }
        held = null; // the file owns the chunk now: it writes or buffers it, and releases it
        f.offer(c);
        if (f.isDone()) {
          open.remove(fileId);
          ctx.writers.done(fileId);
          group.add(f);
        }
        current = null;
        // Commit a group when it is big or old, or when there is nothing else to do right now.
        if (!group.isEmpty()
            && (group.size() >= GROUP_FILES
                || queue.isEmpty()
                || System.nanoTime() - groupStarted > GROUP_NANOS)) {
          commitGroup();
        }
      }
      if (!ctx.stopping) {
        // When stopping, the finished files not yet committed are dropped like the rest.
        commitGroup();
        publishForced();
      }
      meter.enter(StageMeter.DONE);
      if (!open.isEmpty() && !ctx.stopping) {
        current = open.values().iterator().next().file;
        throw new IllegalStateException(
            "end of stream with " + open.size() + " output file(s) incomplete");
      }
    } catch (InterruptedException e) {
      if (!ctx.stopping) {
        ctx.fail(Stage.WRITER, current, -1, -1, "writer interrupted", e);
      }
    } catch (RejectCounter.ThresholdExceeded e) {
      ctx.fail(Stage.WRITER, current, -1, -1, e.getMessage(), null);
    } catch (Throwable t) {
      ctx.fail(Stage.WRITER, current, -1, -1, "write failed", PipelineMessages.errorBehind(t));
    } finally {
      if (held != null) {
        held.release();
      }
      for (OutputFile f : open.values()) {
        f.abandon();
      }
      open.clear();
      for (OutputFile f : group) {
        f.abandon();
      }
      group.clear();
      if (forcing != null) {
        forcing.forces().cancel();
        for (OutputFile f : forcing.files()) {
          f.abandon();
        }
        forcing = null;
      }
    }
  }

  /**
   * Commits the finished files of the group: writes them out and starts forcing them all at once;
   * {@link #publishForced} later renames them into place, syncs their directories once each, then
   * appends their manifest entries with one forced write. Each step happens for the whole group
   * before the next starts, so no entry ever claims a file that is not durable; the previous group
   * is published first, so groups are published in the order they were finished.
   */
  private void commitGroup() throws Exception {
    if (group.isEmpty()) {
      groupStarted = System.nanoTime();
      return;
    }
    publishForced();
    List<OutputFile.Sink> sinks = new ArrayList<>();
    List<OutputFile> owners = new ArrayList<>();
    List<OutputFile> files = new ArrayList<>(group);
    for (OutputFile f : group) {
      current = f.file;
      for (OutputFile.Sink s : f.prepare()) {
        sinks.add(s);
        owners.add(f);
      }
    }
    current = null;
    // The group now belongs to the forcing (the finally of run() abandons it from there).
    forcing = new Forcing(files, owners, ctx.fsyncPool.forceLater(sinks));
    group.clear();
    groupStarted = System.nanoTime();
  }

  /** Waits for the group being forced, if any, and publishes it (see {@link #commitGroup}). */
  private void publishForced() throws Exception {
    Forcing g = forcing;
    if (g == null) {
      return;
    }
    try {
      g.forces().await();
    } catch (FsyncPool.ForceFailed e) {
      current = g.owners().get(e.index).file; // name the file whose force failed
      throw (IOException) e.getCause();
    }
    List<OutputFile> files = g.files();
    List<StateStore.Pending> entries = new ArrayList<>(files.size());
    List<OutputFile> published = new ArrayList<>(files.size());
    Set<Path> dirs = new LinkedHashSet<>();
    while (!files.isEmpty()) {
      OutputFile f = files.get(0);
      current = f.file;
      StateStore.Pending p = f.publish();
      files.remove(0);
      published.add(f);
      if (p != null) {
        entries.add(p);
      }
      dirs.addAll(f.directories());
    }
    current = null;
    forcing = null;
    ctx.fsyncPool.syncDirectories(dirs);
    if (ctx.state != null) {
      ctx.state.record(entries, ctx.runId);
    }
    if (!ctx.spec.discardOutput()) {
      InputActions.afterCommit(ctx, published);
    }
  }
}
