package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.encoder.JsonEncoder;
import ch.qos.logback.classic.encoder.PatternLayoutEncoder;
import ch.qos.logback.classic.filter.ThresholdFilter;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import ch.qos.logback.core.FileAppender;
import ch.qos.logback.core.encoder.Encoder;
import ch.qos.logback.core.filter.Filter;
import ch.qos.logback.core.spi.FilterReply;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ThreadFactory;
import java.util.regex.Pattern;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.slf4j.MDC;
import org.slf4j.Marker;
import org.slf4j.MarkerFactory;

/**
 * Configures Logback for the command line in code, so that the library jar carries no logging
 * configuration. Log lines go to the command's stderr writer (WARN by default, INFO with {@code
 * --verbose}, ERROR with {@code --quiet}) and, with {@code --log-file}, are appended to a file at
 * INFO whatever the stderr level. Every line carries the run id: the MDC key {@value #RUN_KEY} on
 * the command's thread and the engine's threads (see {@link #mdcThreadFactory}), with the id
 * written into the layout as a fallback for any other thread. Does nothing when SLF4J is bound to
 * another backend (an embedder's).
 *
 * <p>Not thread-safe: call from the thread that runs the command, before the run starts and after
 * it ends. The appenders themselves are thread-safe.
 */
final class CliLogging {
  /** The MDC key of the run id. */
  static final String RUN_KEY = "run";

  /** Events with this marker go to the log file only: the command prints its own error line. */
  static final Marker NOT_ON_STDERR = MarkerFactory.getMarker("SLUICE_NOT_ON_STDERR");

  /** Log line formats. */
  enum LogFormat {
    TEXT,
    JSON
  }

  private static final String STDERR_APPENDER = "sluice-stderr";
  private static final String FILE_APPENDER = "sluice-file";

  // Set by configure() on the command's thread; read by later calls on the same thread.
  private static @Nullable PrintWriter err;
  private static String runId = "-";

  private CliLogging() {}

  /** Sends text log lines to {@code err} at WARN, replacing earlier appenders, and sets the MDC. */
  static void configure(PrintWriter err, String runId) {
    CliLogging.err = err;
    CliLogging.runId = runId;
    MDC.put(RUN_KEY, runId);
    apply(Level.WARN, LogFormat.TEXT, null);
  }

  /**
   * Replaces the appenders: {@code stderrLevel} and up to the command's stderr, and everything at
   * INFO and up appended to {@code logFile} when given, both in {@code format}.
   *
   * @throws UsageException if the log file cannot be opened
   */
  static void apply(Level stderrLevel, LogFormat format, @Nullable Path logFile) {
    LoggerContext ctx = context();
    PrintWriter out = err;
    if (ctx == null || out == null) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();

    WriterAppender stderr = new WriterAppender(out, encoder(ctx, format, false));
    stderr.setContext(ctx);
    stderr.setName(STDERR_APPENDER);
    ThresholdFilter threshold = new ThresholdFilter();
    threshold.setLevel(stderrLevel.levelStr);
    threshold.start();
    stderr.addFilter(threshold);
    stderr.addFilter(new SkipMarker());
    stderr.start();
    root.addAppender(stderr);
    Level rootLevel = stderrLevel;

    if (logFile != null) {
      FileAppender<ILoggingEvent> file = new FileAppender<>();
      file.setContext(ctx);
      file.setName(FILE_APPENDER);
      file.setFile(logFile.toString());
      file.setAppend(true);
      file.setEncoder(encoder(ctx, format, true));
      file.start();
      if (!file.isStarted()) {
        throw new UsageException("--log-file: cannot open " + logFile + " for appending");
      }
      root.addAppender(file);
      rootLevel = Level.INFO.isGreaterOrEqual(stderrLevel) ? stderrLevel : Level.INFO;
    }
    root.setLevel(rootLevel);
    // The S3 provider logs, at ERROR, every "no such key" met while asking whether an object
    // exists, which is how a listing or an output check asks; a real failure reaches the run.
    ctx.getLogger("software.amazon.nio.spi.s3.S3BasicFileAttributes").setLevel(Level.OFF);
  }

  /** Stops the log file appender, so the file is closed when the command returns. */
  static void closeFile() {
    LoggerContext ctx = context();
    if (ctx == null) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    var file = root.getAppender(FILE_APPENDER);
    if (file != null) {
      root.detachAppender(file);
      file.stop();
    }
  }

