/**
 * HTTP and HTTPS inputs: {@link dev.sluice.internal.io.http.HttpInput} fetches URL inputs for the
 * formats with retries and timeouts, {@link dev.sluice.internal.io.http.UrlList} reads a list of
 * URLs. Everything is non-null unless marked {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.io.http;

import org.jspecify.annotations.NullMarked;
