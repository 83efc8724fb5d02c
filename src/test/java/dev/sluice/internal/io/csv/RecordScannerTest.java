package dev.sluice.internal.io.csv;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.internal.io.csv.RecordScanner.ScannedRecord;
import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class RecordScannerTest {
  private static RecordScanner scanner(String text, int maxRecordSize) {
    return new RecordScanner(new StringReader(text), (from, to) -> {}, ',', '"', maxRecordSize);
  }

  /** The chunks successive reads of {@code size} chars hand out, up to the end. */
  private static List<String> chunks(Reader r, int size) throws IOException {
    List<String> out = new ArrayList<>();
    char[] buf = new char[size];
    int n;
    while ((n = r.read(buf, 0, size)) >= 0) {
      out.add(new String(buf, 0, n));
    }
    return out;
  }

  @Test
  void handsOutTheTextInReadsOfAtMost8Ki() throws IOException {
    String text = "a,b\nc,\"d\ne\"\r\nf\rg".repeat(3000);
    RecordScanner s = scanner(text, 100);
    List<String> chunks = chunks(s, 100_000);
    assertThat(String.join("", chunks)).isEqualTo(text);
    assertThat(chunks).allSatisfy(c -> assertThat(c.length()).isLessThanOrEqualTo(8192));
    assertThat(s.stop()).isEqualTo(RecordScanner.END);
  }

  @Test
  void resumesRightAfterATakenRecordWithinTheTextItKeeps() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 5000; i++) {
      text.append(i).append(i % 7 == 0 ? ",\"x\r\ny\"\r" : ",z\r\n");
    }
    RecordScanner s = scanner(text.toString(), 100);
    char[] buf = new char[8192];
    long handed = 0;
    while (handed < 30_000) {
      handed += s.read(buf, 0, buf.length);
    }
    // A parser fails in the record that ends within the last read, having buffered the rest.
    ScannedRecord r = s.take();
    int taken = 1;
    while (r.nextStart < handed - 100) {
      r = s.take();
      taken++;
    }
    s.resumeAfter(r);
    String again = String.join("", chunks(s, 8192));
    assertThat(again).isEqualTo(text.substring((int) r.nextStart));
    ScannedRecord next = s.take();
    assertThat(next.start).isEqualTo(r.nextStart);
    assertThat(next.line).isEqualTo(r.nextLine).isEqualTo(taken + 1 + (taken - 1) / 7 + 1);
    assertThat(s.rawText(next)).startsWith(taken + ",");
  }

  @Test
  void handsOutTheLfOfACrLfThatEndsARead() throws IOException {
    RecordScanner s = scanner("abc\r\nd\n", 100);
    assertThat(chunks(s, 4)).containsExactly("abc\r", "\nd\n");
    ScannedRecord first = s.take();
    assertThat(first.start).isZero();
    assertThat(first.contentEnd).isEqualTo(3);
    ScannedRecord second = s.take();
    assertThat(second.start).isEqualTo(5);
    assertThat(second.line).isEqualTo(2);
  }

  @Test
  void locatesRecordsAndCountsLineBreaksInsideQuotes() throws IOException {
    RecordScanner s = scanner("h\r\n\"x\r\ny\nz\rw\",1\n\n2,\"\"\"\"\r3", 100);
    chunks(s, 8192);
    List<String> spans = new ArrayList<>();
    for (int k = 0; k < 5; k++) {
      ScannedRecord r = s.take();
      spans.add(r.line + ":" + r.start + "-" + r.contentEnd + ":" + s.rawText(r));
    }
    assertThat(spans)
        .containsExactly(
            "1:0-1:h", "2:3-15:\"x\r\ny\nz\rw\",1", "6:16-16:", "7:17-23:2,\"\"\"\"", "8:24-25:3");
  }

  @Test
  void returnsTheEndOfTheTextAtTheSizeLimitThenSkipsTheRestOfTheRecordFollowingQuotes()
      throws IOException {
    String big = "1234567890,\"quoted \r\n, with \"\"quotes\"\"\nand more\",tail";
    RecordScanner s = scanner("ab\n" + big + "\r\nnext,1\n", 10);
    assertThat(chunks(s, 8192)).containsExactly("ab\n1234567890");
    assertThat(s.stop()).isEqualTo(RecordScanner.CAP);
    assertThat(s.take().contentEnd).isEqualTo(2);
    ScannedRecord r = s.take();
    assertThat(r.complete()).isFalse();
    assertThat(r.capOffset).isEqualTo(13);
    assertThat(s.fieldAt(r, r.capOffset)).isEqualTo(1);
    assertThat(s.rawText(r)).isEqualTo("1234567890…");
    s.skipRecord();
    assertThat(r.complete()).isTrue();
    assertThat(r.contentEnd - r.start).isEqualTo(big.length());
    assertThat(s.stop()).isEqualTo(RecordScanner.NONE);
    assertThat(chunks(s, 8192)).containsExactly("next,1\n");
    ScannedRecord next = s.take();
    assertThat(next.line).isEqualTo(5);
    assertThat(s.peak()).isEqualTo(10);
  }

  @Test
  void acceptsARecordOfExactlyTheLimitWhateverEndsIt() throws IOException {
    for (String text : List.of("12345\nx", "12345\r\nx", "12345\rx", "12345")) {
      RecordScanner s = scanner(text, 5);
      assertThat(String.join("", chunks(s, 8192))).isEqualTo(text);
      assertThat(s.stop()).isEqualTo(RecordScanner.END);
      assertThat(s.take().contentEnd).isEqualTo(5);
    }
    RecordScanner s = scanner("\"1\n3\"\n", 5);
    assertThat(String.join("", chunks(s, 8192))).isEqualTo("\"1\n3\"\n");
    assertThat(s.stop()).isEqualTo(RecordScanner.END);
    RecordScanner over = scanner("\"1\n34\"\n", 5);
    assertThat(chunks(over, 8192)).containsExactly("\"1\n34");
    assertThat(over.stop()).isEqualTo(RecordScanner.CAP);
  }

  @Test
  void marksJunkAfterAClosingQuoteAndCountsTheFieldsQuotesToTheLineBreak() throws IOException {
    RecordScanner s = scanner("\"a\"b,\"c\"\n\"x\" y\"\n", 100);
    chunks(s, 8192);
    ScannedRecord even = s.take();
    assertThat(even.junkOffset).isEqualTo(3);
    assertThat(s.fieldAt(even, even.junkOffset)).isEqualTo(1);
    assertThat(even.junkEven).isTrue();
    ScannedRecord odd = s.take();
    assertThat(odd.junkOffset).isEqualTo(13);
    assertThat(odd.junkEven).isFalse();
  }

  @Test
  void allowsWhitespaceAfterAClosingQuote() throws IOException {
    RecordScanner s = scanner("\"a\" \t,b\n", 100);
    chunks(s, 8192);
    assertThat(s.take().junkOffset).isEqualTo(-1);
  }

  @Test
  void marksAQuotedFieldOpenAtTheEndOfTheText() throws IOException {
    RecordScanner s = scanner("a,\"b\nc", 100);
    chunks(s, 8192);
    ScannedRecord r = s.take();
    assertThat(r.unterminated).isTrue();
    assertThat(s.fieldAt(r, r.contentEnd)).isEqualTo(2);
    assertThat(r.line).isEqualTo(1);
  }

  @Test
  void keepsTheStartOfARecordLongerThanItsBufferForItsText() throws IOException {
    StringBuilder text = new StringBuilder();
    for (int i = 0; i < 30_000; i++) {
      text.append(i % 10);
    }
    String record = text.toString().repeat(10);
    RecordScanner s = scanner("a\n" + record + "\nb\n", 1_000_000);
    chunks(s, 8192);
    s.take();
    ScannedRecord r = s.take();
    assertThat(r.contentEnd - r.start).isEqualTo(300_000);
    assertThat(s.rawText(r)).isEqualTo(record.substring(0, 4096) + "…");
  }

  @Test
  void tellsTheFieldOfAnOffset() throws IOException {
    RecordScanner s = scanner("a,\"b,\"\"c\",d,,e\n", 100);
    chunks(s, 8192);
    ScannedRecord r = s.take();
    assertThat(s.fieldAt(r, 0)).isEqualTo(1);
    assertThat(s.fieldAt(r, 5)).isEqualTo(2);
    assertThat(s.fieldAt(r, 10)).isEqualTo(3);
    assertThat(s.fieldAt(r, 11)).isEqualTo(3);
    assertThat(s.fieldAt(r, 14)).isEqualTo(5);
  }
}
