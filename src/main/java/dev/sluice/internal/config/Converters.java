package dev.sluice.internal.config;

import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.InputAction;
import dev.sluice.api.PipelineSpec;
import java.nio.charset.Charset;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * The command line's converters: the same readings as the job file's ({@link Values}), with the
 * problem as picocli's conversion message; {@code Main} puts the option in front. Each is named on
 * its options ({@code converter = ...}), so that any {@code CommandLine} over the mixins reads them
 * alike.
 *
 * <p>Thread-safe: stateless.
 */
public final class Converters {
  private Converters() {}

  /** Base of the converters named on options. */
  abstract static class Named<T> implements ITypeConverter<T> {
    @Override
    public final T convert(String value) {
      try {
        return read(value);
      } catch (BadValue e) {
        throw new TypeConversionException(String.valueOf(e.getMessage()));
      }
    }

    abstract T read(String value);
  }

  /** A count of at least 1. */
  public static final class Positive extends Named<Integer> {
    @Override
    Integer read(String value) {
      return Values.positive(value);
    }
  }

  /** A count of at least 0. */
  public static final class NonNegative extends Named<Integer> {
    @Override
    Integer read(String value) {
      try {
        int n = Integer.parseInt(value.strip());
        if (n >= 0) {
          return n;
        }
      } catch (NumberFormatException e) {
        // the message below
      }
      throw new BadValue("must be >= 0 (got " + value + ")");
    }
  }

  /** A size of at least one byte: 65536, 64k, 64m, 1g. */
  public static final class Size extends Named<Long> {
    @Override
    Long read(String value) {
      return Values.size(value);
    }
  }

  /** A size of at least one and below 2g (a Java array's reach): batch bytes, record size. */
  public static final class IntSize extends Named<Integer> {
    @Override
    Integer read(String value) {
      return Values.intSize(value);
    }
  }

  /** A size where 0 is allowed. */
  public static final class SizeOrZero extends Named<Long> {
    @Override
    Long read(String value) {
      return Values.sizeOrZero(value);
    }
  }

  /** A duration. */
  public static final class DurationValue extends Named<Duration> {
    @Override
    Duration read(String value) {
      return Values.duration(value);
    }
  }

  /** A positive duration. */
  public static final class PositiveDuration extends Named<Duration> {
    @Override
    Duration read(String value) {
      Duration d = Values.duration(value);
      if (d.isZero()) {
        throw new BadValue("must be positive (got '" + value + "'); leave it out for the default");
      }
      return d;
    }
  }

  /** A delimiter: one character, \t or tab. */
  public static final class Delimiter extends Named<Character> {
    @Override
    Character read(String value) {
      return Values.delimiter(value);
    }
  }

  /** One character. */
  public static final class OneChar extends Named<Character> {
    @Override
    Character read(String value) {
      return Values.oneChar(value);
    }
  }

  /** An input format: csv, tsv or lines. */
  public static final class InputKind extends Named<Format.Kind> {
    @Override
    Format.Kind read(String value) {
      return Values.kind(value, false);
    }
  }

  /** An output format: csv, tsv, lines or jsonl. */
  public static final class OutputKind extends Named<Format.Kind> {
    @Override
    Format.Kind read(String value) {
      return Values.kind(value, true);
    }
  }

  /** {@code auto} or a count of at least 1. */
  public static final class Count extends Named<AutoCount> {
    @Override
    AutoCount read(String value) {
      return Values.autoCount(value);
    }
  }

  /** An error threshold, N or P%. */
  public static final class Threshold extends Named<ErrorThreshold> {
    @Override
    ErrorThreshold read(String value) {
      return Values.threshold(value);
    }
  }

  /** A charset. */
  public static final class CharsetName extends Named<Charset> {
    @Override
    Charset read(String value) {
      return Values.charset(value);
    }
  }

  /** Base of the converters of named choices (any case). */
  abstract static class Choice<E extends Enum<E>> extends Named<E> {
    private final Class<E> type;

    Choice(Class<E> type) {
      this.type = type;
    }

    @Override
    final E read(String value) {
      return Values.choice(type, value);
    }
  }

  /** strings or infer. */
  public static final class JsonTypes extends Choice<Format.JsonTypes> {
    public JsonTypes() {
      super(Format.JsonTypes.class);
    }
  }

  /** keep, delete or move:DIR. */
  public static final class Action extends Named<InputAction> {
    @Override
    InputAction read(String value) {
      return Values.action(value);
    }
  }

  /** fail or skip. */
  public static final class Policy extends Choice<ErrorPolicy> {
    public Policy() {
      super(ErrorPolicy.class);
    }
  }

  /** stat or hash. */
  public static final class Identity extends Choice<PipelineSpec.Identity> {
    public Identity() {
      super(PipelineSpec.Identity.class);
    }
  }

  /** bytes, commons or fastcsv. */
  public static final class Parser extends Choice<Format.Parser> {
    public Parser() {
      super(Format.Parser.class);
    }
  }

  /** skip, fail or keep. */
  public static final class BlankLines extends Choice<Format.BlankLines> {
    public BlankLines() {
      super(Format.BlankLines.class);
    }
  }

  /** report or replace. */
  public static final class Malformed extends Choice<Format.MalformedInput> {
    public Malformed() {
      super(Format.MalformedInput.class);
    }
  }

  /** strict, fill or union. */
  public static final class Match extends Choice<ColumnMatch> {
    public Match() {
      super(ColumnMatch.class);
    }
  }
}
