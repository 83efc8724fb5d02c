package dev.sluice.engine;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import dev.sluice.api.ConfigurationException;
import dev.sluice.api.InputAction;
import dev.sluice.api.LockHeldException;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.spi.InputFile;
import dev.sluice.internal.fs.AtomicWrite;
import dev.sluice.internal.fs.DurableFiles;
import dev.sluice.internal.fs.ObjectStores;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A job's state directory: the run lock and the manifest that lets a rerun skip what an earlier run
 * finished.
 *
 * <p>The manifest ({@code manifest.jsonl}, JSON Lines, versioned by its first line) is append-only:
 * a {@code claim} line per run lists the outputs the run may write that were not ours already
 * (forced before any of them is written, so a crash between a rename and its entry still leaves the
 * output recognisably ours), and a {@code file} line per input records identity, outputs, counts,
 * duration, outcome and the action to take on the input ({@code onSuccess}/{@code onFailure}),
 * which {@link InputActions} carries out after the line is durable and a later run finishes if it
 * did not happen. A {@code file} line is appended and forced only after the output's rename and the
 * directory sync, so it never claims a file that is not fully written. A torn last line (a crash
 * mid-append) is ignored and cut off.
 *
 * <p>The manifest stays proportional to what is live: at each load, the entries of inputs the run
 * no longer lists are dropped, and so are claimed paths that no longer exist. An output that is
 * still there stays ours (claimed) after its input's entry is gone, so a later run never refuses it
 * as a foreign file. The file is compacted (rewritten to that state, atomically) once its dead
 * lines outnumber the live ones.
 *
 * <p>The job fingerprint in the header pins the manifest to one job definition, but only through
 * recorded work: a changed definition is refused (unless {@code full}) when a listed input is
 * recorded as done, or as failed with an action still to finish, since the run would skip it on the
 * strength of the old definition. A manifest with nothing of the kind, a failed first run's say,
 * takes the new definition. Outputs claimed without an entry (a crash between the rename and the
 * entry) do not pin: their inputs are not recorded, so they are processed again, and the outputs,
 * still ours, are replaced.
 *
 * <p>Thread-safe: writers append concurrently under this object's monitor; loading and locking
 * happen on the coordinator before any worker starts.
 */
