package dev.sluice.bench.springbatch;

import java.nio.file.Path;

/**
 * The command line, as a bean the job configuration reads.
 *
 * @param t2 T2 (hash the e-mail address) rather than T1
 * @param input the input directory, real path (partition file names are resolved against it)
 * @param output the output directory, absolute
 * @param threads partitions run at once
 */
public record PeerArgs(boolean t2, Path input, Path output, int threads) {}
