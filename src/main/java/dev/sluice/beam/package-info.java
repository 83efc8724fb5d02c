/**
 * Runs a Sluice job on Apache Beam: {@link dev.sluice.beam.BeamEngine} turns a {@link
 * dev.sluice.api.PipelineSpec} into a Beam pipeline with one element per input file, and each
 * element is processed by {@code dev.sluice.Sluice.processFile} exactly as the local engine would
 * process it, so outputs are byte-identical whichever engine wrote them.
 *
 * <p>Beam is an optional dependency of Sluice: this package is the only code that imports it, and
 * an application that uses it declares {@code beam-sdks-java-core} and a runner itself. Code here
 * depends on the API, the formats ({@code dev.sluice.internal.io}) and the {@code
 * dev.sluice.Sluice} entry point, never on the engine's internals or the CLI. Everything is
 * non-null unless marked {@code @Nullable}.
 */
@NullMarked
package dev.sluice.beam;

import org.jspecify.annotations.NullMarked;