  /** The run id of the current command. */
  static String runId() {
    return runId;
  }

  /**
   * A thread factory for the engine that gives each thread the creating thread's MDC (so engine log
   * lines carry the run id) and makes it a daemon, as the engine's own threads are: a stuck user
   * step must not keep the JVM alive after the run gave up on it.
   */
  static ThreadFactory mdcThreadFactory() {
    Map<String, String> mdc = MDC.getCopyOfContextMap();
    return r -> {
      Thread t =
          new Thread(
              () -> {
                if (mdc != null) {
                  MDC.setContextMap(mdc);
                }
                try {
                  r.run();
                } finally {
                  MDC.clear();
                }
              });
      t.setDaemon(true);
      return t;
    };
  }

  /** Parses a {@code --log-format} value. */
  static LogFormat format(String value) {
    switch (value.strip().toLowerCase(Locale.ROOT)) {
      case "text":
        return LogFormat.TEXT;
      case "json":
        return LogFormat.JSON;
      default:
        throw new UsageException("--log-format must be text or json (got '" + value + "')");
    }
  }

  private static Encoder<ILoggingEvent> encoder(LoggerContext ctx, LogFormat format, boolean file) {
    if (format == LogFormat.JSON) {
      RunJsonEncoder json = new RunJsonEncoder(runId);
      json.setContext(ctx);
      json.setWithContext(false);
      json.setWithSequenceNumber(false);
      json.setWithNanoseconds(false);
      json.setWithMessage(false);
      json.setWithArguments(false);
      json.setWithFormattedMessage(true);
      json.start();
      return json;
    }
    PatternLayoutEncoder text = new PatternLayoutEncoder();
    text.setContext(ctx);
    text.setCharset(StandardCharsets.UTF_8);
    text.setPattern(pattern(runId, file));
    text.start();
    return text;
  }

  /**
   * The text layout: a time (with the date in files, which outlive a day), the level, the run id
   * and the thread. Lines of other runs in the same file differ by their run id.
   */
  static String pattern(String runId, boolean file) {
    return (file ? "%d{yyyy-MM-dd HH:mm:ss.SSS}" : "%d{HH:mm:ss.SSS}")
        + " %-5level run=%X{"
        + RUN_KEY
        + ":-"
        + runId
        + "} [%thread] %msg%n";
  }

  private static @Nullable LoggerContext context() {
    ILoggerFactory f = LoggerFactory.getILoggerFactory();
    return f instanceof LoggerContext ? (LoggerContext) f : null;
  }

  /** Denies events marked {@link #NOT_ON_STDERR}. Thread-safe: no state. */
  private static final class SkipMarker extends Filter<ILoggingEvent> {
    SkipMarker() {
      start();
    }

    @Override
    public FilterReply decide(ILoggingEvent event) {
      var markers = event.getMarkerList();
      return markers != null && markers.contains(NOT_ON_STDERR)
          ? FilterReply.DENY
          : FilterReply.NEUTRAL;
    }
  }

  /**
   * Logback's JSON encoder plus a top-level {@code "run"} field, present on every line whatever
   * thread logged it. Thread-safe as its superclass.
   */
  private static final class RunJsonEncoder extends JsonEncoder {
    // Written into the JSON unescaped: anything but a plain id (a user's own MDC "run") is
    // replaced.
    private static final Pattern PLAIN_ID = Pattern.compile("[0-9A-Za-z_-]{1,64}");

    private final String runId;

    RunJsonEncoder(String runId) {
      this.runId = runId;
    }

    @Override
    protected void appendCustomFields(StringBuilder sb, ILoggingEvent event) {
      String id = event.getMDCPropertyMap().get(RUN_KEY);
      if (id == null || !PLAIN_ID.matcher(id).matches()) {
        id = runId;
      }
      sb.append(VALUE_SEPARATOR);
      appenderMember(sb, RUN_KEY, id);
    }
  }

  /**
   * Appends encoded events to a writer, one write per event so that lines from several engine
   * threads never interleave. Thread-safe: {@link AppenderBase#doAppend} is synchronized.
   */
  private static final class WriterAppender extends AppenderBase<ILoggingEvent> {
    private final PrintWriter out;
    private final Encoder<ILoggingEvent> encoder;

    WriterAppender(PrintWriter out, Encoder<ILoggingEvent> encoder) {
      this.out = out;
      this.encoder = encoder;
    }

    @Override
    protected void append(ILoggingEvent event) {
      out.write(new String(encoder.encode(event), StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
