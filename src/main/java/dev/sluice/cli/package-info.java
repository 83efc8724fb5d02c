/**
 * The {@code sluice} command line: {@link dev.sluice.cli.Main} parses the arguments with picocli,
 * runs a job ({@code sluice run}, from options and/or a job file read by {@code dev.sluice.job}) or
 * makes synthetic test data ({@code sluice generate}), and maps outcomes to exit codes. For cron it
 * adds what a library must not do: Logback configuration (stderr and a log file, text or JSON,
 * every line with the run id), a Prometheus metrics file, and the shutdown hook and signal handlers
 * that turn SIGINT and SIGTERM into a clean stop with exit 130 or 143.
 *
 * <p>This is the only package that depends on picocli, Logback and the Prometheus client; all are
 * optional dependencies of the library jar and bundled in the runnable {@code -cli} jar. Everything
 * is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.cli;

import org.jspecify.annotations.NullMarked;
