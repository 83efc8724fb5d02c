/**
 * The {@code sluice} command line: {@link dev.sluice.cli.Main} parses the arguments with picocli,
 * runs a job ({@code sluice run}) or makes synthetic test data ({@code sluice generate}), and maps
 * outcomes to exit codes. This is the only package that depends on picocli and Logback; both are
 * optional dependencies of the library jar and bundled in the runnable {@code -cli} jar.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.cli;

import org.jspecify.annotations.NullMarked;
