/**
 * Plain text: one record per physical line (ended by LF, CRLF or a lone CR) in a single column,
 * and, on output, each record's values joined by tabs, one record per line. No quoting or escaping:
 * a value holding a tab or a line break changes the shape of the output.
 *
 * <p>Bad input, on reading: a line with bytes not valid in the charset is a recoverable {@code
 * INVALID_ENCODING} (unless bad bytes are to be replaced by U+FFFD); a line longer than {@link
 * dev.sluice.api.Format#maxRecordSize()} chars is a recoverable {@code RECORD_TOO_LARGE}, thrown as
 * soon as the limit is passed, and the next call skips the rest of the line without keeping it. A
 * NUL char, a truncated or corrupt gzip stream or a read error fails the file ({@code
 * FILE_FAILED}), as does an empty or bad header line. Gzip, byte order marks and line breaks are
 * handled as for CSV (see {@link dev.sluice.internal.io.csv}).
 *
 * <p>Splits: a large plain file is cut as a CSV file is (same size rule and charsets, never gzip),
 * but every line break is a record boundary, so the planner takes the first one after each nominal
 * offset (a line longer than 64 KiB there drops that boundary). A split that does not end at a line
 * break fails the file ("bad split boundary").
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.io.lines;

import org.jspecify.annotations.NullMarked;
