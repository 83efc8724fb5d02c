package dev.sluice.internal.report;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.StreamWriteFeature;
import dev.sluice.api.PipelineException;
import dev.sluice.api.RunResult;
import dev.sluice.internal.fs.AtomicWrite;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.file.Path;

/**
 * Writes the JSON report of a run, for monitoring and scripts. The file is replaced atomically
 * (written to a temporary file in the same directory, then moved over the target), so a reader
 * never sees half a report.
 *
 * <p>Schema {@value #SCHEMA}, version {@value #VERSION}. A successful run:
 *
 * <pre>{@code
 * {
 *   "schema" : "sluice.run-report",
 *   "version" : 1,
 *   "status" : "ok",
 *   "files" : 3,                          input files whose output was committed
 *   "filesFailed" : 0,                    input files dropped whole (skip policy)
 *   "records" : { "read" : 120, "passed" : 41, "filtered" : 77, "rejected" : 2,
 *                 "abandoned" : 0, "written" : 41 },    read = passed + filtered + rejected + abandoned
 *   "bytes" : { "read" : 10240, "written" : 3100 },   gzip input counts compressed bytes
 *   "rejects" : { "byType" : { "WRONG_FIELD_COUNT" : 2 }, "files" : [ "out/_rejects/a.csv.rejects.csv" ] },
 *   "warnings" : { "count" : 2, "first" : [ "..." ] },  the first few messages
 *   "elapsedSeconds" : 0.153,             3 decimals
 *   "recordsPerSecond" : 784.3,           1 decimal
 *   "megabytesPerSecond" : 0.067,         3 decimals, 10^6 bytes
 *   "threads" : { "readers" : 2, "transformers" : 2, "writers" : 1 },   under auto: what it settled on
 *   "autoSizing" : { "budget" : 4, "resizes" : 2,     only with --threads/--readers/--transformers auto
 *                    "readers" : { "auto" : true, "start" : 1, "settled" : 3, "peak" : 3 },
 *                    "transformers" : { "auto" : true, "start" : 1, "settled" : 1, "peak" : 1 } },
 *   "stages" : [ { "stage" : "reader", "threads" : 2, "busy" : 0.210, "waitingForInput" : 0.000,
 *                  "waitingToHandOn" : 0.790, "batches" : 120 }, ... ],   shares of thread time
 *   "verdict" : { "bottleneck" : "transformer", "evidence" : "transformers 97% busy; ...",
 *                 "suggestedThreads" : { "readers" : 1, "transformers" : 3, "writers" : 1 } }
 * }
 * }</pre>
 *
 * A failed run has the same {@code schema} and {@code version}, {@code "status" : "failed"} and an
 * {@code error} object: {@code type} (the exception's simple class name) and {@code message}
 * always; {@code stage} (reader, transformer, writer, source, coordinator), {@code file} (the input
 * file's relative name), {@code line}, {@code record} (1-based) and {@code thread} when known; and
 * {@code cause} (type and message of the underlying exception) when there is one; plus, when the
 * engine knows them, the same counting fields as a successful run, for what happened before the
 * failure (records in flight then are {@code abandoned}).
 *
 * <p>Compatibility: within a version, fields are only ever added; consumers must ignore fields they
 * do not know. Removing or changing the meaning of a field increments {@code version}. Numbers are
 * JSON numbers, formatted independently of the default locale; text is UTF-8.
 *
 * <p>Thread-safe: static methods without shared state.
 */
public final class JsonReport {
  /** The value of the {@code schema} field. */
  public static final String SCHEMA = "sluice.run-report";

  /** The value of the {@code version} field. */
  public static final int VERSION = 1;

  private static final JsonFactory JSON =
      JsonFactory.builder().enable(StreamWriteFeature.WRITE_BIGDECIMAL_AS_PLAIN).build();

  private JsonReport() {}

  /** Writes the report of a successful run to {@code file}, replacing it atomically. */
  public static void write(RunResult result, Path file) throws IOException {
    writeAtomically(file, toJson(result));
  }

