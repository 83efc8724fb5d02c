/**
 * The local engine: listing, reader, transformer and writer pools joined by bounded queues, a
 * per-reader budget of in-flight bytes, per-file reorder buffers, atomic commits, and one
 * cancellation path. Everything here is package-private except {@link
 * dev.sluice.engine.LocalEngine}, which {@code dev.sluice.Sluice} calls.
 *
 * <p>Read {@code docs/ARCHITECTURE.md} first: it explains the message protocol ({@code Batch},
 * {@code Chunk}, end-of-stream markers), why the memory bound cannot deadlock, and the cancellation
 * path.
 *
 * <p>Naming: {@code *Worker} classes are the stage loops (one instance per thread, single-threaded
 * state); other classes are shared and say how they are synchronised.
 *
 * <p>Internal: not part of Sluice's API (see {@code dev.sluice.Sluice} and {@code dev.sluice.api}).
 * Its public types are public only so that Sluice's own packages can reach them; they may change or
 * go in any release.
 */
@NullMarked
package dev.sluice.engine;

import org.jspecify.annotations.NullMarked;
