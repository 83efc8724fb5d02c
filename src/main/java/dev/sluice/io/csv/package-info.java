/**
 * CSV and TSV: strict RFC 4180 reading with Apache Commons CSV, and minimal RFC 4180 quoting on
 * output. TSV is CSV with a tab delimiter (quotes still apply).
 *
 * <p>Reading rules, shared by CSV and TSV:
 *
 * <ul>
 *   <li>Fields are taken as they are: no trimming, no ignored spaces around quotes (a field that
 *       starts with a space before its quote is unquoted and keeps the quotes as text). A quote
 *       inside an unquoted field is kept as text, as Commons CSV does.
 *   <li>An empty line is a record with one empty field: a one-column file reads it as an empty
 *       value, any other file as a {@code WRONG_FIELD_COUNT} error. A line break at the very end
 *       of the file ends the last record and does not start another.
 *   <li>Every record must have exactly as many fields as there are columns (from the header, the
 *       configured names, or the first record), else {@code WRONG_FIELD_COUNT}, after which
 *       reading goes on.
 *   <li>An unterminated quote, or characters between a closing quote and the next delimiter or
 *       line break, is {@code MALFORMED_CSV}, after which the file cannot be read further. One
 *       leniency of Commons CSV remains, as no setting turns it off: whitespace between a closing
 *       quote and the delimiter is dropped ({@code "x" ,y} reads as {@code x} and {@code y}).
 * </ul>
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.io.csv;

import org.jspecify.annotations.NullMarked;
