package dev.sluice.cli;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.AppenderBase;
import java.io.PrintWriter;
import org.jspecify.annotations.Nullable;
import org.slf4j.ILoggerFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Configures Logback for the command line in code, so that the library jar carries no logging
 * configuration: one appender to the command's stderr writer, WARN by default. Does nothing when
 * SLF4J is bound to another backend (an embedder's).
 *
 * <p>Not thread-safe: call from the thread that runs the command, before the run starts.
 */
final class CliLogging {
  static final String PATTERN = "%d{HH:mm:ss.SSS} %-5level [%thread] %msg%n";

  private CliLogging() {}

  /** Sends log lines to {@code err} at WARN, replacing earlier appenders. */
  static void configure(PrintWriter err) {
    LoggerContext ctx = context();
    if (ctx == null) {
      return;
    }
    ch.qos.logback.classic.Logger root = ctx.getLogger(Logger.ROOT_LOGGER_NAME);
    root.detachAndStopAllAppenders();
    PatternLayout layout = new PatternLayout();
    layout.setContext(ctx);
    layout.setPattern(PATTERN);
    layout.start();
    WriterAppender appender = new WriterAppender(err, layout);
    appender.setContext(ctx);
    appender.setName("sluice-stderr");
    appender.start();
    root.addAppender(appender);
    root.setLevel(Level.WARN);
  }

  /** Sets the root level. */
  static void level(Level level) {
    LoggerContext ctx = context();
    if (ctx != null) {
      ctx.getLogger(Logger.ROOT_LOGGER_NAME).setLevel(level);
    }
  }

  private static @Nullable LoggerContext context() {
    ILoggerFactory f = LoggerFactory.getILoggerFactory();
    return f instanceof LoggerContext ? (LoggerContext) f : null;
  }

  /** Appends formatted events to a writer. Thread-safe: PrintWriter locks per call. */
  private static final class WriterAppender extends AppenderBase<ILoggingEvent> {
    private final PrintWriter out;
    private final PatternLayout layout;

    WriterAppender(PrintWriter out, PatternLayout layout) {
      this.out = out;
      this.layout = layout;
    }

    @Override
    protected void append(ILoggingEvent event) {
      String line = layout.doLayout(event);
      // One write per event so that lines from several engine threads never interleave.
      out.write(line);
      out.flush();
    }
  }
}
