package dev.sluice.engine;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.spi.InputFile;
import dev.sluice.api.spi.OutputFormatProvider;
import dev.sluice.internal.fs.ObjectStores;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What a run will do, decided before any thread starts: the listing, the files' identities, which
 * files the manifest shows done (resume), and where every output and reject file goes, with the
 * refusals that go with it (conflicts, foreign files, links, outputs that escape). {@link
 * DefaultPipeline#run()} and {@link DefaultPipeline#plan()} both decide through here, so a dry run
 * shows exactly what a run does.
 *
 * <p>Not thread-safe: used by the coordinator's thread only; it keeps no state between calls.
 */
final class RunPlanner {
  private static final Logger log = LoggerFactory.getLogger(RunPlanner.class);

  private final PipelineSpec spec;
  private final OutputFormatProvider output;

  RunPlanner(PipelineSpec spec, OutputFormatProvider output) {
    this.spec = spec;
    this.output = output;
  }

  /** A listing of the spec's inputs that skips the output and reject directories. */
  Listing listing(Consumer<String> warnings) {
    return new Listing(List.of(spec.output(), spec.rejectDir()), warnings, spec.followSymlinks());
  }

  /**
   * The files of {@code listed} this run processes, renumbered in listing order, with their
   * identities; the ones the manifest shows done are skipped (and those whose recorded move or
   * delete did not happen are listed as unfinished).
   *
   * @param listing the listing that produced {@code listed} (its walk saw the modification times),
   *     or null for fixed files
   */
  Decisions decide(List<InputFile> listed, @Nullable StateStore state, @Nullable Listing listing) {
    Identities ids = identities(listed, listing);
    long skipped = 0;
    boolean[] skips = new boolean[listed.size()];
    List<InputFile> files = new ArrayList<>();
    List<Long> mtimes = new ArrayList<>();
    List<String> hashes = new ArrayList<>();
    List<InputFile> unfinished = new ArrayList<>();
    for (InputFile f : listed) {
      if (state != null && !spec.full() && skips(state, f, ids)) {
        skipped++;
        skips[f.id()] = true;
        StateStore.Entry e = state.entry(f.relativeName());
        if (e != null && e.action() != null) {
          unfinished.add(f); // still there: its recorded move or delete did not happen
        }
        continue;
      }
      // Ids are positions in this run's list: renumber what is left.
      files.add(f.withId(files.size()));
      mtimes.add(ids.mtimes[f.id()]);
      hashes.add(ids.hashes[f.id()]);
    }
    return new Decisions(files, mtimes, hashes, unfinished, skipped, skips);
  }

  /**
   * The decisions for one run: the files to process (ids renumbered), their modification times and
   * hashes by new id, the skipped files whose input action is unfinished, and how many were
   * skipped.
   */
  record Decisions(
      List<InputFile> files,
      List<Long> mtimes,
      List<String> hashes,
      List<InputFile> unfinished,
      long skipped,
      boolean[] skippedByListingId) {
    /** Whether {@code f}, one of the listed files (by its listing id), is skipped. */
    boolean skips(InputFile f) {
      return skippedByListingId[f.id()];
    }
  }

  /** Where {@code f}'s output goes, absolute. */
  Path outputOf(InputFile f) {
    return spec.output()
        .toAbsolutePath()
        .normalize()
        .resolve(output.outputName(f.relativeName()))
        .normalize();
  }

  /** Modification times and (with identity hash) content hashes of the listed files. */
  private record Identities(long[] mtimes, @Nullable String[] hashes) {}

  /** {@code listing}, when given, holds the modification times its walk saw. */
  private Identities identities(List<InputFile> files, @Nullable Listing listing) {
    long[] mtimes = new long[files.size()];
    String[] hashes = new String[files.size()];
    if (spec.stateDir() == null) {
      return new Identities(mtimes, hashes);
    }
    for (InputFile f : files) {
      if (f.isRemote()) {
        mtimes[f.id()] = -1; // a URL has no identity here: it is fetched again by every run
        continue;
      }
      try {
        long seen = listing == null ? -1 : listing.mtime(f.path());
        mtimes[f.id()] = seen >= 0 ? seen : Files.getLastModifiedTime(f.path()).toMillis();
        if (spec.identity() == PipelineSpec.Identity.HASH) {
          hashes[f.id()] = StateStore.contentHash(f.path(), f.size());
        }
      } catch (IOException e) {
        // The file vanished or cannot be read: it gets no identity, so it is processed (and its
        // reader reports the problem with the file's name).
        mtimes[f.id()] = -1;
      }
    }
    return new Identities(mtimes, hashes);
  }

  /**
   * Whether the manifest shows this very file (same identity) done, with its outputs still there,
   * or failed with its on-failure action recorded (an earlier run decided it: the action is
   * finished, the file not retried).
   */
  private boolean skips(StateStore state, InputFile f, Identities ids) {
    StateStore.Entry e = state.entry(f.relativeName());
    if (e == null || f.isRemote()) {
      return false;
    }
    boolean same =
        spec.identity() == PipelineSpec.Identity.HASH
            ? e.hash() != null && e.hash().equals(ids.hashes[f.id()])
            : e.size() == f.size() && e.mtime() == ids.mtimes[f.id()];
    if (!same) {
      return false;
    }
    if (!e.done()) {
      return e.action() != null;
    }
    return Files.exists(ObjectStores.path(e.output()))
        && (e.rejects() == null || Files.exists(ObjectStores.path(e.rejects())));
  }

  /**
   * Refuses to write through a symbolic link inside the output directory: a link planted there (say
   * {@code out/2026 -> /etc}) would otherwise send output outside it.
   */
  private static void refuseSymlinkedDirectories(Path outDir, Path[] targets) {
    if (ObjectStores.isObjectStore(outDir)) {
      return; // object storage has no links
    }
    java.util.Set<Path> checked = new java.util.HashSet<>();
    for (Path t : targets) {
      for (Path d = t.getParent();
          d != null && ObjectStores.isUnder(outDir, d) && !d.equals(outDir);
          d = d.getParent()) {
        if (!checked.add(d)) {
          break;
        }
        if (Files.isSymbolicLink(d)) {
          throw new ConfigurationException(
              "output directory "
                  + d
                  + " is a symbolic link: refusing to write through it; remove the link or choose another output directory");
        }
      }
    }
    if (Files.isSymbolicLink(outDir)) {
      log.debug("output directory {} is a symbolic link chosen by the user", outDir);
    }
  }

  Path[] planRejects(List<InputFile> files) {
    Path dir = spec.rejectDir().toAbsolutePath().normalize();
    Path[] out = new Path[files.size()];
    for (InputFile f : files) {
      Path p = dir.resolve(f.relativeName() + ".rejects.csv").normalize();
      if (!ObjectStores.isUnder(dir, p)) {
        throw new ConfigurationException(
            "reject file for " + f.relativeName() + " escapes the reject directory");
      }
      out[f.id()] = p;
    }
    return out;
  }

  /**
   * Whether files may exist in {@code dir}: false only for a local directory that does not exist. A
   * prefix in object storage has objects without existing itself.
   */
  private static boolean mayHoldFiles(Path dir) {
    return ObjectStores.isObjectStore(dir) || Files.isDirectory(dir);
  }

  Path[] planOutputs(List<InputFile> files, @Nullable StateStore state) {
    Path outDir = spec.output().toAbsolutePath().normalize();
    for (Path in : spec.inputs()) {
      Path a = in.toAbsolutePath().normalize();
      if (Files.isDirectory(a)
          && (a.equals(outDir) || a.equals(spec.rejectDir().toAbsolutePath().normalize()))) {
        throw new ConfigurationException(
            "the output directory "
                + outDir
                + " is the input directory "
                + in
                + ": choose another output directory");
      }
    }
    Path[] outputs = new Path[files.size()];
    Map<Path, InputFile> owner = new HashMap<>();
    List<Path> existing = new ArrayList<>();
    // No file exists in a directory that does not: one stat per output directory instead of one
    // per output file when the output directory is new (as in most runs over many small files).
    Map<Path, Boolean> dirExists = new HashMap<>();
    for (InputFile f : files) {
      String name = output.outputName(f.relativeName());
      Path target = outDir.resolve(name).normalize();
      if (!ObjectStores.isUnder(outDir, target) || target.equals(outDir)) {
        throw new ConfigurationException(
            "output name '" + name + "' for " + f.relativeName() + " escapes the output directory");
      }
      InputFile other = owner.putIfAbsent(target, f);
      if (other != null) {
        throw new ConfigurationException(
            "inputs "
                + other.relativeName()
                + " and "
                + f.relativeName()
                + " would both write "
                + target
                + ": rename one or run them separately");
      }
      if (!f.isRemote() && target.equals(f.path().toAbsolutePath().normalize())) {
        throw new ConfigurationException(
            "output " + target + " is the input itself: choose another output directory");
      }
      if (!spec.overwrite()
          && !spec.discardOutput()
          && (target.getParent() == null
              || dirExists.computeIfAbsent(target.getParent(), RunPlanner::mayHoldFiles))
          && Files.exists(target)
          && (state == null || !state.owns(target))) {
        existing.add(target); // a foreign file: a run of this job never wrote or claimed it
      }
      outputs[f.id()] = target;
    }
    refuseSymlinkedDirectories(outDir, outputs);
    if (!existing.isEmpty()) {
      throw new ConfigurationException(
          "output file exists: "
              + ObjectStores.show(existing.get(0))
              + (existing.size() > 1 ? " (and " + (existing.size() - 1) + " more)" : "")
              + ": pass --overwrite (overwrite(true)) to replace, or choose another output directory");
    }
    return outputs;
  }
}
