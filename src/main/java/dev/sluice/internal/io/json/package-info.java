/**
 * JSON Lines output with Jackson core: one JSON object per record, one record per line. Output
 * only: JSON Lines files cannot be read as input.
 *
 * <p>Everything is non-null unless marked {@code @Nullable}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.internal.io.json;

import org.jspecify.annotations.NullMarked;
