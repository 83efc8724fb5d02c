/**
 * HTTP and HTTPS inputs: {@link dev.sluice.io.http.HttpInput} fetches URL inputs for the formats
 * with retries and timeouts, {@link dev.sluice.io.http.UrlList} reads a list of URLs.
 * Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.io.http;

import org.jspecify.annotations.NullMarked;
