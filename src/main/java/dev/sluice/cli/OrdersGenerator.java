package dev.sluice.cli;

import dev.sluice.internal.fs.AtomicWrite;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.Locale;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

/**
 * Writes synthetic but believable "orders" CSV files for tests and benchmarks. The content of a
 * file depends only on the seed, the file's index and the rows per file, so files can be written in
 * parallel and the same seed always gives byte-identical files (plain CSV; gzip output also depends
 * on the JDK's zlib). About 1% of the notes need RFC 4180 quoting (commas, doubled quotes, line
 * breaks); names use non-ASCII letters; lines end in LF.
 *
 * <p>Thread-safe: stateless; each call uses its own random generator and buffers.
 */
final class OrdersGenerator {
  static final String HEADER =
      "order_id,customer_id,customer_name,email,country,product,quantity,unit_price,amount,"
          + "order_date,status,notes";

  static final int COLUMNS = 12;

  private static final int CUSTOMERS = 50_000;

  private static final String[][] FIRST = {
    {"Anna", "anna"}, {"Łukasz", "lukasz"}, {"Søren", "soren"}, {"José", "jose"},
    {"Zoë", "zoe"}, {"Jürgen", "juergen"}, {"François", "francois"}, {"Ingrid", "ingrid"},
    {"Mohammed", "mohammed"}, {"Priya", "priya"}, {"Olivia", "olivia"}, {"Liam", "liam"},
    {"Noah", "noah"}, {"Emma", "emma"}, {"Mateo", "mateo"}, {"Sofía", "sofia"},
    {"Hiroshi", "hiroshi"}, {"Chloé", "chloe"}, {"Björn", "bjorn"}, {"Małgorzata", "malgorzata"},
    {"Ana", "ana"}, {"David", "david"}, {"Sarah", "sarah"}, {"Jan", "jan"},
    {"Fatima", "fatima"}, {"Giulia", "giulia"}, {"Nils", "nils"}, {"Ciarán", "ciaran"}
  };

  private static final String[][] LAST = {
    {"Müller", "mueller"},
    {"Nowak", "nowak"},
    {"Sørensen", "sorensen"},
    {"García", "garcia"},
    {"Smith", "smith"},
    {"Dubois", "dubois"},
    {"Rossi", "rossi"},
    {"Kowalski", "kowalski"},
    {"Ærøskøbing", "aeroeskoebing"},
    {"Öztürk", "ozturk"},
    {"Ólafsdóttir", "olafsdottir"},
    {"Novák", "novak"},
    {"Johnson", "johnson"},
    {"Brown", "brown"},
    {"O'Brien", "obrien"},
    {"Nguyễn", "nguyen"},
    {"Schäfer", "schaefer"},
    {"Fernández", "fernandez"},
    {"Lindqvist", "lindqvist"},
    {"Patel", "patel"},
    {"Jensen", "jensen"},
    {"Weiß", "weiss"},
    {"da Silva", "dasilva"},
    {"Martin", "martin"}
  };

  /** Whole names written family name first, with their email forms. */
  private static final String[][] CJK = {
    {"王伟", "wang.wei"}, {"佐藤 美咲", "sato.misaki"}, {"김민준", "kim.minjun"},
    {"陈静", "chen.jing"}, {"田中 翔", "tanaka.sho"}, {"李娜", "li.na"}
  };

  private static final String[] DOMAINS = {
    "example.com",
    "example.org",
    "mail.example.net",
    "example.de",
    "example.co.uk",
    "post.example.fr",
    "example.jp"
  };

  private static final String[] COUNTRIES = {
    "DE", "FR", "GB", "US", "CA", "ES", "IT", "NL", "PL", "DK",
    "SE", "NO", "CH", "AT", "JP", "CN", "KR", "IN", "BR", "AU"
  };

  private static final String[] PRODUCTS = {
    "USB-C cable 2m", "Wireless mouse", "Mechanical keyboard", "27-inch monitor", "Laptop stand",
    "Noise-cancelling headphones", "Webcam HD", "Desk lamp", "Office chair", "Standing desk",
    "Coffee beans 1kg", "Espresso cups (set of 4)", "Notebook A5", "Fountain pen", "Backpack 20l",
    "Water bottle", "Running shoes", "Yoga mat", "Bluetooth speaker", "E-reader",
    "Phone case", "Screen protector", "Power bank 10000mAh", "Travel adapter"
  };

