/**
 * Sluice's file formats behind the {@link dev.sluice.api.spi} contracts. {@link
 * dev.sluice.internal.io.Formats} is the entry point: it picks the provider for a {@link
 * dev.sluice.api.Format}. The sub-packages hold one family each ({@code csv} for CSV and TSV,
 * {@code lines} for plain text, {@code json} for JSON Lines output); this package also holds what
 * they share: opening an input file ({@link dev.sluice.internal.io.TextInput}: byte counting, gzip
 * detection by magic bytes, BOM handling, decoding that logs where bad bytes were replaced, NUL
 * detection), cutting a bad record's text for reject files ({@link dev.sluice.internal.io.RawText})
 * and naming output files ({@link dev.sluice.internal.io.OutputNames}).
 *
 * <p>Code under {@code dev.sluice.internal.io} depends on the API, the JDK, Commons CSV and IO,
 * Guava and Jackson core, never on the engine or the CLI. Everything is non-null unless marked
 * {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.io;

import org.jspecify.annotations.NullMarked;
