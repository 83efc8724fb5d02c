package dev.sluice.engine;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import org.junit.jupiter.api.Test;

/**
 * The transformer's array-backed encoder against the plain path it replaced (the charset's
 * reporting encoder reading the text builder directly): identical bytes, or both refuse.
 */
class TextEncoderTest {
  private static final List<Charset> CHARSETS =
      List.of(
          StandardCharsets.UTF_8,
          StandardCharsets.ISO_8859_1,
          StandardCharsets.US_ASCII,
          StandardCharsets.UTF_16LE,
          Charset.forName("windows-1252"));

  /** The plain path: what TransformerWorker did before, and what any reporting encoder does. */
  private static byte[] plain(Charset charset, CharSequence text) throws CharacterCodingException {
    ByteBuffer b =
        charset
            .newEncoder()
            .onMalformedInput(CodingErrorAction.REPORT)
            .onUnmappableCharacter(CodingErrorAction.REPORT)
            .encode(CharBuffer.wrap(text));
    byte[] out = new byte[b.remaining()];
    b.get(out);
    return out;
  }

  @Provide
  Arbitrary<List<String>> texts() {
    // Mostly ASCII with Latin-1, other BMP characters, supplementary pairs and lone surrogates.
    Arbitrary<Character> chars =
        Arbitraries.frequencyOf(
            Tuple.of(20, Arbitraries.chars().range(' ', '~')),
            Tuple.of(3, Arbitraries.chars().range('\u00a0', '\u00ff')),
            Tuple.of(2, Arbitraries.chars().range('\u0100', '\ud7ff')),
            Tuple.of(1, Arbitraries.chars().range('\ud800', '\udfff')),
            Tuple.of(2, Arbitraries.of('\n', '\r', ',', '"')));
    Arbitrary<String> text =
        Arbitraries.oneOf(
            chars.list().ofMaxSize(300).map(TextEncoderTest::join),
            Arbitraries.of("", "\ud83d\ude00", "a\ud83d\ude00b", "\ud83d", "x\ude00"));
    return text.list().ofMinSize(1).ofMaxSize(6);
  }

  private static String join(List<Character> cs) {
    StringBuilder sb = new StringBuilder(cs.size());
    cs.forEach(sb::append);
    return sb.toString();
  }

  @Property(tries = 300)
  void encodesLikeThePlainPathOrRefusesLikeIt(@ForAll("texts") List<String> batches) {
    for (Charset charset : CHARSETS) {
      // One encoder for all batches of a property, as one transformer thread reuses it.
      TextEncoder encoder = new TextEncoder(charset);
      for (String batch : batches) {
        StringBuilder text = new StringBuilder(batch);
        byte[] expected;
        try {
          expected = plain(charset, text);
        } catch (CharacterCodingException e) {
          assertThatThrownBy(() -> encoder.encode(text))
              .isInstanceOf(IllegalArgumentException.class)
              .hasMessageContaining(charset.name() + " cannot encode");
          continue;
        }
        assertThat(encoder.encode(text)).as("%s, %s", charset, batch).isEqualTo(expected);
      }
    }
  }

  @Test
  void aShortTextAfterALongOneLeavesNothingOfTheLongOneBehind() throws Exception {
    TextEncoder encoder = new TextEncoder(StandardCharsets.UTF_8);
    // Past the initial 64 Ki chars and past the size kept for the next batch (4 Mi chars).
    StringBuilder huge = new StringBuilder();
    while (huge.length() <= TextEncoder.KEEP_CAPACITY + 10) {
      huge.append("ü,\ud83d\ude00,x\n");
    }
    assertThat(encoder.encode(huge)).isEqualTo(plain(StandardCharsets.UTF_8, huge));
    StringBuilder small = new StringBuilder("a,b\n");
    assertThat(encoder.encode(small)).containsExactly('a', ',', 'b', '\n');
    assertThat(encoder.encode(new StringBuilder())).isEmpty();
  }

  @Test
  void anUnpairedSurrogateIsRefusedNotReplaced() {
    TextEncoder encoder = new TextEncoder(StandardCharsets.UTF_8);
    assertThatThrownBy(() -> encoder.encode(new StringBuilder("ok,\ud800\n")))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("output contains a character that UTF-8 cannot encode (near output char 3)");
    // The encoder is reset for the next batch.
    assertThat(encoder.encode(new StringBuilder("é\n")))
        .isEqualTo("é\n".getBytes(StandardCharsets.UTF_8));
  }
}
