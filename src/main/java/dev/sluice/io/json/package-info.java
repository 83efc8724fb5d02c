/**
 * JSON Lines output with Jackson core: one JSON object per record, one record per line. Output
 * only: JSON Lines files cannot be read as input.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.io.json;

import org.jspecify.annotations.NullMarked;
