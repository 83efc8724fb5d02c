/**
 * CSV and TSV: strict RFC 4180 reading with Apache Commons CSV as the reference, and minimal RFC
 * 4180 quoting on output. TSV is CSV with a tab delimiter (quotes still apply). By default ({@link
 * dev.sluice.api.Format.Parser#BYTES}) a UTF-8, US-ASCII or ISO-8859-1 file is read from its bytes
 * ({@code ByteCsvRecordReader}): the plainly well-formed records are split in the bytes, and at the
 * first record that is anything else the file is handed to Commons CSV, which reads it again from
 * the start, passes over the records already given and reads the rest, so every rule below is
 * Commons CSV's own. With {@link dev.sluice.api.Format.Parser#FASTCSV} FastCSV splits the fields
 * instead, behind the same record scanner; a record FastCSV would read differently is read by
 * Commons CSV ({@code FastCsvRecordReader}).
 *
 * <h2>Reading rules</h2>
 *
 * <p>Shared by CSV and TSV:
 *
 * <ul>
 *   <li>Fields are taken as they are: no trimming, no ignored spaces around quotes (a field that
 *       starts with a space before its quote is unquoted and keeps the quotes as text). A quote
 *       inside an unquoted field is kept as text, as Commons CSV does ({@code 5" pipe} reads as
 *       {@code 5" pipe}). One leniency of Commons CSV remains, as no setting turns it off:
 *       whitespace between a closing quote and the delimiter is dropped ({@code "x" ,y} reads as
 *       {@code x} and {@code y}).
 *   <li>A line break is an LF, a CR or a CRLF, in any mix, inside quoted fields too; each counts as
 *       one line for the line numbers reported. A line break at the very end of the file ends the
 *       last record and does not start another; a last record without one is read.
 *   <li>A blank line (no character at all between two line breaks, outside quotes; CRLF and CR ones
 *       too, and before the header) is not a record by default ({@link
 *       dev.sluice.api.Format.BlankLines#SKIP}): it is skipped and counted ({@code
 *       blankLinesSkipped()}), in a one-column file too, and the lines of later records stay the
 *       file's. A line of spaces is a record (one field holding the spaces), and so is a line of
 *       {@code ""} (one empty field, which is how a CSV writer writes an empty value alone on its
 *       line). {@code FAIL} rejects each blank line ({@code WRONG_FIELD_COUNT} "blank line", or
 *       before the header {@code FILE_FAILED}); {@code KEEP} reads it as RFC 4180 does, one empty
 *       field. Splits agree: the planner takes blank lines for what the setting makes of them, and
 *       the first split always holds the first record, however many blank lines come first.
 *   <li>Every record must have exactly as many fields as there are columns (from the header, the
 *       configured names, or the first record).
 *   <li>The size of a record is its chars from its first to the last before its line break
 *       (delimiters, quotes and line breaks inside quoted fields included). A record larger than
 *       {@link dev.sluice.api.Format#maxRecordSize()} is never held: the parser is handed at most
 *       that many of its chars.
 *   <li>A byte order mark is skipped (UTF-8), or skipped and followed (UTF-16 and UTF-32). Gzip is
 *       detected by its magic bytes, not by the file name: a {@code .gz} file that does not start
 *       with them is read as plain text.
 *   <li>A 0-byte file (or one holding only a byte order mark) has no columns and no records; a file
 *       with only a header has columns and no records.
 * </ul>
 *
 * <h2>Bad input</h2>
 *
 * <p>A recoverable {@link dev.sluice.api.spi.RecordException} concerns one record: the next {@code
 * next()} goes on with the record after it. Any other failure fails the file: every further {@code
 * next()} throws the same exception. Every failure in the header row fails the file, whatever its
 * type, as the records cannot be named without it.
 *
 * <table class="striped">
 *   <caption>What each bad input gets</caption>
 *   <thead>
 *     <tr><th scope="col">Input</th><th scope="col">Error type</th>
 *         <th scope="col">Recoverable</th><th scope="col">What the reader does next</th></tr>
 *   </thead>
 *   <tbody>
 *     <tr><td>More fields than columns</td><td>{@code WRONG_FIELD_COUNT} (column: the first
 *         extra field)</td><td>yes</td><td>Reads the next record; {@code values()} has the
 *         fields as read.</td></tr>
 *     <tr><td>Fewer fields than columns (under {@code BlankLines.KEEP}, a blank line is one empty
 *         field)</td>
 *         <td>{@code WRONG_FIELD_COUNT}, or none with {@code allowShortRecords}: the record is
 *         padded with empty values</td><td>yes</td><td>Reads the next record.</td></tr>
 *     <tr><td>Bytes not valid in the charset, with {@code MalformedInput.REPORT}</td>
 *         <td>{@code INVALID_ENCODING}, with the file offset of the first bad byte (-1 for gzip)
 *         and the field holding it</td><td>yes</td><td>Reads the next record: the bytes were
 *         decoded as U+FFFD, so the parser kept its place; {@code values()} has the fields with
 *         U+FFFD.</td></tr>
 *     <tr><td>The same, with {@code MalformedInput.REPLACE}</td><td>none: the record is kept
 *         with U+FFFD</td><td></td><td></td></tr>
 *     <tr><td>A record over {@code maxRecordSize}</td><td>{@code RECORD_TOO_LARGE}, thrown when
 *         the limit is passed</td><td>yes</td><td>The next call skips the rest of the record
 *         without keeping it, following its quotes, then reads the record after it.</td></tr>
 *     <tr><td>The same, when the skip reaches the end of the file inside a quoted field</td>
 *         <td>then {@code MALFORMED_CSV} (unterminated quote) on that next call</td><td>no</td>
 *         <td>Fails the file.</td></tr>
 *     <tr><td>A quote not closed before the end of the file</td><td>{@code MALFORMED_CSV}, at
 *         the line where the record starts</td><td>no</td><td>Fails the file: there is no
 *         record boundary to resume at.</td></tr>
 *     <tr><td>Characters between a closing quote and the next delimiter or line break, with an
 *         even number of quotes in that field up to the end of the line</td>
 *         <td>{@code MALFORMED_CSV}</td><td>yes</td><td>Resumes after the line break that ends
 *         that line.</td></tr>
 *     <tr><td>The same with an odd number of quotes</td><td>{@code MALFORMED_CSV}</td>
 *         <td>no</td><td>Fails the file.</td></tr>
 *     <tr><td>A stray quote inside an unquoted field</td><td>none: kept as text</td><td></td>
 *         <td></td></tr>
 *     <tr><td>A NUL char (a binary file)</td><td>{@code FILE_FAILED} "looks like a binary file
 *         (NUL byte at offset N)"; when opened if it is within the first 8 Ki chars</td>
 *         <td>no</td><td>Fails the file (the records before the NUL were read).</td></tr>
 *     <tr><td>Truncated gzip</td><td>{@code FILE_FAILED} "truncated gzip stream"</td><td>no</td>
 *         <td>Fails the file.</td></tr>
 *     <tr><td>Corrupt gzip (bad data or checksum)</td><td>{@code FILE_FAILED} "corrupt gzip data
 *         (...)"</td><td>no</td><td>Fails the file.</td></tr>
 *     <tr><td>A duplicate or empty header name</td><td>{@code FILE_FAILED} "duplicate column
 *         name 'id' (columns 1 and 4)", "empty column name (column 3)"</td><td>no</td>
 *         <td>Fails the file when opened. Headerless files are not checked.</td></tr>
 *   </tbody>
 * </table>
 *
 * <h2>Where reading resumes, and why</h2>
 *
 * <p>The reader follows the RFC 4180 syntax itself, below Commons CSV's buffer, so it knows where
 * each record starts and ends independently of the parser ({@code RecordScanner}).
 *
 * <ul>
 *   <li><b>A record over the size limit</b> is skipped to its real end, which the syntax determines
 *       exactly even inside a quoted field: quotes are followed while skipping as they would be
 *       while parsing, so the record after it is read as if no limit existed. Only when the file
 *       ends inside a quoted field is there no end to resume at; the file then fails, as for any
 *       unterminated quote. The error is thrown as soon as the limit is passed; the skip happens on
 *       the next call, so a gzip bomb of one line costs its decompression time but never its size
 *       in memory.
 *   <li><b>Characters after a closing quote</b> usually mean a quote inside a quoted field that was
 *       not doubled ({@code "He said "hi" to me"}). Such quotes come in pairs, so if the field's
 *       quotes up to the end of the line are even, that line break is outside the field and the
 *       next line starts a record: the reader resumes there. If they are odd, the line break may be
 *       inside the intended field, and anything read after it could be a field's inside taken for
 *       records: the file fails rather than yield wrong records.
 *   <li><b>An unterminated quote</b> is found at the end of the file: nothing is left to resume.
 *   <li><b>Bad bytes and wrong field counts</b> leave the parser's place intact: reading goes on
 *       with the next record, nothing is skipped.
 * </ul>
 *
 * <h2>Splits: one large file read by several readers</h2>
 *
 * <p>A plain file of at least 1.5 {@link dev.sluice.api.Format#splitSize()} is cut into byte ranges
 * that start at records ({@code CsvSplitter}). It is not cut when it is gzip (magic bytes), when
 * the charset is not UTF-8, US-ASCII, ISO-8859-* or windows-125x (UTF-16 and UTF-32 never are),
 * when the delimiter or quote is not ASCII, when its file system cannot position a channel, or when
 * its header (or first record) cannot be read.
 *
 * <ul>
 *   <li><b>Boundaries.</b> From each nominal offset the planner takes the next line break (never
 *       between a CR and its LF) and reads the next 256 KiB twice: as if the line break were
 *       outside quotes, and as if it were inside a quoted field. A reading dies at a record whose
 *       field count is not the file's width (header, configured columns, or first record), at
 *       characters after a closing quote, at the end of the file inside quotes, or (inside) when
 *       its quoted field does not close within the window. The reading that dies first loses; when
 *       neither dies the boundary is dropped and the neighbouring splits merge. In a well-formed
 *       file the true reading never dies, so every boundary found is right.
 *   <li><b>Reading a split.</b> Each split reads exactly its bytes. The first split reads the
 *       header and skips a byte order mark; a later one takes its columns from the file's start
 *       (the header, or the first record read without error) and counts lines from its own start;
 *       the engine makes them file lines from {@code linesRead()}, and a failure that ends the run
 *       or the file counts the lines before its split ({@code linesBefore()}). Byte offsets are
 *       file offsets; {@code bytesRead()} counts the split's bytes. Everything in the tables above
 *       holds inside a split, as a split starts at a record exactly where a whole-file read would.
 *   <li><b>The check.</b> Every split but the last must end right after a record's line break
 *       outside quotes. One that ends inside a quoted field that no quote in the rest of the file
 *       closes has found the file's own unterminated quote (the planner keeps boundaries after such
 *       a quote, since the rest of the file reads like records): it fails the file with the {@code
 *       MALFORMED_CSV} a whole-file read gives, at the same line and column (preceded by {@code
 *       RECORD_TOO_LARGE} if the record, run to the end of the file, is over the limit); only the
 *       record number is unknown in a split after the first. Any other split that ends inside a
 *       quoted field or a record means a wrong boundary (possible only near bad records): the file
 *       fails with {@code FILE_FAILED} "bad split boundary", its byte offset, and the hint to read
 *       it whole ({@code --split-size 0}); no record of it is written. A later split that started
 *       at the wrong place may report its misread records as rejects before the check fails the
 *       file.
 * </ul>
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.io.csv;

import org.jspecify.annotations.NullMarked;
