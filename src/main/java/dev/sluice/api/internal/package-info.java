/**
 * The door through which Sluice's own packages make API objects that users cannot: {@link
 * dev.sluice.api.internal.ApiAccess}.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.api.internal;

import org.jspecify.annotations.NullMarked;