  /**
   * Writes the report of a failed run to {@code file}, replacing it atomically. A {@link
   * PipelineException} contributes its stage, file, line, record and thread.
   */
  public static void writeFailure(Throwable failure, Path file) throws IOException {
    writeAtomically(file, failureToJson(failure));
  }

  /** The report of a successful run, as UTF-8 JSON bytes (pretty-printed, ending in a newline). */
  public static byte[] toJson(RunResult r) {
    return render(
        g -> {
          header(g, "ok");
          result(g, r);
        });
  }

  private static void result(JsonGenerator g, RunResult r) throws IOException {
    g.writeNumberField("files", r.files());
    g.writeNumberField("filesFailed", r.filesFailed());
    g.writeNumberField("filesSkipped", r.filesSkipped());
    g.writeObjectFieldStart("records");
    g.writeNumberField("read", r.recordsRead());
    g.writeNumberField("passed", r.recordsPassed());
    g.writeNumberField("filtered", r.recordsFiltered());
    g.writeNumberField("rejected", r.recordsRejected());
    g.writeNumberField("abandoned", r.recordsAbandoned());
    g.writeNumberField("written", r.recordsWritten());
    g.writeEndObject();
    g.writeObjectFieldStart("bytes");
    g.writeNumberField("read", r.bytesRead());
    g.writeNumberField("written", r.bytesWritten());
    g.writeEndObject();
    g.writeObjectFieldStart("rejects");
    g.writeObjectFieldStart("byType");
    for (var e : new java.util.TreeMap<>(r.rejectsByType()).entrySet()) {
      g.writeNumberField(e.getKey().name(), e.getValue());
    }
    g.writeEndObject();
    g.writeArrayFieldStart("files");
    for (Path p : r.rejectFiles()) {
      g.writeString(p.toString());
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeObjectFieldStart("warnings");
    g.writeNumberField("count", r.warnings());
    g.writeArrayFieldStart("first");
    for (String w : r.firstWarnings()) {
      g.writeString(w);
    }
    g.writeEndArray();
    g.writeEndObject();
    g.writeFieldName("elapsedSeconds");
    g.writeNumber(decimal(r.elapsed().toNanos() / 1e9, 3));
    g.writeFieldName("recordsPerSecond");
    g.writeNumber(decimal(r.recordsPerSecond(), 1));
    g.writeFieldName("megabytesPerSecond");
    g.writeNumber(decimal(r.megabytesPerSecond(), 3));
    g.writeObjectFieldStart("threads");
    g.writeNumberField("readers", r.readers());
    g.writeNumberField("transformers", r.transformers());
    g.writeNumberField("writers", r.writers());
    g.writeEndObject();
    RunResult.Runner runner = r.runner();
    if (runner != null) {
      // Added in version 1 (fields are only added within a version): absent for the local engine.
      g.writeObjectFieldStart("runner");
      g.writeStringField("name", runner.name());
      g.writeNumberField("parallelism", runner.parallelism());
      g.writeEndObject();
    }
    RunResult.AutoSizing auto = r.autoSizing();
    if (auto != null) {
      // Added in version 1 (fields are only added within a version): absent for fixed threads.
      g.writeObjectFieldStart("autoSizing");
      g.writeNumberField("budget", auto.budget());
      g.writeNumberField("resizes", auto.resizes());
      pool(
          g,
          "readers",
          auto.autoReaders(),
          auto.readersAtStart(),
          auto.readers(),
          auto.readersPeak());
      pool(
          g,
          "transformers",
          auto.autoTransformers(),
          auto.transformersAtStart(),
          auto.transformers(),
          auto.transformersPeak());
      g.writeEndObject();
    }
    if (!r.stages().isEmpty()) {
      g.writeArrayFieldStart("stages");
      for (var st : r.stages()) {
        g.writeStartObject();
        g.writeStringField("stage", st.stage().label());
        g.writeNumberField("threads", st.threads());
        g.writeFieldName("busy");
        g.writeNumber(decimal(st.busyShare(), 3));
        g.writeFieldName("waitingForInput");
        g.writeNumber(decimal(st.waitInputShare(), 3));
        g.writeFieldName("waitingToHandOn");
        g.writeNumber(decimal(st.waitOutputShare(), 3));
        g.writeNumberField("batches", st.batches());
        g.writeEndObject();
      }
      g.writeEndArray();
      g.writeObjectFieldStart("verdict");
      if (r.verdict().bottleneck() != null) {
        g.writeStringField("bottleneck", r.verdict().bottleneck().label());
      } else {
        g.writeNullField("bottleneck");
      }
      g.writeStringField("evidence", r.verdict().evidence());
      g.writeObjectFieldStart("suggestedThreads");
      g.writeNumberField("readers", r.verdict().readers());
      g.writeNumberField("transformers", r.verdict().transformers());
      g.writeNumberField("writers", r.verdict().writers());
      g.writeEndObject();
      g.writeEndObject();
    }
  }

  private static void pool(
      JsonGenerator g, String name, boolean auto, int start, int settled, int peak)
      throws IOException {
    g.writeObjectFieldStart(name);
    g.writeBooleanField("auto", auto);
    g.writeNumberField("start", start);
    g.writeNumberField("settled", settled);
    g.writeNumberField("peak", peak);
    g.writeEndObject();
  }

  /** The report of a failed run, as UTF-8 JSON bytes (pretty-printed, ending in a newline). */
  public static byte[] failureToJson(Throwable failure) {
    return render(
        g -> {
          header(g, "failed");
          g.writeObjectFieldStart("error");
          g.writeStringField("type", failure.getClass().getSimpleName());
          g.writeStringField("message", message(failure));
          if (failure instanceof PipelineException) {
            PipelineException p = (PipelineException) failure;
            g.writeStringField("stage", p.stage().label());
            if (p.file() != null) {
              g.writeStringField("file", p.file());
            }
            if (p.line() > 0) {
              g.writeNumberField("line", p.line());
            }
            if (p.record() > 0) {
              g.writeNumberField("record", p.record());
            }
            if (p.thread() != null) {
              g.writeStringField("thread", p.thread());
            }
          }
          RunResult partial =
              failure instanceof PipelineException ? ((PipelineException) failure).result() : null;
          Throwable cause = failure.getCause();
          if (cause != null && cause != failure) {
            g.writeObjectFieldStart("cause");
            g.writeStringField("type", cause.getClass().getName());
            g.writeStringField("message", message(cause));
            g.writeEndObject();
          }
          g.writeEndObject();
          if (partial != null) {
            result(g, partial); // what the run did before it failed
          }
        });
  }

  private static void header(JsonGenerator g, String status) throws IOException {
    g.writeStringField("schema", SCHEMA);
    g.writeNumberField("version", VERSION);
    g.writeStringField("status", status);
  }

  private static String message(Throwable t) {
    String m = t.getMessage();
    return m == null ? "" : m;
  }

  /** A finite decimal with a fixed scale: BigDecimal prints the same under every locale. */
  private static BigDecimal decimal(double value, int scale) {
    if (!Double.isFinite(value)) {
      return BigDecimal.ZERO.setScale(scale);
    }
    return BigDecimal.valueOf(value).setScale(scale, RoundingMode.HALF_UP);
  }

  private interface Body {
    void write(JsonGenerator g) throws IOException;
  }

  private static byte[] render(Body body) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream(1024);
    try (JsonGenerator g = JSON.createGenerator(bytes, JsonEncoding.UTF8)) {
      g.useDefaultPrettyPrinter();
      g.writeStartObject();
      body.write(g);
      g.writeEndObject();
    } catch (IOException e) {
      throw new IllegalStateException("writing JSON to memory cannot fail", e);
    }
    bytes.write('\n');
    return bytes.toByteArray();
  }

  private static void writeAtomically(Path file, byte[] content) throws IOException {
    // Owner-only, as the report has always been written (through Files.createTempFile).
    AtomicWrite.to(file).createDirectories().permissions("rw-------").write(content);
  }
}
