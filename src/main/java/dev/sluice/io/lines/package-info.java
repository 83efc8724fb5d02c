/**
 * Plain text: one record per physical line (ended by LF, CRLF or a lone CR) in a single column,
 * and, on output, each record's values joined by tabs, one record per line. No quoting or
 * escaping: a value holding a tab or a line break changes the shape of the output.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.io.lines;

import org.jspecify.annotations.NullMarked;
