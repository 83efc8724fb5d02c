package dev.sluice.api.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.Columns;
import dev.sluice.api.Format;
import dev.sluice.api.Row;
import dev.sluice.api.spi.RecordFormatter;
import dev.sluice.internal.io.Formats;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;

/**
 * The UTF-8 output path against the char path it replaces for UTF-8 output: the same bytes as the
 * text encoded by the JDK, and the same refusal of a char UTF-8 cannot encode.
 */
class Utf8SinkTest {
  @Provide
  Arbitrary<String> texts() {
    Arbitrary<String> piece =
        Arbitraries.of(
            "a",
            "Zoë",
            "Łukasz",
            "陈静",
            "\uD83D\uDE00",
            ",",
            "\"",
            "\n",
            "\r\n",
            " ",
            "",
            "x\"y",
            "ễ",
            "\u00ff",
            "\u0800",
            "\uFFFD",
            "\t");
    return piece.list().ofMaxSize(6).map(l -> String.join("", l));
  }

  @Property(tries = 500)
  void writesWhatTheJdkEncodes(@ForAll("texts") String a, @ForAll("texts") String b) {
    Utf8Sink sink = new Utf8Sink();
    sink.append(a);
    sink.append(',');
    sink.append(b, 0, b.length());
    assertThat(sink.toArray()).isEqualTo((a + "," + b).getBytes(UTF_8));
  }

  @Property(tries = 500)
  void plainAsciiIsAppendedWholeOrNotAtAll(@ForAll("texts") String a, @ForAll("texts") String b) {
    Utf8Sink sink = new Utf8Sink();
    sink.append(a);
    boolean plain = sink.appendPlainAscii(b, ',', '"');
    boolean expected =
        b.chars().allMatch(c -> c < 0x80 && c != ',' && c != '"' && c != '\n' && c != '\r');
    assertThat(plain).isEqualTo(expected);
    // A refused value leaves nothing behind: what follows is written where it began.
    sink.append('|');
    assertThat(new String(sink.toArray(), UTF_8)).isEqualTo(a + (plain ? b : "") + "|");
  }

  @Property(tries = 300)
  void csvRecordsAreTheBytesOfTheCharPath(
      @ForAll("texts") String a, @ForAll("texts") String b, @ForAll("texts") String c) {
    for (Format f :
        List.of(Format.csv(), Format.tsv(), Format.csv().toBuilder().quote('\'').build())) {
      RecordFormatter chars = Formats.output(f).newFormatter();
      assertThat(chars).isInstanceOf(Utf8Formatter.class);
      Columns cols = Columns.of("a", "b", "c");
      Row row = Row.of(cols, a, b, c);
      StringBuilder sb = new StringBuilder();
      chars.header(cols, sb);
      chars.record(row, sb);
      chars.record(Row.of(Columns.of("x"), ""), sb);
      Utf8Sink sink = new Utf8Sink();
      Utf8Formatter bytes = (Utf8Formatter) chars;
      bytes.header(cols, sink);
      bytes.record(row, sink);
      bytes.record(Row.of(Columns.of("x"), ""), sink);
      assertThat(new String(sink.toArray(), UTF_8)).isEqualTo(sb.toString());
    }
  }

  @Test
  void anUnpairedSurrogateRefusesTheBatchAsTheEncoderDoes() {
    Utf8Sink sink = new Utf8Sink();
    sink.append("ok,é,");
    sink.append("bad \uD800 here");
    assertThatThrownBy(sink::toArray)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output contains a character that UTF-8 cannot encode (near output char 9)");
    StringBuilder same = new StringBuilder("ok,é,bad \uD800 here");
    assertThatThrownBy(() -> new dev.sluice.engine.TextEncoderAccess().encode(same))
        .hasMessage("output contains a character that UTF-8 cannot encode (near output char 9)");
  }

  @Test
  void aRecordTakenBackTakesItsBadCharWithIt() {
    Utf8Sink sink = new Utf8Sink();
    sink.append("a\n");
    int mark = sink.length();
    sink.append("\uDC00\n");
    sink.setLength(mark);
    sink.append("b\n");
    assertThat(sink.toArray()).isEqualTo("a\nb\n".getBytes(UTF_8));
    sink.reset();
    assertThat(sink.toArray()).isEmpty();
  }

  /**
   * A value of 16 chars or more is encoded at once and checked a word at a time: a long value with
   * a '?', a delimiter, a quote, a line break or an unpaired surrogate (which the JDK's encoder
   * would write as '?') still gets the char path's bytes, or its refusal.
   */
  @Test
  void longValuesGetTheCharPathsBytesAndRefusal() {
    RecordFormatter chars = Formats.output(Format.csv()).newFormatter();
    Utf8Formatter bytes = (Utf8Formatter) chars;
    Columns cols = Columns.of("a", "b");
    String pad = "0123456789abcdef";
    for (String v :
        List.of(
            pad + pad,
            pad + "?" + pad,
            pad + "," + pad,
            "\"" + pad,
            pad + "\n",
            pad + "\r\n" + pad,
            pad + "é" + pad,
            pad + "\uD83D\uDE00")) {
      Row row = Row.of(cols, v, pad);
      StringBuilder sb = new StringBuilder();
      chars.record(row, sb);
      Utf8Sink sink = new Utf8Sink();
      bytes.record(row, sink);
      assertThat(new String(sink.toArray(), UTF_8)).as(v).isEqualTo(sb.toString());
    }
    Utf8Sink sink = new Utf8Sink();
    bytes.record(Row.of(cols, pad + "\uD800" + pad, "x"), sink);
    assertThatThrownBy(sink::toArray)
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("UTF-8 cannot encode");
  }
}
