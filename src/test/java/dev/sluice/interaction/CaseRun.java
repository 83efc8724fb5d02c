package dev.sluice.interaction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.sun.net.httpserver.HttpExchange;
import dev.sluice.cli.Main;
import dev.sluice.interaction.Dims.Fmt;
import dev.sluice.interaction.Dims.Formulas;
import dev.sluice.interaction.Dims.Hashing;
import dev.sluice.interaction.Dims.Identity;
import dev.sluice.interaction.Dims.Input;
import dev.sluice.interaction.Dims.Kill;
import dev.sluice.interaction.Dims.Layout;
import dev.sluice.interaction.Dims.OnSuccess;
import dev.sluice.interaction.Dims.Parser;
import dev.sluice.interaction.Dims.Policy;
import dev.sluice.interaction.Dims.RejectDir;
import dev.sluice.interaction.Dims.Select;
import dev.sluice.interaction.Dims.Split;
import dev.sluice.interaction.Dims.State;
import dev.sluice.interaction.Dims.Threads;
import dev.sluice.internal.io.http.LoopbackServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Runs one interaction case through the CLI and checks the invariants on what it leaves: exit code
 * as the README documents, records equal to the {@link Oracle}'s, rejects complete, counts that add
 * up, no temp file anywhere (case directory and the child's system temp directory), no {@code
 * sluice-*} thread alive in-process. A killed case is checked twice: right after the kill (what is
 * under a final name is complete) and after a rerun of the same command (the final state, with
 * state on: nothing recorded is redone).
 *
 * <p>After a kill, with state on, the rerun is the same command: it must give the oracle's outputs
 * and rejects, remove the killed run's temp files, and leave every output and reject file the
 * manifest recorded before the kill untouched (same inode, time and size; URL inputs aside, which
 * every run fetches again). With state off, Sluice has no record of the killed run, so the
 * guarantee is: what the killed run left under a final name is complete, and a rerun with {@code
 * --overwrite} (without a manifest Sluice cannot tell its own earlier outputs from foreign files)
 * gives exactly the oracle's outputs, rejects and counts, with no temp file left anywhere, the
 * killed run's included. A kill lands through a crash point ({@code sluice.test.crashAt}: exit 97
 * at the point), a URL body held half sent, standard input held open half written, or SIGKILL a
 * seeded moment after the run's output appeared; a kill that came after the run had ended is
 * reported as missed, never counted as tested.
 *
 * <p>Runs without standard input or output run in-process ({@link Main#run}, absolute paths),
 * reruns after a kill included; a killed run, and every run with standard input or output, runs in
 * a child JVM whose {@code java.io.tmpdir} is the case's own {@code tmp/} (relative paths from the
 * case directory, unless its rerun is in-process).
 *
 * <p>Not thread-safe: one instance per case.
 */
final class CaseRun {
  private static final ObjectMapper JSON = new ObjectMapper();
  private static final AtomicInteger URL_PREFIXES = new AtomicInteger();
  private static final long CHILD_TIMEOUT_SECONDS = 120;

  final int index;
  final Case c;
  final Path dir;
  private final Random rnd;
  private final LoopbackServer http;
  private final CaseData data;
  private final List<CaseData.InputFile> listed = new ArrayList<>();
  private final List<String> names = new ArrayList<>();
  private final List<Oracle.FileResult> expected = new ArrayList<>();
  private final Map<String, String> nameOf = new HashMap<>();
  private final String urlPrefix;
  final List<String> problems = new ArrayList<>();
  final List<String> notes = new ArrayList<>();

  // The URL stall: one file's body stops half way until the test has killed the child.
  private final AtomicBoolean stallArmed = new AtomicBoolean();
  private volatile String stallPath = "";
  private volatile CountDownLatch stallReached = new CountDownLatch(1);
  private final CountDownLatch stallRelease = new CountDownLatch(1);

  CaseRun(int index, Case c, long seed, Path dir, LoopbackServer http) {
    this.index = index;
    this.c = c;
    this.dir = dir;
    this.rnd = new Random(seed ^ 0x5DEECE66DL);
    this.http = http;
    this.data = CaseData.generate(c, seed);
    this.urlPrefix = "k" + URL_PREFIXES.incrementAndGet() + "/data/";
    List<CaseData.InputFile> sorted = new ArrayList<>(data.files);
    sorted.sort(Comparator.comparing(CaseData.InputFile::rel));
    for (CaseData.InputFile f : sorted) {
      String name =
          c.is(Input.STDIN) ? "stdin." + data.ext : c.is(Input.URL) ? urlPrefix + f.rel() : f.rel();
      listed.add(f);
      names.add(name);
      nameOf.put(f.rel(), name);
      expected.add(Oracle.run(c, data, f, name));
    }
    // The oracle reads the files on its own; it must find exactly what the generator planted.
    List<String> planted =
        data.planted.stream()
            .map(p -> nameOf.get(p.rel()) + ":" + p.line() + ":" + p.type())
            .sorted()
            .collect(Collectors.toList());
    List<String> found =
        allRejects().stream()
            .map(r -> r.file() + ":" + r.line() + ":" + r.type())
            .sorted()
            .collect(Collectors.toList());
    if (!planted.equals(found)) {
      problems.add(
          "test bug: the oracle finds rejects " + found + " but the generator planted " + planted);
    }
  }

  // ---- paths

  private String ext() {
    return Oracle.extension(c);
  }

  private Path out() {
    return dir.resolve("out");
  }

  private Path merged() {
    return dir.resolve("merged").resolve("all." + ext());
  }

  private Path parts() {
    return dir.resolve("parts");
  }

  /** The directory Sluice writes per-input outputs to (the parts of merge and partition). */
  private Path engineOutput() {
    switch (c.get(Layout.class)) {
      case MERGE:
        return merged().resolveSibling(".all." + ext() + ".parts");
      case PARTITION:
        return parts().resolve(".parts");
      default:
        return out();
    }
  }

  private Path rejectRoot() {
    return c.is(RejectDir.EXPLICIT) || c.is(Layout.STDOUT)
        ? dir.resolve("rejects")
        : engineOutput().resolve("_rejects");
  }

  private Path tmp() {
    return dir.resolve("tmp");
  }

  // ---- setup

  private void prepare() throws IOException {
    Files.createDirectories(dir.resolve("in"));
    Files.createDirectories(tmp());
    Files.createDirectories(dir.resolve("logs"));
    for (CaseData.InputFile f : data.files) {
      if (c.is(Input.URL)) {
        String path = "/" + urlPrefix + f.rel();
        http.handle(path, (ex, n) -> serve(ex, path, f.bytes()));
      } else if (!c.is(Input.STDIN)) {
        Path p = dir.resolve("in").resolve(f.rel());
        Files.createDirectories(p.getParent());
        Files.write(p, f.bytes());
      }
    }
    if (c.is(Input.STDIN)) {
      Files.write(dir.resolve("logs/stdin.bin"), data.files.get(0).bytes());
    }
    Files.write(dir.resolve("logs/empty.bin"), new byte[0]);
    if (c.is(Input.DIR) || c.is(Input.GLOB) || c.is(Input.JOB)) {
      // Hidden files are skipped (README); this one would fail any run that read it.
      Files.writeString(dir.resolve("in/.hidden." + data.ext), "not,a\n\"valid file");
    }
    if (c.is(Input.GLOB)) {
      Files.writeString(dir.resolve("in/README.txt"), "the glob must not match this\n");
    }
    Files.write(dir.resolve("key.bin"), data.key);
    if (c.is(Input.JOB)) {
      Files.createDirectories(dir.resolve("jobs"));
      Files.writeString(dir.resolve("jobs/job.job"), jobFile());
    }
  }

  private void serve(HttpExchange ex, String path, byte[] body) throws Exception {
    if (path.equals(stallPath) && stallArmed.compareAndSet(true, false)) {
      ex.sendResponseHeaders(200, body.length);
      OutputStream o = ex.getResponseBody();
      o.write(body, 0, body.length / 2);
      o.flush();
      stallReached.countDown();
      // Holds the body half sent until the test has killed the child.
      stallRelease.await(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS);
      o.write(body, body.length / 2, body.length - body.length / 2);
      o.close();
      return;
    }
    LoopbackServer.send(ex, 200, body);
  }

  private String jobFile() throws IOException {
    ObjectNode job = JSON.createObjectNode();
    job.put("version", 1);
    job.put("name", "interaction-" + index);
    ObjectNode input = job.putObject("input");
    input.putArray("paths").add("../in");
    input.put("format", c.is(Fmt.TSV) ? "tsv" : "csv");
    if (c.is(Split.SMALL)) {
      input.put("splitSize", "2k");
    } else {
      input.put("splitSize", 0); // a number: the string "0" is refused, unlike --split-size 0
    }
    input.put(
        "csvParser", c.is(Parser.FASTCSV) ? "fastcsv" : c.is(Parser.COMMONS) ? "commons" : "bytes");
    ObjectNode output = job.putObject("output");
    if (c.is(Layout.PER_FILE)) {
      output.put("dir", "../out");
    }
    if (joinsInJobFile()) {
      if (c.is(Layout.MERGE)) {
        output.put("mergeFile", "../merged/all." + ext());
      } else if (c.is(Layout.PARTITION)) {
        output.put("dir", "../parts").put("partitionBy", "country");
      }
      if (c.is(OnSuccess.MOVE)) {
        input.put("onSuccess", "move:../archive");
      }
    }
    output.put("format", ext());
    output.put("escapeFormulas", c.is(Formulas.YES));
    output.put("gzip", c.is(Dims.OutGzip.YES));
    ArrayNode steps = job.putArray("steps");
    steps.addObject().put("filter", "amount > " + data.amountThreshold);
    steps.addObject().put("filter", "status != CANCELLED");
    steps.addObject().putArray("upper").add("country");
    if (!c.is(Hashing.NONE)) {
      steps.addObject().putArray("hash").add("email");
    }
    steps.addObject().putObject("rename").put("customer", "client");
    if (c.is(Select.YES)) {
      ArrayNode s = steps.addObject().putArray("select");
      selected().forEach(s::add);
    }
    ObjectNode engine = job.putObject("engine");
    if (c.is(Threads.ONE)) {
      engine.put("threads", 1);
    } else {
      engine.put("readers", 3).put("transformers", 2).put("writers", 2);
    }
    ObjectNode errors = job.putObject("errors");
    errors.put("onError", c.is(Policy.SKIP) ? "skip" : "fail");
    if (c.is(RejectDir.EXPLICIT) || c.is(Layout.STDOUT)) {
      errors.put("rejectDir", "../rejects");
    }
    ObjectNode state = job.putObject("state");
    state.put("enabled", c.is(State.ON));
    if (c.is(State.ON)) {
      state.put("identity", c.is(Identity.HASH) ? "hash" : "stat");
    }
    return JSON.writerWithDefaultPrettyPrinter().writeValueAsString(job);
  }

  private List<String> selected() {
    List<String> s = new ArrayList<>(Oracle.SELECT);
    if (c.is(Formulas.YES)) {
      s.add(CaseData.MEMO);
    }
    return s;
  }

  /** The command line; paths relative to the case directory (child) or absolute (in-process). */
  List<String> args(boolean absolute) {
    java.util.function.Function<String, String> p =
        rel -> absolute ? dir.resolve(rel).toString() : rel;
    List<String> a = new ArrayList<>(List.of("run", "--quiet", "--report", p.apply("report.json")));
    if (c.is(Input.JOB)) {
      a.addAll(List.of("--job", p.apply("jobs/job.job")));
    } else {
      switch (c.get(Input.class)) {
        case DIR:
          a.addAll(List.of("--input", p.apply("in")));
          break;
        case GLOB:
          a.addAll(
              List.of("--input", p.apply("in") + "/**/*.{" + data.ext + "," + data.ext + ".gz}"));
          break;
        case STDIN:
          a.addAll(List.of("--input", "-"));
          break;
        case URL:
          for (CaseData.InputFile f : listed) {
            a.addAll(List.of("--input", http.url("/" + urlPrefix + f.rel()).toString()));
          }
          break;
        default:
          throw new IllegalStateException();
      }
      if (c.is(Fmt.TSV)) {
        a.addAll(List.of("--from", "tsv", "--to", "tsv"));
      } else if (c.is(Fmt.JSONL)) {
        a.addAll(List.of("--to", "jsonl"));
      }
      if (c.is(Policy.SKIP)) {
        a.addAll(List.of("--on-error", "skip"));
      }
      a.addAll(
          List.of(
              "--filter",
              "amount > " + data.amountThreshold,
              "--filter",
              "status != CANCELLED",
              "--upper",
              "country"));
      if (!c.is(Hashing.NONE)) {
        a.addAll(List.of("--hash", "email"));
      }
      a.addAll(List.of("--rename", "customer=client"));
      if (c.is(Select.YES)) {
        a.addAll(List.of("--select", String.join(",", selected())));
      }
      if (c.is(State.OFF)) {
        a.add("--no-state");
      } else if (c.is(Identity.HASH)) {
        a.addAll(List.of("--identity", "hash"));
      }
      if (c.is(Threads.ONE)) {
        a.addAll(List.of("--threads", "1"));
      } else {
        a.addAll(List.of("--readers", "3", "--transformers", "2", "--writers", "2"));
      }
      a.addAll(List.of("--split-size", c.is(Split.SMALL) ? "2k" : "0"));
      if (c.is(Parser.FASTCSV)) {
        a.addAll(List.of("--csv-parser", "fastcsv"));
      } else if (c.is(Parser.COMMONS)) {
        a.addAll(List.of("--csv-parser", "commons"));
      }
      if (c.is(RejectDir.EXPLICIT) || c.is(Layout.STDOUT)) {
        a.addAll(List.of("--reject-dir", p.apply("rejects")));
      }
      if (c.is(Formulas.YES)) {
        a.add("--escape-formulas");
      }
    }
    switch (c.get(Layout.class)) {
      case PER_FILE:
        if (!c.is(Input.JOB)) {
          a.addAll(List.of("--output", p.apply("out")));
        }
        break;
      case MERGE:
        if (!joinsInJobFile()) {
          a.addAll(List.of("--merge-output", p.apply("merged/all." + ext())));
        }
        break;
      case PARTITION:
        if (!joinsInJobFile()) {
          a.addAll(List.of("--output", p.apply("parts"), "--partition-by", "country"));
        }
        break;
      case STDOUT:
        a.addAll(List.of("--output", "-"));
        break;
      default:
        throw new IllegalStateException();
    }
    if (c.is(Hashing.KEYED)) {
      a.addAll(List.of("--hash-key-file", p.apply("key.bin")));
    }
    if (c.is(Dims.OutGzip.YES) && !c.is(Input.JOB)) {
      a.add("--gzip-output");
    }
    if (c.is(OnSuccess.MOVE) && !joinsInJobFile()) {
      a.addAll(List.of("--on-success", "move:" + p.apply("archive")));
    }
    return a;
  }

  /**
   * Whether a job file case names its merged file or partitions and its on-success move itself
   * ({@code output.mergeFile}, {@code output.partitionBy}, {@code input.onSuccess}): every other
   * job case, so that both the file's keys and the flags laid over a file are exercised.
   */
  private boolean joinsInJobFile() {
    return c.is(Input.JOB) && index % 2 == 0;
  }

  private boolean inChild() {
    return c.is(Kill.YES) || streams();
  }

  /** Standard input or output: spooled through the system temp directory, so always a child. */
  private boolean streams() {
    return c.is(Input.STDIN) || c.is(Layout.STDOUT);
  }

  // ---- running

  /** What one command did. */
  record Outcome(int code, byte[] stdout, String err) {}

  /** Runs the case and returns its problems (empty: every invariant held). */
  List<String> run() throws Exception {
    prepare();
    if (c.is(Kill.YES)) {
      killThenRerun();
    } else {
      Outcome o = inChild() ? child(args(false), null) : inProcess();
      check(o, false);
    }
    return problems;
  }

  private Outcome inProcess() {
    return inProcess(args(true));
  }

  private Outcome inProcess(List<String> args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = Main.run(new PrintWriter(out), new PrintWriter(err), args.toArray(new String[0]));
    List<String> alive =
        Thread.getAllStackTraces().keySet().stream()
            .filter(t -> t.isAlive() && t.getName().startsWith("sluice-"))
            .map(Thread::getName)
            .sorted()
            .collect(Collectors.toList());
    if (!alive.isEmpty()) {
      problems.add("sluice threads alive after Main.run returned: " + alive);
    }
    return new Outcome(code, out.toString().getBytes(StandardCharsets.UTF_8), err.toString());
  }

  private int logCount;

  private Outcome child(List<String> args, String crashAt) throws Exception {
    int n = ++logCount;
    Path stdout = dir.resolve("logs/stdout-" + n + ".bin");
    Path stderr = dir.resolve("logs/stderr-" + n + ".txt");
    Path stdin = dir.resolve(c.is(Input.STDIN) ? "logs/stdin.bin" : "logs/empty.bin");
    Process p = Child.start(dir, tmp(), crashAt, args, stdin, stdout, stderr);
    if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
      p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
      problems.add(
          "child JVM still running after "
              + CHILD_TIMEOUT_SECONDS
              + " s (killed): "
              + tail(Files.readString(stderr)));
      return new Outcome(-1, new byte[0], Files.readString(stderr));
    }
    return new Outcome(p.exitValue(), Files.readAllBytes(stdout), Files.readString(stderr));
  }

  // ---- kill and rerun

  private void killThenRerun() throws Exception {
    List<String> modes = new ArrayList<>();
    long okOutputs = expected.stream().filter(e -> !e.failed()).count();
    long withRejects = expected.stream().filter(e -> !e.rejects().isEmpty()).count();
    modes.add("rename:" + (1 + rnd.nextInt((int) Math.max(1, okOutputs))));
    if (c.is(Policy.SKIP) && withRejects > 0) {
      modes.add("rejects:" + (1 + rnd.nextInt((int) withRejects)));
    }
    if (c.is(State.ON)) {
      modes.add("manifest:" + (1 + rnd.nextInt(expected.size())));
    }
    if (c.is(Input.URL)) {
      modes.add("stall-url");
    }
    if (c.is(Input.STDIN)) {
      modes.add("stall-stdin");
    }
    modes.add("timed");
    String mode = modes.get(rnd.nextInt(modes.size()));
    boolean landed = kill(mode);
    notes.add(
        "kill "
            + mode
            + (landed
                ? " landed mid-run"
                : " MISSED (the run ended first; the rerun checks still apply)"));
    afterKill();
  }

  /** Kills the first run as {@code mode} says; true if the kill landed before the run ended. */
  private boolean kill(String mode) throws Exception {
    // With a rerun in-process (below), the killed run gets the same absolute paths.
    List<String> args = args(!streams());
    Path stdout = dir.resolve("logs/killed-stdout.bin");
    Path stderr = dir.resolve("logs/killed-stderr.txt");
    Path stdin = dir.resolve(c.is(Input.STDIN) ? "logs/stdin.bin" : "logs/empty.bin");
    if (mode.contains(":")) {
      Process p = Child.start(dir, tmp(), mode, args, stdin, stdout, stderr);
      if (!p.waitFor(CHILD_TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        problems.add(
            "killed run (crash point " + mode + ") hung: " + tail(Files.readString(stderr)));
        return true;
      }
      // 97: CrashPoints halted the JVM at the point, as a SIGKILL there would.
      return p.exitValue() == 97;
    }
    if (mode.equals("stall-url")) {
      CaseData.InputFile f = listed.get(rnd.nextInt(listed.size()));
      stallPath = "/" + urlPrefix + f.rel();
      stallReached = new CountDownLatch(1);
      stallArmed.set(true);
      Process p = Child.start(dir, tmp(), null, args, stdin, stdout, stderr);
      boolean reached = false;
      while (!reached && p.isAlive()) {
        reached = stallReached.await(100, TimeUnit.MILLISECONDS);
      }
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      stallArmed.set(false);
      stallRelease.countDown();
      return reached && killedBySignal(p);
    }
    if (mode.equals("stall-stdin")) {
      Process p = Child.start(dir, tmp(), null, args, null, stdout, stderr);
      byte[] in = data.files.get(0).bytes();
      OutputStream o = p.getOutputStream();
      o.write(in, 0, in.length / 2);
      o.flush();
      // The child cannot finish before standard input ends, so a kill now lands mid-command;
      // waiting for its spool (if it makes one in the temp directory) lands it mid-spool too.
      long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
      while (p.isAlive() && System.nanoTime() < until && listTmp().isEmpty()) {
        p.waitFor(5, TimeUnit.MILLISECONDS);
      }
      p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
      try {
        o.close();
      } catch (IOException e) {
        // The pipe's reader is gone: nothing to close cleanly.
      }
      return killedBySignal(p);
    }
    // timed: once the run has visibly started (an output or temp directory appeared), a seeded
    // delay, then SIGKILL; it landed only if the process was still running then.
    Process p = Child.start(dir, tmp(), null, args, stdin, stdout, stderr);
    long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(CHILD_TIMEOUT_SECONDS);
    while (p.isAlive() && System.nanoTime() < until && !started()) {
      p.waitFor(2, TimeUnit.MILLISECONDS);
    }
    p.waitFor(rnd.nextInt(60), TimeUnit.MILLISECONDS);
    p.destroyForcibly().waitFor(30, TimeUnit.SECONDS);
    return killedBySignal(p);
  }

  /** 137 = 128 + SIGKILL: the process was still running when the kill came. */
  private static boolean killedBySignal(Process p) {
    return !p.isAlive() && p.exitValue() == 137;
  }

  private boolean started() throws IOException {
    return Files.exists(out())
        || Files.exists(merged().getParent())
        || Files.exists(parts())
        || !listTmp().isEmpty();
  }

  private void afterKill() throws Exception {
    // What is under a final name must be complete, killed or not.
    checkOutputs(true, "after the kill");
    // Standard input is always processed in full (a pipe has no identity to resume from; README),
    // so only file inputs keep what the manifest recorded.
    Map<Path, String> recorded =
        c.is(State.ON) && !c.is(Input.URL) && !c.is(Input.STDIN) ? recordedOutputs() : Map.of();
    List<String> rerun = new ArrayList<>(args(!streams()));
    if (c.is(State.OFF) && !c.is(Layout.STDOUT)) {
      // Without a manifest Sluice cannot tell its earlier outputs from foreign files: say so.
      rerun.add("--overwrite");
    }
    // In-process unless the system temp directory is involved: faster, and the thread check runs.
    Outcome o = streams() ? child(rerun, null) : inProcess(rerun);
    check(o, true);
    for (Map.Entry<Path, String> e : recorded.entrySet()) {
      String now = Files.exists(e.getKey()) ? identity(e.getKey()) : "missing";
      if (!now.equals(e.getValue())) {
        problems.add(
            "recorded as done in the manifest before the kill, but redone or removed by the rerun: "
                + dir.relativize(e.getKey())
                + " ("
                + e.getValue()
                + " -> "
                + now
                + ")");
      }
    }
  }

  /** Outputs and reject files of inputs the manifest records as done: path to file identity. */
  private Map<Path, String> recordedOutputs() throws IOException {
    Path manifest = engineOutput().resolve(".sluice/manifest.jsonl");
    Map<Path, String> m = new TreeMap<>();
    if (!Files.exists(manifest)) {
      return m;
    }
    for (String line : Files.readAllLines(manifest)) {
      JsonNode n;
      try {
        n = JSON.readTree(line);
      } catch (IOException e) {
        continue; // a torn last line, which the manifest's reader ignores too
      }
      if (n != null
          && "file".equals(n.path("type").asText())
          && n.path("outcome").asText().startsWith("ok")) {
        for (String k : List.of("output", "rejects")) {
          if (n.hasNonNull(k)) {
            Path p = Path.of(n.get(k).asText());
            if (Files.exists(p)) {
              m.put(p, identity(p));
            }
          }
        }
      }
    }
    return m;
  }

  private static String identity(Path p) throws IOException {
    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
    return "inode "
        + a.fileKey()
        + " mtime "
        + a.lastModifiedTime().toMillis()
        + " size "
        + a.size();
  }

  // ---- the invariants

  private List<Oracle.FileResult> okFiles() {
    return expected.stream().filter(e -> !e.failed()).collect(Collectors.toList());
  }

  private List<Oracle.Reject> allRejects() {
    return expected.stream().flatMap(e -> e.rejects().stream()).collect(Collectors.toList());
  }

  private boolean anyBad() {
    return !allRejects().isEmpty();
  }

  /**
   * Output column sets differ between files that end up in one output (merge, partition, stdout).
   */
  private boolean columnSetsDiffer() {
    if (c.is(Layout.PER_FILE)) {
      return false;
    }
    return okFiles().stream().map(e -> Set.copyOf(e.columns())).distinct().count() > 1;
  }

  private void check(Outcome o, boolean afterKill) throws Exception {
    boolean conflict = columnSetsDiffer();
    boolean failFast = c.is(Policy.FAIL) && anyBad();
    int normal = c.is(Policy.SKIP) && anyBad() ? 3 : 0;
    Set<Integer> allowed = new LinkedHashSet<>();
    if (failFast) {
      allowed.add(1);
      if (conflict) {
        allowed.add(2);
      }
    } else {
      allowed.add(normal);
      if (afterKill && c.is(State.ON) && normal == 3) {
        allowed.add(0); // the rerun skipped the files whose rejects an earlier run recorded
      }
      if (conflict) {
        // The issue leaves the choice: match by name (union, empty where missing) or a clear
        // error naming both files.
        allowed.add(1);
        allowed.add(2);
      }
    }
    String when = afterKill ? "rerun after the kill" : "run";
    if (!allowed.contains(o.code())) {
      problems.add(
          when
              + ": exit "
              + o.code()
              + ", expected "
              + allowed
              + describeExpectation(conflict)
              + "; stderr: "
              + tail(o.err()));
    }
    if (o.code() == 0 || o.code() == 3) {
      checkOutputs(false, when);
      if (c.is(Layout.STDOUT)) {
        checkMerged(parse(o.stdout(), "standard output"), "standard output", false);
      }
      if (c.is(Policy.SKIP)) {
        checkRejects(when);
      }
      checkReport(afterKill, when);
      if (c.is(OnSuccess.MOVE)) {
        checkMoves(when);
      }
    } else if (o.code() == 1 || o.code() == 2) {
      if (failFast && allowed.contains(o.code()) && !conflict) {
        boolean named = false;
        for (Oracle.Reject r : allRejects()) {
          named |= o.err().contains(r.file()) && o.err().contains("line " + r.line());
        }
        if (!named) {
          problems.add(
              when
                  + ": the error does not name a bad record's file and line (planted: "
                  + rejectKeys(allRejects())
                  + "): "
                  + tail(o.err()));
        }
      }
      if (conflict && !failFast && allowed.contains(o.code())) {
        long namedFiles =
            okFiles().stream()
                .map(e -> base(e.name()))
                .filter(o.err()::contains)
                .distinct()
                .count();
        if (namedFiles < 2) {
          problems.add(
              when
                  + ": files with different columns refused, but the error does not name both files: "
                  + tail(o.err()));
        }
      }
      checkOutputs(true, when + " (failed)");
      if (c.is(Layout.STDOUT) && o.stdout().length > 0) {
        problems.add(
            when
                + ": exit "
                + o.code()
                + " but "
                + o.stdout().length
                + " bytes on standard output");
      }
    }
    checkNoTempFiles(when);
  }

  private String describeExpectation(boolean conflict) {
    List<String> why = new ArrayList<>();
    if (anyBad()) {
      why.add("planted rejects " + rejectKeys(allRejects()));
    }
    if (conflict) {
      why.add("output columns differ between files");
    }
    return why.isEmpty() ? "" : " (" + String.join("; ", why) + ")";
  }

  private static String rejectKeys(List<Oracle.Reject> rs) {
    return rs.stream()
        .map(r -> r.file() + ":" + r.line() + ":" + r.type())
        .collect(Collectors.joining(", "));
  }

  /**
   * The outputs of the layout. {@code partial}: each output under a final name must be complete
   * (after a kill or a failure), but may be missing; otherwise every output must be there.
   */
  private void checkOutputs(boolean partial, String when) throws IOException {
    switch (c.get(Layout.class)) {
      case PER_FILE:
        checkPerFile(partial, when);
        break;
      case MERGE:
        checkUnexpected(
            merged().getParent(),
            Set.of(merged().getFileName().toString()),
            "." + merged().getFileName() + ".parts/",
            when);
        if (Files.exists(merged())) {
          if (partial && c.is(Policy.FAIL) && anyBad()) {
            problems.add(when + ": the run failed but " + dir.relativize(merged()) + " exists");
          } else {
            checkMerged(
                parse(Files.readAllBytes(merged()), "merged file"),
                when + ": " + dir.relativize(merged()),
                false);
          }
        } else if (!partial) {
          problems.add(when + ": no merged file " + dir.relativize(merged()));
        }
        break;
      case PARTITION:
        checkPartitions(partial, when);
        break;
      case STDOUT:
        break;
      default:
        throw new IllegalStateException();
    }
  }

  private void checkPerFile(boolean partial, String when) throws IOException {
    Path root = c.is(Layout.PER_FILE) ? out() : engineOutput();
    Set<String> expectedNames = new LinkedHashSet<>();
    for (Oracle.FileResult e : expected) {
      Path p = root.resolve(e.outputRel());
      boolean cannotExist = e.failed() || (partial && c.is(Policy.FAIL) && !e.rejects().isEmpty());
      if (!cannotExist) {
        expectedNames.add(e.outputRel());
      }
      if (Files.exists(p)) {
        if (cannotExist) {
          problems.add(
              when
                  + ": output of "
                  + e.name()
                  + " exists though the file "
                  + (e.failed() ? "failed whole" : "has bad records under --on-error fail")
                  + ": "
                  + dir.relativize(p));
        } else {
          checkFile(
              e, parse(Files.readAllBytes(p), e.outputRel()), when + ": " + dir.relativize(p));
        }
      } else if (!partial && !cannotExist) {
        problems.add(when + ": missing output " + dir.relativize(p) + " for input " + e.name());
      }
    }
    checkUnexpected(root, expectedNames, null, when);
  }

  /**
   * Files under {@code root} other than {@code allowed} (relative names), the state directory, the
   * lock, the default reject directory and {@code internalPrefix}, are unexpected.
   */
  private void checkUnexpected(Path root, Set<String> allowed, String internalPrefix, String when)
      throws IOException {
    if (!Files.isDirectory(root)) {
      return;
    }
    for (Path p : walk(root)) {
      String rel = root.relativize(p).toString();
      boolean ok =
          allowed.contains(rel)
              || rel.startsWith(".sluice/")
              || rel.equals(".sluice.lock")
              || rel.startsWith("_rejects/")
              || (internalPrefix != null && rel.startsWith(internalPrefix));
      if (!ok && !isTemp(p)) {
        problems.add(when + ": unexpected file " + dir.relativize(p));
      }
    }
  }

  /** One file's output: header (or JSON keys) in order, values in order. */
  private void checkFile(Oracle.FileResult e, Table t, String where) {
    problems.addAll(t.problems().stream().map(x -> where + ": " + x).collect(Collectors.toList()));
    List<String> cols = outColumns(e.columns());
    if (!c.is(Fmt.JSONL) && !cols.equals(t.header())) {
      problems.add(where + ": header " + t.header() + ", expected " + cols);
      return;
    }
    List<List<String>> actual = new ArrayList<>();
    for (Map<String, String> row : t.rows()) {
      if (c.is(Fmt.JSONL) && !new ArrayList<>(row.keySet()).equals(e.columns())) {
        problems.add(where + ": JSON keys " + row.keySet() + ", expected " + e.columns());
        return;
      }
      actual.add(new ArrayList<>(row.values()));
    }
    compareRows(e.rows(), actual, where);
  }

  private void compareRows(List<?> exp, List<?> act, String where) {
    if (exp.equals(act)) {
      return;
    }
    int i = 0;
    while (i < exp.size() && i < act.size() && exp.get(i).equals(act.get(i))) {
      i++;
    }
    problems.add(
        where
            + ": "
            + act.size()
            + " records, expected "
            + exp.size()
            + "; first difference at record "
            + (i + 1)
            + ": expected "
            + (i < exp.size() ? exp.get(i) : "none")
            + ", got "
            + (i < act.size() ? act.get(i) : "none"));
  }

  /** Column names as they appear in the output: escaped in CSV and TSV headers. */
  private List<String> outColumns(List<String> cols) {
    if (!c.is(Formulas.YES) || c.is(Fmt.JSONL)) {
      return cols;
    }
    return cols.stream().map(Oracle::escape).collect(Collectors.toList());
  }

  private String outColumn(String col) {
    return outColumns(List.of(col)).get(0);
  }

  /** The union of the OK files' output columns, in order of first appearance. */
  private List<String> union() {
    Set<String> u = new LinkedHashSet<>();
    okFiles().forEach(e -> u.addAll(e.columns()));
    return new ArrayList<>(u);
  }

  /**
   * Every expected record of the single-output layouts, listing order then input order, by name.
   */
  private List<Map<String, String>> expectedMergedRows() {
    List<Map<String, String>> rows = new ArrayList<>();
    for (Oracle.FileResult e : okFiles()) {
      for (List<String> r : e.rows()) {
        Map<String, String> m = new TreeMap<>();
        for (int i = 0; i < r.size(); i++) {
          if (!r.get(i).isEmpty()) {
            m.put(outColumn(e.columns().get(i)), r.get(i));
          }
        }
        rows.add(m);
      }
    }
    return rows;
  }

  /** A record by name, empty values left out, so "missing" and "empty" compare equal. */
  private static Map<String, String> byName(Map<String, String> row) {
    Map<String, String> m = new TreeMap<>();
    row.forEach(
        (k, v) -> {
          if (!v.isEmpty()) {
            m.put(k, v);
          }
        });
    return m;
  }

  /** Merge or stdout: one header naming the union of columns; records matched by column name. */
  private void checkMerged(Table t, String where, boolean partitionSubset) {
    problems.addAll(t.problems().stream().map(x -> where + ": " + x).collect(Collectors.toList()));
    List<String> union = outColumns(union());
    if (!c.is(Fmt.JSONL)) {
      if (t.header() == null) {
        if (!expectedMergedRows().isEmpty() || !partitionSubset) {
          problems.add(where + ": no header");
        }
        return;
      }
      boolean sameLists =
          okFiles().stream().map(Oracle.FileResult::columns).distinct().count() <= 1;
      if (sameLists) {
        if (!t.header().equals(union)) {
          problems.add(where + ": header " + t.header() + ", expected " + union);
        }
      } else if (partitionSubset
          ? !union.containsAll(t.header())
          : !new LinkedHashSet<>(t.header()).equals(new LinkedHashSet<>(union))
              || t.header().size() != union.size()) {
        problems.add(
            where
                + ": header "
                + t.header()
                + " is not the files' columns matched by name "
                + union);
      }
    } else {
      for (Map<String, String> row : t.rows()) {
        if (!union.containsAll(normalizedKeys(row))) {
          problems.add(
              where + ": JSON keys " + row.keySet() + " are not among the files' columns " + union);
          break;
        }
      }
    }
    if (!partitionSubset) {
      compareRows(
          expectedMergedRows(),
          t.rows().stream().map(this::normalize).collect(Collectors.toList()),
          where);
    }
  }

  private Set<String> normalizedKeys(Map<String, String> row) {
    return normalize(row).keySet();
  }

  /** JSON keys may carry the formula escape or not (a JSON key is no spreadsheet cell). */
  private Map<String, String> normalize(Map<String, String> row) {
    Map<String, String> m = byName(row);
    if (!c.is(Fmt.JSONL)) {
      return m;
    }
    Map<String, String> out = new TreeMap<>();
    m.forEach(
        (k, v) ->
            out.put(k.startsWith("'") && Oracle.risky(k.substring(1)) ? k.substring(1) : k, v));
    return out;
  }

  private void checkPartitions(boolean partial, String when) throws IOException {
    checkUnexpectedPartitionFiles(when);
    Map<String, List<Map<String, String>>> groups = new LinkedHashMap<>();
    for (Map<String, String> r : expectedMergedRows()) {
      groups.computeIfAbsent(r.getOrDefault("country", ""), k -> new ArrayList<>()).add(r);
    }
    Map<String, Path> seen = new HashMap<>();
    for (Path p : partitionFiles()) {
      String where = when + ": " + dir.relativize(p);
      if (partial && c.is(Policy.FAIL) && anyBad()) {
        problems.add(when + ": the run failed but partition file " + dir.relativize(p) + " exists");
        continue;
      }
      Table t = parse(Files.readAllBytes(p), where);
      checkMerged(t, where, true);
      Set<String> values =
          t.rows().stream().map(r -> r.getOrDefault("country", "")).collect(Collectors.toSet());
      String dirName = p.getParent().getFileName().toString();
      if (values.size() != 1) {
        problems.add(
            where
                + ": holds "
                + values.size()
                + " values of country: "
                + abbreviate(values.toString()));
        continue;
      }
      String v = values.iterator().next();
      Path other = seen.put(v, p);
      if (other != null) {
        problems.add(where + ": country " + abbreviate(v) + " also in " + dir.relativize(other));
      }
      if (!dirName.startsWith("country=")
          || dirName.chars().anyMatch(ch -> ch < 0x20 || ch == 0x7f)
          || dirName.getBytes(StandardCharsets.UTF_8).length > 255) {
        problems.add(
            where
                + ": unsafe partition directory name "
                + abbreviate(dirName.replace("\u0001", "\\u0001")));
      }
      if (v.matches("[A-Z]{2}") && !dirName.equals("country=" + v)) {
        problems.add(where + ": partition of " + v + " is not named country=" + v);
      }
      List<Map<String, String>> exp = groups.getOrDefault(v, List.of());
      compareRows(exp, t.rows().stream().map(this::normalize).collect(Collectors.toList()), where);
    }
    if (!partial) {
      for (String v : groups.keySet()) {
        if (!seen.containsKey(v)) {
          problems.add(
              when
                  + ": no partition file holds country "
                  + abbreviate(v.replace("\u0001", "\\u0001"))
                  + " ("
                  + groups.get(v).size()
                  + " records)");
        }
      }
    }
  }

  private List<Path> partitionFiles() throws IOException {
    if (!Files.isDirectory(parts())) {
      return List.of();
    }
    List<Path> out = new ArrayList<>();
    for (Path p : walk(parts())) {
      String rel = parts().relativize(p).toString();
      if (!rel.startsWith(".parts/") && !isTemp(p) && isPartName(p)) {
        out.add(p);
      }
    }
    return out;
  }

  /** {@code part.csv}; with {@code --gzip-output} {@code part.csv.gz} is accepted too. */
  private boolean isPartName(Path p) {
    String n = p.getFileName().toString();
    return n.equals("part." + ext())
        || (c.is(Dims.OutGzip.YES) && n.equals("part." + ext() + ".gz"));
  }

  private void checkUnexpectedPartitionFiles(String when) throws IOException {
    if (!Files.isDirectory(parts())) {
      return;
    }
    for (Path p : walk(parts())) {
      String rel = parts().relativize(p).toString();
      if (!rel.startsWith(".parts/")
          && !isTemp(p)
          && !(isPartName(p) && p.getParent().getParent().equals(parts()))) {
        problems.add(when + ": unexpected file under the partition root: " + dir.relativize(p));
      }
    }
  }

  private void checkRejects(String when) throws IOException {
    Path root = rejectRoot();
    List<String> actual = new ArrayList<>();
    Map<String, String> rawOf = new HashMap<>();
    if (Files.isDirectory(root)) {
      for (Path p : walk(root)) {
        if (isTemp(p)) {
          continue;
        }
        String rel = root.relativize(p).toString();
        if (!rel.endsWith(".rejects.csv")) {
          problems.add(when + ": unexpected file in the reject directory: " + dir.relativize(p));
          continue;
        }
        String file = rel.substring(0, rel.length() - ".rejects.csv".length());
        TinyCsv.Parsed parsed = TinyCsv.parse(Files.readString(p), ',');
        List<TinyCsv.Rec> recs = parsed.records();
        if (recs.isEmpty()
            || !recs.get(0)
                .fields()
                .equals(
                    List.of("file", "line", "byte_offset", "column", "type", "message", "raw"))) {
          problems.add(
              when
                  + ": reject file "
                  + dir.relativize(p)
                  + " has header "
                  + (recs.isEmpty() ? "none" : recs.get(0).fields()));
          continue;
        }
        for (TinyCsv.Rec r : recs.subList(1, recs.size())) {
          List<String> f = r.fields();
          if (f.size() != 7) {
            problems.add(
                when
                    + ": reject file "
                    + dir.relativize(p)
                    + " line "
                    + r.line()
                    + " has "
                    + f.size()
                    + " fields");
            continue;
          }
          if (!f.get(0).equals(file)) {
            problems.add(when + ": reject file " + dir.relativize(p) + " names file " + f.get(0));
          }
          String key = f.get(0) + ":" + f.get(1) + ":" + f.get(4);
          actual.add(key);
          rawOf.put(key, f.get(6));
        }
      }
    }
    List<String> exp = new ArrayList<>();
    for (Oracle.Reject r : allRejects()) {
      String key = r.file() + ":" + r.line() + ":" + r.type();
      exp.add(key);
      String raw = rawOf.get(key);
      String want = c.is(Formulas.YES) ? Oracle.escape(r.raw()) : r.raw();
      if (raw != null && r.type().equals("WRONG_FIELD_COUNT") && !raw.equals(want)) {
        problems.add(
            when
                + ": reject "
                + key
                + " has raw "
                + show(raw)
                + ", expected the record's text "
                + show(want));
      }
    }
    actual.sort(null);
    exp.sort(null);
    if (!actual.equals(exp)) {
      List<String> missing = new ArrayList<>(exp);
      actual.forEach(missing::remove);
      List<String> extra = new ArrayList<>(actual);
      exp.forEach(extra::remove);
      problems.add(
          when
              + ": rejects under "
              + dir.relativize(root)
              + " differ: missing "
              + missing
              + ", unexpected "
              + extra);
    }
  }

  private void checkReport(boolean afterKill, String when) throws IOException {
    Path report = dir.resolve("report.json");
    if (!Files.exists(report)) {
      problems.add(when + ": no --report file");
      return;
    }
    JsonNode r = JSON.readTree(report.toFile());
    JsonNode rec = r.path("records");
    long read = rec.path("read").asLong();
    long passed = rec.path("passed").asLong();
    long filtered = rec.path("filtered").asLong();
    long rejected = rec.path("rejected").asLong();
    long abandoned = rec.path("abandoned").asLong();
    if (read != passed + filtered + rejected + abandoned) {
      problems.add(
          when
              + ": report counts do not add up: read "
              + read
              + " != passed "
              + passed
              + " + filtered "
              + filtered
              + " + rejected "
              + rejected
              + " + abandoned "
              + abandoned);
    }
    boolean wholeRun = !afterKill || c.is(State.OFF) || c.is(Input.URL);
    if (!wholeRun) {
      return;
    }
    long expPassed = okFiles().stream().mapToLong(Oracle.FileResult::passed).sum();
    long expFiltered = okFiles().stream().mapToLong(Oracle.FileResult::filtered).sum();
    long expRejected = okFiles().stream().mapToLong(e -> e.rejects().size()).sum();
    long expFailed = expected.size() - okFiles().size();
    if (passed != expPassed
        || filtered != expFiltered
        || rejected < expRejected
        || abandoned != 0) {
      problems.add(
          when
              + ": report records passed "
              + passed
              + " filtered "
              + filtered
              + " rejected "
              + rejected
              + " abandoned "
              + abandoned
              + ", expected passed "
              + expPassed
              + " filtered "
              + expFiltered
              + " rejected >= "
              + expRejected
              + " abandoned 0");
    }
    if (r.path("files").asLong() != okFiles().size()
        || r.path("filesFailed").asLong() != expFailed) {
      problems.add(
          when
              + ": report files "
              + r.path("files").asLong()
              + " failed "
              + r.path("filesFailed").asLong()
              + ", expected "
              + okFiles().size()
              + " and "
              + expFailed);
    }
  }

  private void checkMoves(String when) throws IOException {
    for (int i = 0; i < listed.size(); i++) {
      CaseData.InputFile f = listed.get(i);
      Path in = dir.resolve("in").resolve(f.rel());
      Path moved = dir.resolve("archive").resolve(f.rel());
      if (expected.get(i).failed()) {
        if (!Files.exists(in)) {
          problems.add(
              when
                  + ": input "
                  + f.rel()
                  + " failed whole but is gone from in/ (--on-failure keep)");
        }
      } else if (Files.exists(in)
          || !Files.exists(moved)
          || !java.util.Arrays.equals(Files.readAllBytes(moved), f.bytes())) {
        problems.add(
            when
                + ": input "
                + f.rel()
                + " not moved intact to archive/ (in/: "
                + Files.exists(in)
                + ", archive/: "
                + Files.exists(moved)
                + ")");
      }
    }
  }

  private void checkNoTempFiles(String when) throws IOException {
    List<String> temps = new ArrayList<>();
    for (Path p : walk(dir)) {
      String rel = dir.relativize(p).toString();
      if (!rel.startsWith("logs/") && !rel.startsWith("tmp/") && isTemp(p)) {
        temps.add(rel);
      }
    }
    if (!temps.isEmpty()) {
      problems.add(when + ": temp files left: " + abbreviate(temps.toString()));
    }
    if (inChild()) {
      List<String> t = listTmp();
      if (!t.isEmpty()) {
        problems.add(
            when
                + ": left in the system temp directory (java.io.tmpdir of the CLI): "
                + abbreviate(t.toString()));
      }
    }
  }

  /** Entries of the child's temp directory, the JVM's own perf data aside. */
  private List<String> listTmp() throws IOException {
    if (!Files.isDirectory(tmp())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(tmp())) {
      return s.filter(p -> !p.equals(tmp()))
          .map(p -> tmp().relativize(p).toString())
          .filter(n -> !n.startsWith("hsperfdata_"))
          .sorted()
          .collect(Collectors.toList());
    }
  }

  static boolean isTemp(Path p) {
    String n = p.getFileName().toString();
    return n.endsWith(".sluice-tmp")
        || n.contains(".sluice-tmp.")
        || (n.startsWith(".") && n.endsWith(".tmp"))
        || n.startsWith("sluice-stream-")
        || n.matches("\\.part\\.[a-z]+\\..*");
  }

  private static List<Path> walk(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
  }

  // ---- reading outputs

  /** An output parsed: its header (CSV/TSV; null if empty or JSON Lines) and records by column. */
  record Table(List<String> header, List<Map<String, String>> rows, List<String> problems) {}

  private Table parse(byte[] raw, String where) {
    List<Map<String, String>> rows = new ArrayList<>();
    List<String> problems = new ArrayList<>();
    byte[] bytes = raw;
    boolean gz = raw.length >= 2 && (raw[0] & 0xff) == 0x1f && (raw[1] & 0xff) == 0x8b;
    if (gz) {
      // Concatenated gzip members read as one stream; bytes after a member that are no gzip
      // member end the stream, so a corrupt join shows as missing records.
      try (java.util.zip.GZIPInputStream in =
          new java.util.zip.GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
        bytes = in.readAllBytes();
      } catch (IOException e) {
        problems.add("not readable as gzip: " + e);
        return new Table(null, rows, problems);
      }
    } else if (c.is(Dims.OutGzip.YES) && c.is(Layout.PER_FILE)) {
      problems.add("--gzip-output, but the output is not gzip-compressed");
    }
    String text = new String(bytes, StandardCharsets.UTF_8);
    if (c.is(Fmt.JSONL)) {
      int n = 0;
      for (String line : text.split("\n", -1)) {
        n++;
        if (line.isEmpty()) {
          continue;
        }
        try {
          JsonNode node = JSON.readTree(line);
          Map<String, String> m = new LinkedHashMap<>();
          for (Map.Entry<String, JsonNode> e : node.properties()) {
            m.put(
                e.getKey(),
                e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
          }
          rows.add(m);
        } catch (IOException e) {
          problems.add("line " + n + " is not JSON: " + abbreviate(line));
        }
      }
      return new Table(null, rows, problems);
    }
    TinyCsv.Parsed p = TinyCsv.parse(text, data.delimiter);
    if (p.unterminatedAt() > 0) {
      problems.add("output has an unterminated quote at line " + p.unterminatedAt());
    }
    if (p.blankLines() > 0) {
      problems.add("output has " + p.blankLines() + " blank line(s)");
    }
    if (p.records().isEmpty()) {
      return new Table(null, rows, problems);
    }
    List<String> header = p.records().get(0).fields();
    if (new LinkedHashSet<>(header).size() != header.size()) {
      problems.add("header repeats a column: " + header);
    }
    for (TinyCsv.Rec r : p.records().subList(1, p.records().size())) {
      if (r.fields().size() != header.size()) {
        problems.add(
            "output line "
                + r.line()
                + " has "
                + r.fields().size()
                + " fields, header "
                + header.size()
                + " (a second header or a shifted record?): "
                + abbreviate(r.raw()));
        continue;
      }
      Map<String, String> m = new LinkedHashMap<>();
      for (int i = 0; i < header.size(); i++) {
        m.put(header.get(i), r.fields().get(i));
      }
      rows.add(m);
    }
    return new Table(header, rows, problems);
  }

  private static String base(String name) {
    return name.substring(name.lastIndexOf('/') + 1);
  }

  static String tail(String s) {
    String t = s.strip();
    return abbreviate(t.length() > 600 ? "..." + t.substring(t.length() - 600) : t)
        .replace("\n", " | ");
  }

  static String abbreviate(String s) {
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  private static String show(String s) {
    return "'" + s.replace("\t", "\\t").replace("\n", "\\n") + "'";
  }

  /** The data planted on purpose, for the case's description. */
  String plantedSummary() {
    return data.planted.stream()
        .map(p -> nameOf.get(p.rel()) + ":" + p.line() + ":" + p.type())
        .collect(Collectors.joining(", "));
  }
}
