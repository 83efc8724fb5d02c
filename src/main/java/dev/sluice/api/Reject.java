package dev.sluice.api;

import org.jspecify.annotations.Nullable;

/**
 * A rejected record (or, with {@link ErrorType#FILE_FAILED}, a rejected file), as written to the
 * reject file of its input and passed to a {@link RejectListener}.
 *
 * <p>Immutable and thread-safe.
 *
 * @param file the input file's relative name
 * @param line the 1-based line where the record starts, or -1 when unknown
 * @param byteOffset the byte offset in the file, or -1 when unknown
 * @param column the 1-based column, or -1 when unknown or not applicable
 * @param type the error type
 * @param message what went wrong, without the position
 * @param raw the record's text as far as known (fields re-joined for CSV), or null
 * @since 0.1
 */
public record Reject(
    String file,
    long line,
    long byteOffset,
    int column,
    ErrorType type,
    String message,
    @Nullable String raw) {}
