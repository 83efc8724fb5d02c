/**
 * Reports of runs: {@link dev.sluice.report.JsonReport} writes a {@link dev.sluice.api.RunResult}
 * or a failure as a small, versioned JSON document for monitoring and scripts; {@link
 * dev.sluice.report.HtmlReport} writes one self-contained HTML page with the verdict, the stage
 * table and charts of throughput, queue fill and stage utilisation over time. Depends on {@code
 * dev.sluice.api}, Jackson core, and (optionally, for the charts) JFreeChart and JFreeSVG.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.report;

import org.jspecify.annotations.NullMarked;
