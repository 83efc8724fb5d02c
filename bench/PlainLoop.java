// Baseline for bench/quick.sh: the plain single-threaded Java loop a team would write by hand
// (Commons CSV read, T1 filter and projection, Commons CSV write), one output file per input.
// Run with the CLI jar on the class path: java -cp target/sluice-*-cli.jar bench/PlainLoop.java IN OUT
import java.io.BufferedWriter;
import java.io.Reader;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVParser;
import org.apache.commons.csv.CSVPrinter;
import org.apache.commons.csv.CSVRecord;

public class PlainLoop {
  public static void main(String[] args) throws Exception {
    Path in = Path.of(args[0]);
    Path out = Path.of(args[1]);
    BigDecimal hundred = new BigDecimal("100");
    CSVFormat read = CSVFormat.RFC4180.builder().setHeader().setSkipHeaderRecord(true).get();
    CSVFormat write = CSVFormat.RFC4180.builder().setRecordSeparator("\n").get();
    List<Path> files;
    try (Stream<Path> s = Files.walk(in)) {
      files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
    }
    for (Path f : files) {
      Path o = out.resolve(in.relativize(f).toString());
      Files.createDirectories(o.getParent());
      try (Reader r = Files.newBufferedReader(f, StandardCharsets.UTF_8);
          CSVParser p = CSVParser.parse(r, read);
          BufferedWriter w = Files.newBufferedWriter(o, StandardCharsets.UTF_8);
          CSVPrinter pr = new CSVPrinter(w, write)) {
        pr.printRecord("order_id", "customer_name", "email", "country", "amount");
        for (CSVRecord rec : p) {
          if (!rec.get("status").equals("SHIPPED")) continue;
          if (new BigDecimal(rec.get("amount")).compareTo(hundred) <= 0) continue;
          pr.printRecord(
              rec.get("order_id"),
              rec.get("customer_name"),
              rec.get("email").toLowerCase(Locale.ROOT),
              rec.get("country").toUpperCase(Locale.ROOT),
              rec.get("amount"));
        }
      }
    }
  }
}
