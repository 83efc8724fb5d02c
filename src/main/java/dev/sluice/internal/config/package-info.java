/**
 * The configuration layer: one class per section of settings ({@link
 * dev.sluice.internal.config.Section}), each both a picocli mixin of {@code sluice run} and the
 * Jackson binding of the section's job file object; the job as a whole ({@link
 * dev.sluice.internal.config.JobConfig}), laid command line over job file; the readings of values
 * shared by both ({@link dev.sluice.internal.config.Values}); and the step catalog. Internal: not
 * for library users, who read job files with {@link dev.sluice.job.JobFile}.
 *
 * <p>picocli is an optional dependency: its annotations here are ignored where it is absent, and
 * only the command line loads the converters. Everything is non-null unless marked
 * {@code @Nullable}.
 */
@NullMarked
package dev.sluice.internal.config;

import org.jspecify.annotations.NullMarked;
