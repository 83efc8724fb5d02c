/**
 * Durable file operations shared by the engine, the reports and the CLI: forcing files and
 * directories to disk, making directories durably, and writing a whole file atomically ({@link
 * dev.sluice.internal.fs.AtomicWrite}). Internal API: public only so that those packages can share
 * it without depending on each other; not for library users, and it may change in any release.
 *
 * <p>Depends on the JDK only. Everything is non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.internal.fs;

import org.jspecify.annotations.NullMarked;
