/**
 * Job files: a versioned JSON format that holds a whole job, read by {@link dev.sluice.job.JobFile}
 * into a {@link dev.sluice.api.PipelineSpec}. The command line ({@code sluice run --job FILE}),
 * library users and other runners load the same file through this package. The format is documented
 * key by key in {@code docs/JOB-FILE.md}.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.job;

import org.jspecify.annotations.NullMarked;
