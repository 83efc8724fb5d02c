package dev.sluice.api.spi;

import java.nio.file.Path;

/**
 * One input file found by the listing.
 *
 * <p>Immutable and thread-safe.
 *
 * @param id position in the sorted listing, from 0
 * @param path where to read it
 * @param relativeName its path relative to the input root, with {@code /} separators; the output
 *     mirrors it
 * @param size its size in bytes when listed
 * @since 0.1
 */
public record InputFile(int id, Path path, String relativeName, long size) {}