final class StateStore implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(StateStore.class);
  static final int VERSION = 1;
  static final String MANIFEST = "manifest.jsonl";
  static final String LOCK = "lock";
  static final String OUTPUT_LOCK = ".sluice.lock";
  private static final JsonFactory JSON = new JsonFactory();

  /**
   * What the manifest says about one input file (its last entry). {@code action} is what the run
   * that committed it was to do with the input ({@code delete}, {@code move} to {@code moveTo}), or
   * null to keep it.
   */
  record Entry(
      String file,
      long size,
      long mtime,
      @Nullable String hash,
      String output,
      @Nullable String rejects,
      String outcome,
      @Nullable String action,
      @Nullable String moveTo) {
    boolean done() {
      return outcome.equals("ok") || outcome.equals("ok-with-rejects");
    }
  }

  /** Dead records tolerated beyond the live ones before the manifest is compacted. */
  private static final int SLACK = 64;

  private final Path dir;
  private final Path manifest;
  private final List<Held> locks = new ArrayList<>();
  private final Map<String, Entry> entries = new HashMap<>();

  /**
   * Output and reject paths (absolute, normalised, as strings so that a path of any file system
   * matches) a run of this job claimed or recorded, and that still existed when the manifest was
   * loaded (or were claimed since).
   */
  private final Set<String> owned = new HashSet<>();

  private @Nullable String fingerprint;

  /** Records in the manifest file: its header, {@code file} lines and claimed paths. */
  private int records;

  private @Nullable FileChannel appender;
  private final CrashPoints crash;
  private final InputAction onSuccess;
  private final InputAction onFailure;

  private record Held(FileChannel channel, FileLock lock) {}

  /** A store that only reads (a dry run), or whose runs keep their inputs. */
  StateStore(Path dir, CrashPoints crash) {
    this(dir, crash, InputAction.keep(), InputAction.keep());
  }

  /** A store whose entries record the run's input actions, so that a later run can finish them. */
  StateStore(Path dir, CrashPoints crash, InputAction onSuccess, InputAction onFailure) {
    this.dir = dir;
    this.manifest = dir.resolve(MANIFEST);
    this.crash = crash;
    this.onSuccess = onSuccess;
    this.onFailure = onFailure;
  }

  /** Takes the job's lock and the output directory's, waiting up to {@code wait}. */
  void lock(Path outputDir, Duration wait) throws IOException {
    lock(outputDir, wait, () -> false);
  }

  /** Like {@link #lock(Path, Duration)}; gives up waiting once {@code aborted} says so. */
  void lock(Path outputDir, Duration wait, java.util.function.BooleanSupplier aborted)
      throws IOException {
    DurableFiles.createDirectories(dir);
    DurableFiles.createDirectories(outputDir);
    long deadline = System.nanoTime() + wait.toNanos();
    locks.add(acquire(dir.resolve(LOCK), "job state " + dir, deadline, aborted));
    Path outLock = outputDir.resolve(OUTPUT_LOCK);
    // An object store has no lock to take: the job's own lock, on the local state, is the guard.
    if (!ObjectStores.isObjectStore(outputDir)
        && !outLock
            .toAbsolutePath()
            .normalize()
            .equals(dir.resolve(LOCK).toAbsolutePath().normalize())) {
      locks.add(acquire(outLock, "output directory " + outputDir, deadline, aborted));
    }
  }

  private static Held acquire(
      Path file, String what, long deadline, java.util.function.BooleanSupplier aborted)
      throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    long backoff = 50;
    try {
      while (true) {
        FileLock lock = null;
        boolean inThisJvm = false;
        try {
          lock = ch.tryLock();
        } catch (OverlappingFileLockException e) {
          // Another run in this JVM (an embedder, a test) holds it: the same answer as another
          // process.
          inThisJvm = true;
        }
        if (lock != null) {
          return new Held(ch, lock);
        }
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          throw new LockHeldException(
              "another run holds the lock of the "
                  + what
                  + " ("
                  + file
                  + (inThisJvm ? ", in this JVM" : "")
                  + "): wait for it to finish, or pass --wait-lock DURATION",
              null);
        }
        if (aborted.getAsBoolean()) {
          throw new LockHeldException(
              "stopped while waiting for the lock of the " + what + " (" + file + ")", null);
        }
        // Polling is the only portable way to wait for an OS file lock without blocking forever;
        // at most 250 ms between looks, so that an abort (a signal) ends the wait promptly.
        TimeUnit.MILLISECONDS.sleep(Math.min(backoff, TimeUnit.NANOSECONDS.toMillis(left) + 1));
        backoff = Math.min(backoff * 2, 250);
      }
    } catch (InterruptedException e) {
      ch.close();
      Thread.currentThread().interrupt();
      throw new LockHeldException("interrupted while waiting for the lock of the " + what, e);
    } catch (IOException | RuntimeException e) {
      ch.close();
      throw e;
    }
  }

  /**
   * For a run without state (no job lock): deletes the temp files in {@code dirs} that no live
   * process has open, i.e. that a killed run left. A run locks each temp file while it writes it
   * (OutputFile.Sink), and the OS releases such a lock when its process dies; a temp file that
   * cannot be locked here belongs to a live run, in this JVM or another process, and stays.
   */
  static int removeAbandoned(List<Path> dirs) throws IOException {
    int n = 0;
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      for (Path p : temps(d)) {
        if (deleteIfAbandoned(p)) {
          n++;
        }
      }
    }
    return n;
  }

  /**
   * Deletes the spool files of object-store outputs ({@code sluice-*.spool} in the JVM's temp
   * directory) that a killed run left: as for {@link #removeAbandoned}, only those no live run
   * holds locked. Any run may do it, with state or without, since the spool directory is shared.
   */
  static int removeAbandonedSpools() throws IOException {
    Path dir = Path.of(System.getProperty("java.io.tmpdir"));
    int n = 0;
    try (var s = Files.newDirectoryStream(dir, "sluice-*.spool")) {
      for (Path p : s) {
        if (deleteIfAbandoned(p)) {
          n++;
        }
      }
    }
    return n;
  }

  /** Deletes {@code p} if no live process holds it locked; whether it did. */
  private static boolean deleteIfAbandoned(Path p) {
    try (FileChannel ch = FileChannel.open(p, StandardOpenOption.WRITE)) {
      FileLock lock;
      try {
        lock = ch.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null; // a live run in this JVM has it
      }
      if (lock != null) {
        Files.deleteIfExists(p); // while holding the lock: no one can be writing it
        return true;
      }
    } catch (java.nio.file.NoSuchFileException e) {
      // its run committed or removed it meanwhile
    } catch (IOException | UnsupportedOperationException e) {
      log.debug("cannot tell whether {} is abandoned: {}", p, e.toString());
    }
    return false;
  }

  /** Our temp files ({@code *.sluice-tmp}) under {@code dir}. */
  private static List<Path> temps(Path dir) throws IOException {
    try (var s = Files.walk(dir)) {
      return s.filter(p -> Listing.isTemp(p) && Files.isRegularFile(p))
          .collect(java.util.stream.Collectors.toList());
    }
  }

  /**
   * Deletes temporary files a killed run left in {@code dirs} (only ours: {@code *.sluice-tmp}).
   */
  static int removeOrphans(List<Path> dirs) throws IOException {
    int n = 0;
    for (Path d : dirs) {
      if (!Files.isDirectory(d)) {
        continue;
      }
      for (Path p : temps(d)) {
        Files.deleteIfExists(p);
        n++;
      }
    }
    return n;
  }

  /**
   * Reads the manifest and drops what is no longer live: entries of inputs not in {@code listed}
   * (relative names of the inputs this run listed) and claimed paths that no longer exist. A
   * manifest of another job definition is refused unless {@code full} or nothing recorded pins it
   * (see the class comment); then a new one is started, keeping which outputs are ours.
   */
  void load(String fingerprint, boolean full, Set<String> listed) throws IOException {
    this.fingerprint = fingerprint;
    String recorded = null;
    if (Files.exists(manifest)) {
      recorded = read();
    }
    boolean changed = recorded != null && !recorded.equals(fingerprint);
    if (changed && !full) {
      refuseIfPinned(listed);
      log.info(
          "the job definition changed since the runs recorded in {}, but no listed input is recorded"
              + " as done under the old one: the new definition is taken",
          manifest);
    }
    prune(listed);
    if (full || recorded == null || changed) {
      entries.clear();
      rewrite(); // a fresh manifest for this definition (owned outputs survive as a claim)
    } else if (records > 2 * liveRecords() + SLACK) {
      rewrite();
    }
  }

  /**
   * Reads the manifest without taking the lock or changing anything (for a dry run): a manifest of
   * another job definition is refused unless {@code full}, exactly as a run would.
   */
  void peek(String fingerprint, boolean full, Set<String> listed) throws IOException {
    if (!Files.exists(manifest)) {
      return;
    }
    String recorded = read(false);
    if (!recorded.equals(fingerprint)) {
      if (!full) {
        refuseIfPinned(listed);
      }
      entries.clear();
    }
  }

  /**
   * Refuses a changed job definition if a listed input is recorded as done or as failed with an
   * action to finish: the run would skip it on the strength of the old definition.
   */
  private void refuseIfPinned(Set<String> listed) {
    for (Entry e : entries.values()) {
      if (listed.contains(e.file()) && (e.done() || e.action() != null)) {
        throw new ConfigurationException(
            "the job definition changed since the runs recorded in "
                + manifest
                + " (which records "
                + e.file()
                + " as done): rerun with --full to process every file again, or use another"
                + " --state-dir");
      }
    }
  }

  /**
   * Drops the entries of inputs that are gone and the claims of paths that no longer exist; an
   * output still there stays ours after its entry is gone.
   */
  private void prune(Set<String> listed) {
    int before = entries.size();
    entries.keySet().retainAll(listed);
    Set<String> recordedPaths = recordedPaths();
    int claims = owned.size();
    owned.removeIf(p -> !recordedPaths.contains(p) && !Files.exists(pathOf(p)));
    owned.addAll(recordedPaths);
    if (before != entries.size() || claims != owned.size()) {
      log.debug(
          "manifest {}: {} entries of inputs no longer listed and {} claims of paths that no longer"
              + " exist dropped",
          manifest,
          before - entries.size(),
          claims - owned.size());
    }
  }

  /** The outputs and reject files of the live entries. */
  private Set<String> recordedPaths() {
    Set<String> paths = new HashSet<>();
    for (Entry e : entries.values()) {
      paths.add(e.output());
      if (e.rejects() != null) {
        paths.add(e.rejects());
      }
    }
    return paths;
  }

  /** Records a compacted manifest would hold: the header, the entries, the other claims. */
  private int liveRecords() {
    Set<String> claims = new HashSet<>(owned);
    claims.removeAll(recordedPaths());
    return 1 + entries.size() + claims.size();
  }

  private Path pathOf(String p) {
    return dir.getFileSystem().getPath(p);
  }

  /**
   * Parses the manifest; returns the job fingerprint of its header, cutting off a torn last line.
   */
  private String read() throws IOException {
    return read(true);
  }

  private String read(boolean repair) throws IOException {
    byte[] all = Files.readAllBytes(manifest);
    int end = all.length;
    while (end > 0 && all[end - 1] != '\n') {
      end--; // a crash mid-append leaves a line without its newline: it never happened
    }
    if (end < all.length && repair) {
      log.warn("manifest {}: ignoring a torn last line ({} bytes)", manifest, all.length - end);
      try (FileChannel ch = FileChannel.open(manifest, StandardOpenOption.WRITE)) {
        ch.truncate(end);
        ch.force(true);
      }
    }
    String header = null;
    int start = 0;
    records = 0;
    for (int i = 0; i < end; i++) {
      if (all[i] == '\n') {
        String line = new String(all, start, i - start, StandardCharsets.UTF_8);
        start = i + 1;
        if (line.isBlank()) {
          continue;
        }
        records++;
        Map<String, Object> m = parse(line);
        Object type = m.get("type");
        if ("manifest".equals(type)) {
          Object v = m.get("version");
          if (!(v instanceof Long) || (Long) v != VERSION) {
            throw new ConfigurationException(
                "manifest "
                    + manifest
                    + " has version "
                    + v
                    + "; this Sluice reads version "
                    + VERSION
                    + ": use another --state-dir");
          }
          header = (String) m.get("job");
        } else if ("claim".equals(type)) {
          List<?> paths = (List<?>) m.getOrDefault("paths", List.of());
          for (Object o : paths) {
            owned.add((String) o);
          }
          records += paths.size() - 1;
        } else if ("file".equals(type)) {
          Entry e =
              new Entry(
                  required(m, "file"),
                  (Long) m.getOrDefault("size", -1L),
                  (Long) m.getOrDefault("mtime", -1L),
                  (String) m.get("hash"),
                  required(m, "output"),
                  (String) m.get("rejects"),
                  required(m, "outcome"),
                  (String) m.get("action"),
                  (String) m.get("moveTo"));
          entries.put(e.file(), e);
          owned.add(e.output());
          if (e.rejects() != null) {
            owned.add(e.rejects());
          }
        }
      }
    }
    if (header == null) {
      throw new ConfigurationException(
          "manifest " + manifest + " has no header line: use another --state-dir or remove it");
    }
    return header;
  }

  /** A field every file entry has: without it the manifest was not written by Sluice. */
  private String required(Map<String, Object> m, String key) {
    if (!(m.get(key) instanceof String v)) {
      throw new ConfigurationException(
          "manifest "
              + manifest
              + " has a file entry without \""
              + key
              + "\": use another --state-dir or remove it");
    }
    return v;
  }

  private static Map<String, Object> parse(String line) throws IOException {
    Map<String, Object> m = new HashMap<>();
    try (JsonParser p = JSON.createParser(line)) {
      if (p.nextToken() != JsonToken.START_OBJECT) {
        throw new IOException("manifest line is not an object: " + line);
      }
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String name = p.currentName();
        JsonToken t = p.nextToken();
        if (t == JsonToken.START_ARRAY) {
          List<String> list = new ArrayList<>();
          while (p.nextToken() != JsonToken.END_ARRAY) {
            list.add(p.getText());
          }
          m.put(name, list);
        } else if (t == JsonToken.VALUE_NUMBER_INT) {
          m.put(name, p.getLongValue());
        } else if (t == JsonToken.VALUE_NULL) {
          m.put(name, null);
        } else if (t.isScalarValue()) {
          m.put(name, p.getText());
        } else {
          p.skipChildren();
        }
      }
    }
    return m;
  }

  /**
   * Rewrites the manifest to its current state: the header, one claim of the owned paths no entry
   * records, the last entries.
   */
  private void rewrite() throws IOException {
    closeAppender();
    Set<String> claims = new java.util.TreeSet<>(owned);
    claims.removeAll(recordedPaths());
    AtomicWrite.to(manifest)
        .uniqueTemp("." + MANIFEST + ".", Listing.TEMP_SUFFIX)
        .syncDirectory()
        .write(
            out -> {
              out.write(
                  json(
                      g -> {
                        g.writeStringField("type", "manifest");
                        g.writeNumberField("version", VERSION);
                        g.writeStringField("job", fingerprint);
                        g.writeStringField("created", Instant.now().toString());
                      }));
              if (!claims.isEmpty()) {
                out.write(claimLine(claims));
              }
              for (Entry e : entries.values()) {
                out.write(json(g -> entry(g, e)));
              }
            });
    records = liveRecords();
  }

  private static void write(FileChannel ch, byte[] line) throws IOException {
    ByteBuffer b = ByteBuffer.wrap(line);
    while (b.hasRemaining()) {
      ch.write(b);
    }
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] json(Body body) throws IOException {
    ByteArrayOutputStream out = new ByteArrayOutputStream(256);
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    }
    out.write('\n');
    return out.toByteArray();
  }

  private static byte[] claimLine(Iterable<String> paths) throws IOException {
    return json(
        g -> {
          g.writeStringField("type", "claim");
          g.writeArrayFieldStart("paths");
          for (String p : paths) {
            g.writeString(p);
          }
          g.writeEndArray();
        });
  }

  private static void entry(JsonGenerator g, Entry e) throws IOException {
    g.writeStringField("type", "file");
    g.writeStringField("file", e.file());
    g.writeNumberField("size", e.size());
    g.writeNumberField("mtime", e.mtime());
    if (e.hash() != null) {
      g.writeStringField("hash", e.hash());
    }
    g.writeStringField("output", e.output());
    if (e.rejects() != null) {
      g.writeStringField("rejects", e.rejects());
    }
    g.writeStringField("outcome", e.outcome());
    if (e.action() != null) {
      g.writeStringField("action", e.action());
      if (e.moveTo() != null) {
        g.writeStringField("moveTo", e.moveTo());
      }
    }
  }

  /** The last entry for {@code relativeName}, if any. */
  @Nullable Entry entry(String relativeName) {
    return entries.get(relativeName);
  }

  /** Whether a run of this job wrote, or claimed it might write, {@code path}. */
  boolean owns(Path path) {
    return owned.contains(ObjectStores.name(path));
  }

  /**
   * Records, durably, that this run may write {@code paths} (before it writes any of them); paths
   * already ours are not claimed again.
   */
  synchronized void claim(List<Path> paths) throws IOException {
    List<String> fresh = new ArrayList<>();
    for (Path p : paths) {
      String s = ObjectStores.name(p);
      if (!owned.contains(s)) {
        fresh.add(s);
      }
    }
    if (fresh.isEmpty()) {
      return;
    }
    append(claimLine(fresh));
    records += fresh.size() - 1;
    owned.addAll(fresh);
  }

  /** A file's entry waiting for its files to be durable. */
  record Pending(
      InputFile file,
      @Nullable String hash,
      long mtime,
      Path output,
      @Nullable Path rejects,
      String outcome,
      Map<String, Long> counts,
      long durationMillis) {}

  /**
   * Appends the entries of a group of files whose outputs are committed (or that failed), forcing
   * the manifest once for the whole group.
   */
  synchronized void record(List<Pending> group, String runId) throws IOException {
    if (group.isEmpty()) {
      return;
    }
    ByteArrayOutputStream buf = new ByteArrayOutputStream(256 * group.size());
    for (Pending p : group) {
      boolean failed = p.outcome().equals("failed");
      InputActions.Intent then = InputActions.intent(failed ? onFailure : onSuccess, p.file());
      Entry e =
          new Entry(
              p.file().relativeName(),
              p.file().size(),
              p.mtime(),
              p.hash(),
              ObjectStores.name(p.output()),
              p.rejects() == null ? null : ObjectStores.name(p.rejects()),
              p.outcome(),
              then == null ? null : then.verb(),
              then == null || then.target() == null ? null : then.target().toString());
      buf.write(
          json(
              g -> {
                entry(g, e);
                for (var c : p.counts().entrySet()) {
                  g.writeNumberField(c.getKey(), c.getValue());
                }
                g.writeNumberField("durationMillis", p.durationMillis());
                g.writeStringField("run", runId);
                g.writeStringField("time", Instant.now().toString());
              }));
      entries.put(e.file(), e);
    }
    append(buf.toByteArray());
    records += group.size() - 1;
    for (int i = 0; i < group.size(); i++) {
      crash.at(CrashPoints.MANIFEST);
    }
  }

  private void append(byte[] line) throws IOException {
    if (appender == null) {
      appender = FileChannel.open(manifest, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
    }
    write(appender, line);
    appender.force(false);
    records++;
  }

  private void closeAppender() throws IOException {
    if (appender != null) {
      appender.close();
      appender = null;
    }
  }

  /** The job fingerprint: a hash of everything that decides the output, not of the sizing. */
  static String fingerprint(PipelineSpec s) {
    StringBuilder sb = new StringBuilder("sluice-job-v1\n");
    for (Path p : s.inputs()) {
      sb.append("input=").append(p.toAbsolutePath().normalize()).append('\n');
    }
    sb.append("output=").append(s.output().toAbsolutePath().normalize()).append('\n');
    sb.append("in=").append(format(s.inputFormat())).append('\n');
    sb.append("out=").append(format(s.outputFormat())).append('\n');
    for (var step : s.steps()) {
      String cls = step.getClass().getName();
      sb.append("step=")
          .append(cls.contains("$$Lambda") || cls.contains("$Lambda") ? "lambda" : cls)
          .append(':')
          .append(step.describe())
          .append('\n');
    }
    sb.append("onError=")
        .append(s.onError())
        .append(" maxErrors=")
        .append(s.maxErrors())
        .append(" perFile=")
        .append(s.maxErrorsPerFile())
        .append('\n');
    sb.append("rejects=").append(ObjectStores.name(s.rejectDir())).append('\n');
    sb.append("follow=")
        .append(s.followSymlinks())
        .append(" identity=")
        .append(s.identity())
        .append('\n');
    try {
      byte[] h =
          MessageDigest.getInstance("SHA-256")
              .digest(sb.toString().getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(h);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String format(dev.sluice.api.Format f) {
    return f
        + " quote="
        + (int) f.quote()
        + " columns="
        + f.columns()
        + " max="
        + f.maxRecordSize()
        + " malformed="
        + f.malformedInput()
        + " short="
        + f.allowShortRecords()
        // Only when not the default, so that a job whose manifest was written before the setting
        // existed is not refused on upgrade; files its runs finished keep their output (a blank
        // line was a WRONG_FIELD_COUNT reject then) unless they change or the rerun is --full.
        + (f.blankLines() == dev.sluice.api.Format.BlankLines.SKIP
            ? ""
            : " blank=" + f.blankLines());
  }

  /**
   * SHA-256 of a file's first {@code size} bytes (its size when listed, which is what the run
   * reads; -1 for all of it), for {@code --identity hash}: bytes appended after the listing are not
   * part of what the manifest records as done.
   */
  static String contentHash(Path p, long size) throws IOException {
    try (InputStream in =
        size >= 0
            ? com.google.common.io.ByteStreams.limit(Files.newInputStream(p), size)
            : Files.newInputStream(p)) {
      MessageDigest d = MessageDigest.getInstance("SHA-256");
      byte[] buf = new byte[64 * 1024];
      for (int n; (n = in.read(buf)) > 0; ) {
        d.update(buf, 0, n);
      }
      return HexFormat.of().formatHex(d.digest());
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  @Override
  public void close() {
    try {
      closeAppender();
    } catch (IOException e) {
      log.warn("closing the manifest {}: {}", manifest, e.toString());
    }
    for (Held h : locks) {
      try {
        h.lock().release();
        h.channel().close();
      } catch (IOException e) {
        log.warn("releasing a lock: {}", e.toString());
      }
    }
    locks.clear();
  }
}
