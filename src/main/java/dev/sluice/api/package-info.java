/**
 * The public API of Sluice: job configuration ({@link dev.sluice.api.PipelineSpec}, {@link
 * dev.sluice.api.Format}), the step contract ({@link dev.sluice.api.Step}, {@link
 * dev.sluice.api.Row}, {@link dev.sluice.api.Columns}), built-in steps ({@link
 * dev.sluice.api.Steps}), the run contract ({@link dev.sluice.api.Pipeline}, {@link
 * dev.sluice.api.RunResult}) and the exception family rooted at {@link
 * dev.sluice.api.SluiceException}.
 *
 * <p>This package depends on the JDK only (plus JSpecify annotations), so embedders inherit none of
 * Sluice's dependency versions through its signatures. Everything is non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.sluice.api;

import org.jspecify.annotations.NullMarked;
