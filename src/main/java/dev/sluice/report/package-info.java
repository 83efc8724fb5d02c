/**
 * Machine-readable reports of runs: {@link dev.sluice.report.JsonReport} writes a {@link
 * dev.sluice.api.RunResult} or a failure as a small, versioned JSON document for monitoring and
 * scripts. Depends on {@code dev.sluice.api} and Jackson core only.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.report;

import org.jspecify.annotations.NullMarked;