  private static final int[] PRICE_CENTS = {
    1299, 2499, 8999, 24900, 3999, 19900, 5999, 3499, 29900, 45900, 1899, 2299, 499, 4500, 6900,
    1599, 11900, 2999, 7999, 12900, 1999, 999, 3299, 1499
  };

  private static final String[] SHORT_NOTES = {
    "gift wrap",
    "express",
    "leave at door",
    "call before delivery",
    "B2B",
    "repeat customer",
    "fragile",
    "invoice by email",
    "no invoice",
    "deliver to reception",
    "weekend delivery",
    "Lieferung an Nachbarn",
    "paid by card"
  };

  /** Notes that need quoting: commas, doubled quotes, line breaks, and all three. */
  private static final String[] TRICKY_NOTES = {
    "Leave at the back door, next to the shed",
    "Customer wrote: \"please hurry\"",
    "Deliver after 6pm\nRing twice",
    "Gift, wrap in \"blue\" paper\nno invoice",
    "Größe M, Farbe: grün",
    "Address line 2: \"Flat 3, Rear\""
  };

  private static final String[] DATES = dates();

  private OrdersGenerator() {}

  /** What one call of {@link #writeFile} wrote. */
  record FileStats(Path path, long rows, long bytes) {}

  /** {@code orders-00001.csv} for index 1; {@code .csv.gz} when gzipped. */
  static String fileName(int index, boolean gzip) {
    return String.format(Locale.ROOT, "orders-%05d.csv", index) + (gzip ? ".gz" : "");
  }

  /**
   * Writes file number {@code index} (1-based) of a set with {@code rows} rows per file into {@code
   * dir}, replacing a file of the same name atomically.
   */
  static FileStats writeFile(Path dir, int index, long rows, long seed, boolean gzip)
      throws IOException {
    Path target = dir.resolve(fileName(index, gzip));
    // Not forced: generated data is made again in seconds, and a force per file would dominate.
    AtomicWrite.to(target)
        .fixedTemp("." + target.getFileName() + ".tmp")
        .withoutForce()
        .write(
            raw -> {
              try (OutputStream out = gzip ? new FastGzip(raw) : raw;
                  Writer w =
                      new BufferedWriter(
                          new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 20)) {
                write(w, index, rows, seed);
              }
            });
    return new FileStats(target, rows, Files.size(target));
  }

  /** Writes the header and {@code rows} records of file {@code index} to {@code w}. */
  static void write(Writer w, int index, long rows, long seed) throws IOException {
    SplitMix rnd = new SplitMix(SplitMix.mix(seed + SplitMix.GOLDEN * index));
    long firstId = (index - 1L) * rows + 1;
    StringBuilder sb = new StringBuilder(1 << 16);
    sb.append(HEADER).append('\n');
    for (long i = 0; i < rows; i++) {
      row(sb, rnd, firstId + i, seed);
      if (sb.length() >= 60_000) {
        w.append(sb);
        sb.setLength(0);
      }
    }
    w.append(sb);
  }

