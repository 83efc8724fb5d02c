package dev.sluice.cli;

import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.RunPlan;
import dev.sluice.internal.config.ColumnMatch;
import dev.sluice.internal.fs.ObjectStores;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.UnaryOperator;
import org.jspecify.annotations.Nullable;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The outputs that are joined after the run, and standard input: {@code --input -} and {@code
 * --output -} (through a {@link StreamSpool}), {@code --merge-output FILE} and {@code
 * --partition-by COLUMN}. For each join the run writes one part per input into a parts directory of
 * its own, and {@link #join} joins the parts ({@link Parts}) to standard output, into FILE ({@link
 * MergedOutput}) or into one file per value ({@link Partitions}). It owns the spool and the {@link
 * JoinLock} until {@link #close}, and keeps the inputs to join in the {@link JoinJournal} until the
 * join commits.
 *
 * <p>The command calls, in order: {@link #streams}, {@link #stdoutDir}, {@link #merge}, {@link
 * #partition} (each checks its options and says where the run writes instead), {@link
 * #columnMatch}, {@link #prepare} before the run, {@link #join} after it, and {@link #close}
 * whatever happened.
 *
 * <p>Not thread-safe: one instance per command, used by the thread that runs the command (the
 * spool, which a signal handler also touches, guards itself).
 */
final class OutputJoins implements Closeable {
  /** {@code --output -}: the outputs go to standard output. */
  private static final Path STDOUT = Path.of("-");

  // RunCommand's logger: these lines read as the command's own, in JSON logs too (logger name).
  private static final Logger log = LoggerFactory.getLogger(RunCommand.class);

  private final @Nullable Path mergeOutput;
  private final @Nullable String partitionBy;
  private final boolean installShutdownHook;

  private boolean toStdout;
  private @Nullable Path merged;
  private @Nullable Path partitionRoot;

  /** {@code --input -} / {@code --output -}: the temporary directory, removed by {@link #close}. */
  private @Nullable StreamSpool spool;

  /** Held from {@link #prepare} until {@link #close}, after the join has committed. */
  private @Nullable JoinLock joinLock;

  /** The inputs to join, planned before the run ({@code --on-success} may move them). */
  private @Nullable RunPlan plan;

  /**
   * @param mergeOutput {@code --merge-output FILE}, or null
   * @param partitionBy {@code --partition-by COLUMN}, or null
   * @param installShutdownHook whether the command stops the run on a signal (then the spool is
   *     removed on one too)
   */
  OutputJoins(
      @Nullable Path mergeOutput, @Nullable String partitionBy, boolean installShutdownHook) {
    this.mergeOutput = mergeOutput;
    this.partitionBy = partitionBy;
    this.installShutdownHook = installShutdownHook;
  }

  /**
   * {@code --input -} and {@code --output -}: standard input is spooled to a temporary file (one
   * input named {@code stdin}, with the input format's extension), and outputs are written to a
   * temporary directory ({@link #stdoutDir}) and then joined to standard output in listing order
   * ({@link Parts}), so Sluice fits in a shell pipe. Spooled, not streamed: the run starts when
   * standard input ends. The directory ({@link StreamSpool}) is owner-only and removed by {@link
   * #close}.
   *
   * @param stdinInput whether an input is {@code -}
   * @param output {@code --output}, or null
   * @param extension the file name extension of the input format ({@code csv} by default)
   * @param skips whether {@code --on-error skip} was given
   * @param rejectDir {@code --reject-dir}, or null
   * @param stdin standard input, read to its end when an input is {@code -}
   * @return the spooled copy of standard input, or null when no input is {@code -}
   * @throws UsageException if {@code --output -} comes with options it cannot serve
   */
  @Nullable Path streams(
      boolean stdinInput,
      @Nullable Path output,
      String extension,
      boolean skips,
      @Nullable Path rejectDir,
      InputStream stdin)
      throws IOException {
    toStdout = STDOUT.equals(output);
    if (!stdinInput && !toStdout) {
      return null;
    }
    // Checked before standard input is read: a usage error must not swallow the caller's data.
    if (toStdout && skips && rejectDir == null) {
      throw new UsageException(
          "--output - with --on-error skip needs --reject-dir DIR for the reject files");
    }
    if (toStdout && (mergeOutput != null || partitionBy != null)) {
      throw new UsageException(
          "--output - cannot be combined with --merge-output or --partition-by");
    }
    StreamSpool s = StreamSpool.create(installShutdownHook);
    spool = s;
    if (!stdinInput) {
      return null;
    }
    log.info("reading standard input into {} (removed when the command ends)", s.dir());
    return s.spool(stdin, "stdin." + extension);
  }

  /** Whether the outputs go to standard output ({@code --output -}). */
  boolean toStdout() {
    return toStdout;
  }

  /**
   * With {@code --output -}: the temporary directory the run writes its outputs to instead, joined
   * to standard output by {@link #join}; else null.
   */
  @Nullable Path stdoutDir() throws IOException {
    StreamSpool s = spool;
    return toStdout && s != null ? s.outputDir() : null;
  }

  /**
   * {@code --merge-output FILE}: the run writes one part per input under {@code .FILE.parts/} (with
   * its manifest, so resume works per input), and {@link #join} joins the parts into FILE.
   *
   * @param output {@code --output}, or null
   * @param overwrite {@code --overwrite}
   * @return the parts directory the run writes to instead of {@code --output}, or null without
   *     {@code --merge-output}
   * @throws UsageException if {@code --output} is given too, or FILE exists and may not be replaced
   */
  @Nullable Path merge(@Nullable Path output, boolean overwrite) {
    if (mergeOutput == null) {
      return null;
    }
    if (output != null) {
      throw new UsageException(
          "--merge-output FILE replaces --output DIR (output.mergeFile and output.dir in a job"
              + " file): give one of them");
    }
    Path target = mergeOutput.toAbsolutePath().normalize();
    Path parts = target.resolveSibling("." + target.getFileName() + ".parts");
    if (Files.exists(target) && !overwrite && !Files.isDirectory(parts)) {
      throw new UsageException(
          "output file exists: "
              + target
              + ": pass --overwrite to replace it, or choose another file");
    }
    merged = target;
    return parts;
  }

  /**
   * {@code --partition-by COLUMN}: the run writes its parts under DIR/.parts, and {@link #join}
   * writes one file per value of COLUMN under DIR ({@code --output DIR}).
   *
   * @param output {@code --output}: DIR
   * @return the parts directory the run writes to instead of {@code --output}, or null without
   *     {@code --partition-by}
   * @throws UsageException if there is no output directory or no column
   */
  @Nullable Path partition(@Nullable Path output) {
    if (partitionBy == null) {
      return null;
    }
    if (output == null || mergeOutput != null || STDOUT.equals(output)) {
      throw new UsageException(
          "--partition-by needs --output DIR (and no --merge-output or --output -)");
    }
    if (partitionBy.isBlank()) {
      throw new UsageException("--partition-by needs a column name");
    }
    Path root = output.toAbsolutePath().normalize();
    partitionRoot = root;
    return root.resolve(".parts");
  }

  /**
   * The effective {@code --column-match} (or {@code output.columnMatch}), refused where nothing is
   * joined or the output has no columns to match; strict by default.
   *
   * @param m the column match set, or null for none
   * @param onCommandLine whether {@code --column-match} set it (else the job file did)
   */
  ColumnMatch columnMatch(@Nullable ColumnMatch m, boolean onCommandLine, PipelineSpec spec) {
    String given = onCommandLine ? "--column-match" : "output.columnMatch in the job file";
    if (m != null && merged == null && partitionRoot == null && !toStdout) {
      throw new UsageException(
          given
              + " joins the inputs' columns into one output: use it with --merge-output FILE,"
              + " --partition-by COLUMN or --output - (each input has its own output file here)");
    }
    if (m != null && !Parts.hasColumns(spec.outputFormat())) {
      throw new UsageException(
          given
              + " needs CSV or TSV output: "
              + (spec.outputFormat().kind() == Format.Kind.JSONL
                  ? "JSON Lines records name their own keys, so their files are joined as they are"
                  : "lines have no columns")
              + "; leave it out");
    }
    if (partitionRoot != null && !Parts.hasColumns(spec.outputFormat())) {
      throw new UsageException(
          "--partition-by works with CSV or TSV output (got "
              + spec.outputFormat().kind().name().toLowerCase(Locale.ROOT)
              + ")");
    }
    return m != null ? m : ColumnMatch.STRICT;
  }

  /**
   * Before the run: takes the {@link JoinLock} of a merged file or partition tree (removing the
   * temporary files a killed join left there), and plans the inputs to join, kept in the {@link
   * JoinJournal} until {@link #join} commits.
   */
  void prepare(PipelineSpec spec) throws IOException {
    boolean toFiles = merged != null || partitionRoot != null;
    if (toFiles) {
      lockJoin(spec);
    }
    RunPlan p = toStdout || toFiles ? Parts.plan(spec) : null;
    if (p != null && toFiles) {
      // Inputs moved by an interrupted run of this join are no longer listed, but still joined.
      p = JoinJournal.begin(spec.output().toAbsolutePath().normalize(), p);
    }
    plan = p;
  }

  /**
   * Takes the {@link JoinLock} of a merged file or partition tree, then removes the temporary files
   * a killed join left there (only a lock holder may: another run's are in use).
   */
  private void lockJoin(PipelineSpec spec) throws IOException {
    Path parts = spec.output().toAbsolutePath().normalize();
    Files.createDirectories(parts);
    Path m = merged;
    Path root = partitionRoot;
    String what = m != null ? "the merged file " + m : "the partitions under " + root;
    joinLock = JoinLock.acquire(parts.resolve(JoinLock.FILE), spec.waitLock(), what);
    int n =
        m != null
            ? MergedOutput.removeOrphans(m)
            : root != null ? Partitions.removeOrphans(root, parts) : 0;
    if (n > 0) {
      log.info("removed {} temporary file(s) an interrupted run left for {}", n, what);
    }
  }

  /**
   * The run is starting: a signal now stops the run first; {@link #close} then removes the spool.
   */
  void running() {
    StreamSpool s = spool;
    if (s != null) {
      s.running();
    }
  }

  /**
   * After the run: joins the parts to {@code stdout}, into the merged file or into the partitions,
   * then ends the journal. Each join reads every part's header first: a column mismatch fails
   * before anything is written.
   *
   * @param headerName spells a column name as the output's header row does (the partition column is
   *     looked up by that name)
   */
  void join(
      PipelineSpec spec, ColumnMatch match, UnaryOperator<String> headerName, OutputStream stdout)
      throws IOException {
    RunPlan p = plan;
    if (p == null) {
      return;
    }
    if (toStdout) {
      Parts.of(p, spec, match, "--output -").copyTo(stdout);
    }
    Path m = merged;
    if (m != null) {
      MergedOutput.write(Parts.of(p, spec, match, "--merge-output"), m);
    }
    Path root = partitionRoot;
    String column = partitionBy;
    if (root != null && column != null) {
      Parts parts = Parts.of(p, spec, match, "--partition-by");
      int n =
          new Partitions(root, headerName.apply(column.strip()), spec.outputFormat()).write(parts);
      log.info("partitions written: {} under {}", n, root);
    }
    if (m != null || root != null) {
      JoinJournal.finish(spec.output().toAbsolutePath().normalize());
    }
  }

  /** Where the output went, for the summary: standard output, the merged file or the partitions. */
  String destination(PipelineSpec spec) {
    Path m = merged;
    Path root = partitionRoot;
    return toStdout
        ? "standard output"
        : m != null ? m.toString() : ObjectStores.show(root != null ? root : spec.output());
  }

  /**
   * Releases the join lock and removes the spooled files; throws if the files cannot be removed.
   */
  @Override
  public void close() throws IOException {
    JoinLock l = joinLock;
    joinLock = null;
    StreamSpool s = spool;
    spool = null;
    try {
      if (l != null) {
        l.close();
      }
    } finally {
      if (s != null) {
        s.close();
      }
    }
  }
}
