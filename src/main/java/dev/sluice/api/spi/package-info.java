/**
 * Service-provider contracts between the engine and the file formats: how a split of an input file
 * is read into records ({@link dev.sluice.api.spi.InputFormatProvider}, {@link
 * dev.sluice.api.spi.RecordReader}) and how records become output text ({@link
 * dev.sluice.api.spi.OutputFormatProvider}, {@link dev.sluice.api.spi.RecordFormatter}). Most users
 * never touch this package; it exists so that formats and the engine do not depend on each other,
 * and so that tests can feed the engine from fake sources.
 */
@NullMarked
package dev.sluice.api.spi;

import org.jspecify.annotations.NullMarked;
