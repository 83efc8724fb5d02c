// Baselines for bench/run.sh, measured side by side with Sluice on the same data:
//   plain  : the single-threaded loop a team writes by hand (Commons CSV read, filter, project, write)
//   pool   : the same loop, one task per file on a fixed pool of N threads
//   parse  : Commons CSV parsing alone (no filter, no output) on N threads: the parser's ceiling
// Usage: java -cp target/sluice-*-cli.jar bench/Baselines.java MODE T1|T2 THREADS IN OUT
import java.io.BufferedWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.LongAdder;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

public class Baselines {
  static final BigDecimal HUNDRED = new BigDecimal("100");
  static final CSVFormat READ = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
  static final CSVFormat WRITE = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();
  static final LongAdder RECORDS = new LongAdder();

  public static void main(String[] args) throws Exception {
    String mode = args[0];
    boolean t2 = args[1].equals("T2");
    int threads = Integer.parseInt(args[2]);
    Path in = Path.of(args[3]);
    Path out = Path.of(args[4]);
    List<Path> files;
    try (Stream<Path> s = Files.walk(in)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    long t0 = System.nanoTime();
    if (mode.equals("plain")) {
      for (Path f : files) {
        transform(f, out.resolve(in.relativize(f).toString()), t2);
      }
    } else {
      ExecutorService pool = Executors.newFixedThreadPool(threads);
      List<Future<?>> done = new ArrayList<>();
      for (Path f : files) {
        done.add(pool.submit(() -> {
          if (mode.equals("parse")) {
            parse(f);
          } else {
            transform(f, out.resolve(in.relativize(f).toString()), t2);
          }
          return null;
        }));
      }
      for (Future<?> d : done) {
        d.get();
      }
      pool.shutdown();
    }
    System.out.printf(Locale.ROOT, "%s %d records in %.3f s%n", mode, RECORDS.sum(), (System.nanoTime() - t0) / 1e9);
  }

  static void parse(Path f) throws Exception {
    long n = 0;
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(r, READ)) {
      for (CSVRecord rec : p) {
        n += rec.size() > 0 ? 1 : 0;
      }
    }
    RECORDS.add(n);
  }

  static void transform(Path f, Path o, boolean t2) throws Exception {
    Files.createDirectories(o.getParent());
    MessageDigest sha = MessageDigest.getInstance("SHA-256");
    long n = 0;
    try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
        CSVParser p = CSVParser.parse(r, READ);
        BufferedWriter w = Files.newBufferedWriter(o, StandardCharsets.UTF_8);
        CSVPrinter pr = new CSVPrinter(w, WRITE)) {
      pr.printRecord("order_id", "customer_name", "email", "country", "amount");
      for (CSVRecord rec : p) {
        n++;
        if (!rec.get("status").equals("SHIPPED")) continue;
        if (new BigDecimal(rec.get("amount")).compareTo(HUNDRED) <= 0) continue;
        String email = rec.get("email").toLowerCase(Locale.ROOT);
        if (t2) {
          email = HexFormat.of().formatHex(sha.digest(email.getBytes(StandardCharsets.UTF_8)));
        }
        pr.printRecord(rec.get("order_id"), rec.get("customer_name"), email,
            rec.get("country").toUpperCase(Locale.ROOT), rec.get("amount"));
      }
    }
    RECORDS.add(n);
  }
}