  private static void row(StringBuilder sb, SplitMix rnd, long orderId, long seed) {
    int customer = 1 + rnd.nextInt(CUSTOMERS);
    // Name, email and country belong to the customer, so they repeat consistently across orders.
    long h = SplitMix.mix(seed ^ (customer * 0x632BE59BD9B4E019L));
    String name;
    String local;
    if ((h & 0xff) < 10) {
      String[] n = CJK[(int) ((h >>> 8) % CJK.length)];
      name = n[0];
      local = n[1];
    } else {
      String[] f = FIRST[(int) ((h >>> 8) % FIRST.length)];
      String[] l = LAST[(int) ((h >>> 20) % LAST.length)];
      name = f[0] + ' ' + l[0];
      local = f[1] + '.' + l[1];
    }
    if (((h >>> 32) & 3) == 0) {
      local = local + ((h >>> 34) % 100);
    }
    String email = local + '@' + DOMAINS[(int) ((h >>> 41) % DOMAINS.length)];
    int caseRoll = rnd.nextInt(100);
    if (caseRoll < 10) {
      email = capitalizeParts(email);
    } else if (caseRoll < 12) {
      email = email.toUpperCase(Locale.ROOT);
    }
    String country = COUNTRIES[(int) ((h >>> 48) % COUNTRIES.length)];
    if (rnd.nextInt(100) < 8) {
      country = country.toLowerCase(Locale.ROOT);
    }
    int product = rnd.nextInt(PRODUCTS.length);
    int quantity = 1 + rnd.nextInt(1 + rnd.nextInt(20));
    long unitCents = PRICE_CENTS[product] * (85L + rnd.nextInt(31)) / 100;
    unitCents = Math.max(50, Math.min(50_000, unitCents));
    long amountCents = unitCents * quantity;

    sb.append(orderId).append(',');
    sb.append('C');
    pad6(sb, customer);
    sb.append(',');
    sb.append(name).append(',');
    sb.append(email).append(',');
    sb.append(country).append(',');
    sb.append(PRODUCTS[product]).append(',');
    sb.append(quantity).append(',');
    cents(sb, unitCents);
    sb.append(',');
    cents(sb, amountCents);
    sb.append(',');
    sb.append(DATES[rnd.nextInt(DATES.length)]).append(',');
    sb.append(status(rnd.nextInt(100))).append(',');
    int noteRoll = rnd.nextInt(1000);
    if (noteRoll < 10) {
      quoted(sb, TRICKY_NOTES[rnd.nextInt(TRICKY_NOTES.length)]);
    } else if (noteRoll < 300) {
      sb.append(SHORT_NOTES[rnd.nextInt(SHORT_NOTES.length)]);
    }
    sb.append('\n');
  }

  private static String status(int roll) {
    if (roll < 40) {
      return "SHIPPED";
    } else if (roll < 70) {
      return "DELIVERED";
    } else if (roll < 85) {
      return "PENDING";
    } else if (roll < 93) {
      return "CANCELLED";
    }
    return "RETURNED";
  }

  /** {@code anna.mueller@example.com} becomes {@code Anna.Mueller@Example.com}. */
  private static String capitalizeParts(String email) {
    char[] c = email.toCharArray();
    boolean start = true;
    for (int i = 0; i < c.length; i++) {
      if (start && c[i] >= 'a' && c[i] <= 'z') {
        c[i] = (char) (c[i] - 'a' + 'A');
      }
      start = c[i] == '.' || c[i] == '@';
    }
    return new String(c);
  }

  private static void pad6(StringBuilder sb, int n) {
    for (int d = 100_000; d > 1 && n < d; d /= 10) {
      sb.append('0');
    }
    sb.append(n);
  }

  /** Two decimals without any locale: 1234 cents is {@code 12.34}. */
  private static void cents(StringBuilder sb, long cents) {
    sb.append(cents / 100).append('.');
    long c = cents % 100;
    if (c < 10) {
      sb.append('0');
    }
    sb.append(c);
  }

  /** RFC 4180: enclose in quotes and double the quotes inside. */
  private static void quoted(StringBuilder sb, String s) {
    sb.append('"');
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c == '"') {
        sb.append('"');
      }
      sb.append(c);
    }
    sb.append('"');
  }

  private static String[] dates() {
    LocalDate first = LocalDate.of(2025, 1, 1);
    int days = (int) (LocalDate.of(2027, 1, 1).toEpochDay() - first.toEpochDay());
    String[] d = new String[days];
    for (int i = 0; i < days; i++) {
      d[i] = first.plusDays(i).toString();
    }
    return d;
  }

  /**
   * SplitMix64: tiny, fast, and fully specified here, so the data never changes with the JDK. Not
   * thread-safe: one instance per file.
   */
  static final class SplitMix {
    static final long GOLDEN = 0x9E3779B97F4A7C15L;
    private long state;

    SplitMix(long seed) {
      this.state = seed;
    }

    static long mix(long z) {
      z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
      z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
      return z ^ (z >>> 31);
    }

    long nextLong() {
      state += GOLDEN;
      return mix(state);
    }

    /** Uniform enough in [0, bound) for test data (the modulo bias is below 2^-31). */
    int nextInt(int bound) {
      return (int) ((nextLong() >>> 1) % bound);
    }
  }

  /** Gzip at the fastest level: generating a gigabyte at level 6 takes minutes. */
  private static final class FastGzip extends GZIPOutputStream {
    FastGzip(OutputStream out) throws IOException {
      super(out, 1 << 16);
      def.setLevel(Deflater.BEST_SPEED);
    }
  }
}
