/**
 * Reports of runs: {@link dev.sluice.internal.report.JsonReport} writes a {@link
 * dev.sluice.api.RunResult} or a failure as a small, versioned JSON document for monitoring and
 * scripts; {@link dev.sluice.internal.report.HtmlReport} writes one self-contained HTML page with
 * the verdict, the stage table and charts of throughput, queue fill and stage utilisation over
 * time. Depends on {@code dev.sluice.api}, Jackson core, and (optionally, for the charts)
 * JFreeChart and JFreeSVG.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.report;

import org.jspecify.annotations.NullMarked;
