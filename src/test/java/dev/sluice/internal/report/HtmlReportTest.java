package dev.sluice.internal.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.api.ErrorType;
import dev.sluice.api.PipelineException;
import dev.sluice.api.Progress;
import dev.sluice.api.RunResult;
import dev.sluice.api.Stage;
import dev.sluice.api.StageStats;
import dev.sluice.api.Verdict;
import dev.sluice.api.internal.ApiAccess;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

class HtmlReportTest {
  static final String SVG_NS = "http://www.w3.org/2000/svg";
  static final String EVIDENCE =
      "transformers 97% busy; readers waited on a full queue 64%; writers idle 78%";
  static final String NASTY_NAME = "a<b>&\"c\".csv";

  @TempDir Path tmp;

  // ---- fixtures, shared with HtmlReportBrowserIT ----

  /** A 10-second run limited by its transformers, sampled every 200 ms. */
  static RunResult sampleResult() {
    return result(
        samples(50),
        List.of(
            Path.of("out/_rejects/orders-07.csv.rejects.csv"),
            Path.of("out/_rejects/" + NASTY_NAME)));
  }

  static RunResult result(List<Progress> samples, List<Path> rejectFiles) {
    Map<ErrorType, Long> rejects = new EnumMap<>(ErrorType.class);
    rejects.put(ErrorType.WRONG_FIELD_COUNT, 17L);
    rejects.put(ErrorType.MALFORMED_CSV, 3L);
    return RunResult.builder()
        .files(38)
        .filesFailed(1)
        .filesSkipped(2)
        .recordsRead(812_345)
        .recordsPassed(401_000)
        .recordsFiltered(411_325)
        .recordsRejected(20)
        .recordsAbandoned(0)
        .recordsWritten(401_000)
        .bytesRead(96_500_000)
        .bytesWritten(41_200_000)
        .warnings(4)
        .firstWarnings(
            List.of(
                "non-numeric 'n/a' in amount (orders-03.csv line 7)",
                "empty <amount> & \"price\" in " + NASTY_NAME + " line 12"))
        .rejectsByType(rejects)
        .rejectFiles(rejectFiles)
        .stages(stages())
        .verdict(new Verdict(Stage.TRANSFORMER, EVIDENCE, 2, 6, 1))
        .samples(samples)
        .elapsed(Duration.ofMillis(10_150))
        .readers(2)
        .transformers(4)
        .writers(1)
        .build();
  }

  static List<StageStats> stages() {
    long run = 10_000_000_000L;
    return List.of(
        new StageStats(
            Stage.READER,
            2,
            (long) (0.30 * 2 * run),
            (long) (0.06 * 2 * run),
            (long) (0.64 * 2 * run),
            1_650),
        new StageStats(
            Stage.TRANSFORMER,
            4,
            (long) (0.97 * 4 * run),
            (long) (0.02 * 4 * run),
            (long) (0.01 * 4 * run),
            1_650),
        new StageStats(
            Stage.WRITER, 1, (long) (0.20 * run), (long) (0.78 * run), (long) (0.02 * run), 1_702));
  }

  /** A run that ramps up, holds a steady rate with some wobble, and drains at the end. */
  static List<Progress> samples(int n) {
    List<Progress> out = new ArrayList<>();
    long records = 0;
    long bytes = 0;
    long unfinished = 0;
    for (int i = 0; i < n; i++) {
      double ramp = Math.min(1, i / 5.0) * Math.min(1, (n - 1 - i) / 4.0 + 0.25);
      double wobble = 1 + 0.15 * Math.sin(i / 3.0);
      long step = i == 0 ? 0 : (long) (16_500 * ramp * wobble);
      records += step;
      unfinished += step * 119;
      if (i % 3 == 0 || i == n - 1) { // bytes count when a split finishes
        bytes += unfinished;
        unfinished = 0;
      }
      double t = i / (double) n;
      out.add(
          new Progress(
              i * 200_000_000L,
              Math.min(40, i * 40L / n),
              40,
              records,
              bytes,
              96_500_000,
              records * 49 / 100,
              (int) Math.round(64 * Math.min(1, 0.2 + ramp * (0.85 + 0.1 * Math.sin(i / 2.0)))),
              64,
              (int) Math.round(8 * 0.1 * (1 + Math.cos(i / 4.0))),
              16,
              (long) (256_000_000 * Math.min(1, 0.3 + 0.65 * ramp)),
              256_000_000,
              0.25 + 0.1 * Math.sin(t * 9),
              Math.min(1, 0.2 + 0.78 * ramp),
              0.15 + 0.08 * Math.cos(t * 7)));
    }
    return out;
  }

  static Document parse(String html) throws Exception {
    DocumentBuilderFactory f = DocumentBuilderFactory.newInstance();
    f.setNamespaceAware(true);
    f.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
    return f.newDocumentBuilder()
        .parse(new ByteArrayInputStream(html.getBytes(StandardCharsets.UTF_8)));
  }

  static List<Element> elements(Document doc, String tag) {
    NodeList list = doc.getElementsByTagName(tag);
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  static List<Element> charts(Document doc) {
    NodeList list = doc.getElementsByTagNameNS(SVG_NS, "svg");
    List<Element> out = new ArrayList<>();
    for (int i = 0; i < list.getLength(); i++) {
      out.add((Element) list.item(i));
    }
    return out;
  }

  static Element byId(Document doc, String id) {
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      Element e = (Element) all.item(i);
      if (id.equals(e.getAttribute("id"))) {
        return e;
      }
    }
    throw new AssertionError("no element with id " + id);
  }

  // ---- tests ----

  @Test
  void shouldProduceWellFormedMarkupWithOneHtmlRoot() throws Exception {
    String html = HtmlReport.toHtml(sampleResult());

    assertThat(html).startsWith("<!DOCTYPE html>\n<html lang=\"en\">");
    Document doc = parse(html);
    assertThat(doc.getDocumentElement().getTagName()).isEqualTo("html");
    assertThat(elements(doc, "title").get(0).getTextContent())
        .isEqualTo("Sluice run report: finished with rejects");
    assertThat(elements(doc, "style")).hasSize(1);
  }

  @Test
  void shouldShowTheVerdictWithEvidenceAndSuggestedThreads() throws Exception {
    Document doc = parse(HtmlReport.toHtml(sampleResult()));

    String verdict = byId(doc, "verdict").getTextContent();
    assertThat(verdict)
        .contains("Bottleneck: transformers")
        .contains(EVIDENCE)
        .contains("--readers 2 --transformers 6 --writers 1")
        .contains("this run: 2 readers, 4 transformers, 1 writers");
  }

  @Test
  void shouldShowStatusFilesRecordsBytesRatesAndThreads() throws Exception {
    Document doc = parse(HtmlReport.toHtml(sampleResult()));

    assertThat(byId(doc, "status").getTextContent()).isEqualTo("finished with rejects");
    String cards = byId(doc, "summary").getTextContent();
    assertThat(cards)
        .contains("38", "committed; 1 failed, 2 skipped")
        .contains("812,345", "read; 401,000 written")
        .contains("10.2 s", "10.150 s")
        .contains("80,034") // 812,345 records / 10.15 s
        .contains("9.51") // 96.5 MB / 10.15 s
        .contains("2 / 4 / 1");
    List<String> rows =
        elements(doc, "tr").stream()
            .map(e -> e.getTextContent().strip())
            .collect(Collectors.toList());
    assertThat(rows)
        .contains("committed38", "failed1", "skipped (done by an earlier run)2")
        .contains(
            "read812,345",
            "passed401,00049.4%",
            "filtered411,32550.6%",
            "rejected20<0.1%",
            "abandoned00.0%")
        .contains("written401,000")
        .contains("read96,500,000 B (96.5 MB)", "written41,200,000 B (41.2 MB)", "warnings4");
  }

  @Test
  void shouldSayWhatAutomaticSizingSettledOn() throws Exception {
    RunResult r = sampleResult();
    RunResult auto =
        r.toBuilder()
            .readers(1)
            .transformers(5)
            .writers(1)
            .autoSizing(new RunResult.AutoSizing(6, true, true, 3, 3, 1, 5, 3, 5, 4))
            .build();

    String text = byId(parse(HtmlReport.toHtml(auto)), "stages").getTextContent();
    assertThat(text)
        .contains(
            "Automatic sizing: readers 3 -> 1 (peak 3), transformers 3 -> 5 (peak 5); budget 6, 4 resizes");
    assertThat(byId(parse(HtmlReport.toHtml(r)), "stages").getTextContent())
        .doesNotContain("Automatic sizing");
  }

  @Test
  void shouldListEachStageWithItsShares() throws Exception {
    Document doc = parse(HtmlReport.toHtml(sampleResult()));

    Element table = (Element) byId(doc, "stages").getElementsByTagName("tbody").item(0);
    NodeList rows = table.getElementsByTagName("tr");
    List<String> cells = new ArrayList<>();
    for (int i = 0; i < rows.getLength(); i++) {
      Element row = (Element) rows.item(i);
      NodeList cs = row.getChildNodes();
      List<String> texts = new ArrayList<>();
      for (int j = 0; j < cs.getLength() - 1; j++) { // the last cell is the bar
        texts.add(cs.item(j).getTextContent());
      }
      cells.add(String.join("|", texts));
    }
    assertThat(cells)
        .containsExactly(
            "readers|2|30.0%|6.0%|64.0%|1,650",
            "transformers|4|97.0%|2.0%|1.0%|1,650", "writers|1|20.0%|78.0%|2.0%|1,702");
    assertThat(((Element) rows.item(1)).getAttribute("class")).isEqualTo("bottleneck");
    assertThat(((Element) rows.item(0)).getAttribute("class")).isEmpty();
  }

  @Test
  void shouldInlineThreeSvgChartsWithLines() throws Exception {
    Document doc = parse(HtmlReport.toHtml(sampleResult()));

    List<Element> charts = charts(doc);
    assertThat(charts)
        .extracting(e -> e.getAttribute("id"))
        .containsExactly("chart-throughput", "chart-queues", "chart-busy");
    for (Element svg : charts) {
      assertThat(svg.getAttribute("viewBox")).isEqualTo("0.0 0.0 900.0 320.0");
      assertThat(svg.getElementsByTagNameNS(SVG_NS, "path").getLength())
          .as(svg.getAttribute("id"))
          .isGreaterThan(3);
      assertThat(svg.getParentNode().getNodeName()).isEqualTo("figure");
    }
    assertThat(charts.get(0).getTextContent()).contains("records/s", "MB/s", "elapsed (s)");
    assertThat(charts.get(1).getTextContent())
        .contains("transformer queue %", "writer queues %", "in-flight budget %");
    assertThat(charts.get(2).getTextContent())
        .contains("readers busy %", "transformers busy %", "writers busy %");
  }

  @Test
  void shouldKeepClipPathIdsDistinctAcrossCharts() throws Exception {
    Document doc = parse(HtmlReport.toHtml(sampleResult()));

    List<String> ids = new ArrayList<>();
    NodeList all = doc.getElementsByTagName("*");
    for (int i = 0; i < all.getLength(); i++) {
      String id = ((Element) all.item(i)).getAttribute("id");
      if (!id.isEmpty()) {
        ids.add(id);
      }
    }
    assertThat(ids).doesNotHaveDuplicates();
  }

  @Test
  void shouldEscapeFileNamesAndMessages() throws Exception {
    String html = HtmlReport.toHtml(sampleResult());

    assertThat(html)
        .contains("a&lt;b&gt;&amp;&quot;c&quot;.csv")
        .doesNotContain(NASTY_NAME)
        .doesNotContain("<amount>");
    Document doc = parse(html);
    assertThat(elements(doc, "code").stream().map(Element::getTextContent))
        .contains(Path.of("out/_rejects/" + NASTY_NAME).toString());
    assertThat(byId(doc, "warnings").getTextContent())
        .contains("4 warnings; the first 2:")
        .contains("empty <amount> & \"price\" in " + NASTY_NAME + " line 12");
    assertThat(byId(doc, "rejects").getTextContent())
        .contains("WRONG_FIELD_COUNT17", "MALFORMED_CSV3");
  }

  @Test
  void shouldReplaceCharactersXmlForbidsButKeepOtherUnicode() {
    assertThat(HtmlReport.escape("a\u0001b\u007fc\ud800d")).isEqualTo("a\uFFFDb\uFFFDc\uFFFDd");
    assertThat(HtmlReport.escape("tab\tnew\nline ünïcödé \ud83d\ude00 'q'"))
        .isEqualTo("tab\tnew\nline ünïcödé \ud83d\ude00 &#39;q&#39;");
  }

  @Test
  void shouldReferenceNothingOutsideThePage() {
    String html = HtmlReport.toHtml(sampleResult());

    Matcher m = Pattern.compile("https?://").matcher(html);
    int xmlns = 0;
    while (m.find()) {
      String before = html.substring(Math.max(0, m.start() - 40), m.start());
      assertThat(before)
          .as("reference at %d", m.start())
          .matches("(?s).*\\sxmlns(:[a-zA-Z]+)?=[\"']$");
      xmlns++;
    }
    assertThat(xmlns).as("the three charts declare the SVG namespace").isGreaterThanOrEqualTo(3);
    assertThat(html).doesNotContain("<script", "<link", "<img", "<iframe", "@import", "src=");
    assertThat(Pattern.compile("url\\((?!#)").matcher(html).find())
        .as("url() other than a fragment")
        .isFalse();
  }

  @Test
  void shouldFormatNumbersTheSameUnderTheTurkishLocale() throws Exception {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.forLanguageTag("tr-TR"));
    String html;
    try {
      html = HtmlReport.toHtml(sampleResult());
    } finally {
      Locale.setDefault(before);
    }

    assertThat(html).contains("812,345", "96,500,000 B (96.5 MB)", "97.0%", "width:97.00%");
    Document doc = parse(html);
    List<String> ticks = new ArrayList<>();
    NodeList texts = doc.getElementsByTagNameNS(SVG_NS, "text");
    for (int i = 0; i < texts.getLength(); i++) {
      ticks.add(texts.item(i).getTextContent());
    }
    assertThat(ticks)
        .anyMatch(t -> t.matches("\\d{1,3}(,\\d{3})+")); // records/s with Locale.ROOT grouping
    assertThat(ticks)
        .noneMatch(t -> t.matches("\\d+\\.\\d{3}|\\d+,\\d{1,2}%?")); // Turkish grouping or decimals
    assertThat(html).doesNotContain("İ", "ı");
  }

  @Test
  void shouldSayTheRunWasTooShortToChartWithoutSamples() throws Exception {
    for (List<Progress> samples : List.of(List.<Progress>of(), samples(1))) {
      String html = HtmlReport.toHtml(result(samples, List.of()));

      Document doc = parse(html);
      assertThat(charts(doc)).isEmpty();
      assertThat(byId(doc, "charts").getTextContent())
          .contains("Run too short to chart (" + samples.size() + " progress sample");
      assertThat(byId(doc, "verdict").getTextContent()).contains(EVIDENCE);
    }
  }

  @Test
  void shouldChartTwoSamples() throws Exception {
    Document doc = parse(HtmlReport.toHtml(result(samples(2), List.of())));

    assertThat(charts(doc)).hasSize(3);
  }

  @Test
  void shouldStillWriteTheReportWhenTheChartLibrariesAreMissing() throws Exception {
    // Only Sluice's own classes: JFreeChart and JFreeSVG are optional dependencies.
    URL sluice = HtmlReport.class.getProtectionDomain().getCodeSource().getLocation();
    try (URLClassLoader loader =
        new URLClassLoader(new URL[] {sluice}, ClassLoader.getPlatformClassLoader())) {
      assertThatThrownBy(() -> loader.loadClass("org.jfree.chart.JFreeChart"))
          .isInstanceOf(ClassNotFoundException.class);
      Object result = sampleResultIn(loader);

      String html =
          (String)
              loader
                  .loadClass(HtmlReport.class.getName())
                  .getMethod("toHtml", result.getClass())
                  .invoke(null, result);

      Document doc = parse(html);
      assertThat(charts(doc)).isEmpty();
      assertThat(byId(doc, "charts").getElementsByTagName("figure").getLength()).isEqualTo(3);
      assertThat(byId(doc, "charts").getTextContent())
          .contains(
              "Chart unavailable: it needs JFreeChart and JFreeSVG on the class path (java.lang.NoClassDefFoundError: org/jfree/");
      assertThat(byId(doc, "verdict").getTextContent()).contains(EVIDENCE);
    }
  }

  /** {@link #sampleResult()}, rebuilt from classes of another loader. */
  private static Object sampleResultIn(ClassLoader loader) throws Exception {
    RunResult r = sampleResult();
    List<Object> samples = new ArrayList<>();
    for (Progress p : r.samples()) {
      samples.add(copy(loader, p));
    }
    List<Object> stages = new ArrayList<>();
    for (StageStats s : r.stages()) {
      stages.add(copy(loader, s));
    }
    Map<Object, Object> rejects = new java.util.HashMap<>();
    r.rejectsByType().forEach((k, v) -> rejects.put(enumIn(loader, k), v));
    return copyResult(
        loader, r, Map.of("samples", samples, "stages", stages, "rejectsByType", rejects));
  }

  /** A copy of {@code r} made by the builder of {@code loader}'s {@code RunResult}. */
  private static Object copyResult(ClassLoader loader, RunResult r, Map<String, Object> replaced)
      throws Exception {
    Class<?> result = loader.loadClass(RunResult.class.getName());
    Object builder = result.getMethod("builder").invoke(null);
    for (java.lang.reflect.Method setter : RunResult.Builder.class.getDeclaredMethods()) {
      if (!java.lang.reflect.Modifier.isPublic(setter.getModifiers())
          || setter.getParameterCount() != 1) {
        continue;
      }
      String name = setter.getName();
      Object v =
          replaced.containsKey(name)
              ? replaced.get(name)
              : RunResult.class.getMethod(name).invoke(r);
      if (v == null) {
        continue; // the builder's default (no automatic sizing)
      }
      if (!replaced.containsKey(name) && v instanceof Record) {
        v = copy(loader, (Record) v);
      }
      Class<?> t = setter.getParameterTypes()[0];
      Class<?> type =
          t.isPrimitive() || t.getName().startsWith("java.") ? t : loader.loadClass(t.getName());
      builder.getClass().getMethod(name, type).invoke(builder, v);
    }
    return builder.getClass().getMethod("build").invoke(builder);
  }

  private static Object copy(ClassLoader loader, Record r) throws Exception {
    return copy(loader, r, Map.of());
  }

  /** A copy of a record made by the same-named record class of {@code loader}. */
  private static Object copy(ClassLoader loader, Record r, Map<String, Object> replaced)
      throws Exception {
    var components = r.getClass().getRecordComponents();
    Object[] args = new Object[components.length];
    Class<?>[] types = new Class<?>[components.length];
    for (int i = 0; i < components.length; i++) {
      Object v = components[i].getAccessor().invoke(r);
      String name = components[i].getName();
      if (replaced.containsKey(name)) {
        v = replaced.get(name);
      } else if (v instanceof Enum) {
        v = enumIn(loader, (Enum<?>) v);
      } else if (v instanceof Record) {
        v = copy(loader, (Record) v);
      }
      args[i] = v;
      Class<?> t = components[i].getType();
      types[i] =
          t.isPrimitive() || t.getName().startsWith("java.") ? t : loader.loadClass(t.getName());
    }
    return loader.loadClass(r.getClass().getName()).getConstructor(types).newInstance(args);
  }

  @SuppressWarnings({"unchecked", "rawtypes"})
  private static Object enumIn(ClassLoader loader, Enum<?> e) {
    try {
      return Enum.valueOf((Class) loader.loadClass(e.getDeclaringClass().getName()), e.name());
    } catch (ClassNotFoundException x) {
      throw new AssertionError(x);
    }
  }

  @Test
  void shouldOmitVerdictAndStagesForARunWithoutStageAccounting() throws Exception {
    RunResult r = sampleResult();
    RunResult bare =
        RunResult.builder()
            .files(1)
            .filesFailed(0)
            .filesSkipped(0)
            .recordsRead(0)
            .recordsPassed(0)
            .recordsFiltered(0)
            .recordsRejected(0)
            .recordsAbandoned(0)
            .recordsWritten(0)
            .bytesRead(0)
            .bytesWritten(0)
            .warnings(0)
            .firstWarnings(List.of())
            .rejectsByType(Map.of())
            .rejectFiles(List.of())
            .stages(List.of())
            .verdict(new Verdict(null, "", 1, 1, 1))
            .samples(List.of())
            .elapsed(Duration.ZERO)
            .readers(r.readers())
            .transformers(r.transformers())
            .writers(r.writers())
            .build();

    String html = HtmlReport.toHtml(bare);

    Document doc = parse(html);
    assertThat(byId(doc, "status").getTextContent()).isEqualTo("ok");
    assertThat(html)
        .doesNotContain(
            "id=\"verdict\"",
            "id=\"stages\"",
            "id=\"rejects\"",
            "id=\"warnings\"",
            "NaN",
            "Infinity");
    assertThat(byId(doc, "summary").getTextContent()).contains("0 ms");
  }

  @Test
  void shouldSayWhenNoBottleneckCouldBeTold() throws Exception {
    RunResult r = sampleResult();
    RunResult unsure =
        RunResult.builder()
            .files(r.files())
            .filesFailed(0)
            .filesSkipped(0)
            .recordsRead(10)
            .recordsPassed(10)
            .recordsFiltered(0)
            .recordsRejected(0)
            .recordsAbandoned(0)
            .recordsWritten(10)
            .bytesRead(100)
            .bytesWritten(100)
            .warnings(0)
            .firstWarnings(List.of())
            .rejectsByType(Map.of())
            .rejectFiles(List.of())
            .stages(r.stages())
            .verdict(new Verdict(null, "run shorter than 1 s", 2, 4, 1))
            .samples(List.of())
            .elapsed(Duration.ofMillis(120))
            .readers(2)
            .transformers(4)
            .writers(1)
            .build();

    Document doc = parse(HtmlReport.toHtml(unsure));

    assertThat(byId(doc, "verdict").getTextContent())
        .contains(
            "Bottleneck: none (run too short to tell)",
            "run shorter than 1 s",
            "--readers 2 --transformers 4 --writers 1");
    assertThat(byId(doc, "status").getTextContent()).isEqualTo("ok");
  }

  @Test
  void shouldSayARunWithAbandonedRecordsStoppedEarly() throws Exception {
    RunResult r = sampleResult();
    RunResult stopped =
        RunResult.builder()
            .files(r.files())
            .filesFailed(0)
            .filesSkipped(0)
            .recordsRead(100)
            .recordsPassed(60)
            .recordsFiltered(10)
            .recordsRejected(0)
            .recordsAbandoned(30)
            .recordsWritten(60)
            .bytesRead(1000)
            .bytesWritten(600)
            .warnings(0)
            .firstWarnings(List.of())
            .rejectsByType(Map.of())
            .rejectFiles(List.of())
            .stages(r.stages())
            .verdict(r.verdict())
            .samples(r.samples())
            .elapsed(r.elapsed())
            .readers(2)
            .transformers(4)
            .writers(1)
            .build();

    Document doc = parse(HtmlReport.toHtml(stopped));

    assertThat(byId(doc, "status").getTextContent()).isEqualTo("stopped early");
    assertThat(byId(doc, "counts").getTextContent()).contains("abandoned3030.0%");
  }

  @Test
  void shouldListTheFirstFiftyRejectFilesAndCountTheRest() throws Exception {
    List<Path> files = new ArrayList<>();
    for (int i = 0; i < 60; i++) {
      files.add(Path.of(String.format(Locale.ROOT, "out/_rejects/part-%02d.csv.rejects.csv", i)));
    }

    Document doc = parse(HtmlReport.toHtml(result(samples(3), files)));

    Element rejects = byId(doc, "rejects");
    NodeList items = rejects.getElementsByTagName("li");
    assertThat(items.getLength()).isEqualTo(50);
    assertThat(items.item(49).getTextContent())
        .isEqualTo(Path.of("out/_rejects/part-49.csv.rejects.csv").toString());
    assertThat(rejects.getTextContent()).contains("and 10 more").doesNotContain("part-50");
  }

  @Test
  void shouldWriteAtomicallyReplacingAnOldReportWithoutLeavingTempFiles() throws IOException {
    Path file = tmp.resolve("reports/run.html");
    Files.createDirectories(file.getParent());
    Files.writeString(file, "old");

    HtmlReport.write(sampleResult(), file);

    String written = Files.readString(file, StandardCharsets.UTF_8);
    assertThat(written).isEqualTo(HtmlReport.toHtml(sampleResult()));
    try (Stream<Path> listing = Files.list(file.getParent())) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void shouldGiveTheReportThePermissionsOfAnyNewFile() throws IOException {
    assumeTrue(
        FileSystems.getDefault().supportedFileAttributeViews().contains("posix"),
        "POSIX permissions");
    Path file = tmp.resolve("run.html");
    Path plain = Files.createFile(tmp.resolve("plain"));

    HtmlReport.write(sampleResult(), file);

    assertThat(Files.getPosixFilePermissions(file)).isEqualTo(Files.getPosixFilePermissions(plain));
  }

  @Test
  void shouldCreateMissingDirectories() throws IOException {
    Path file = tmp.resolve("a/b/report.html");

    HtmlReport.write(result(List.of(), List.of()), file);

    assertThat(file).isRegularFile();
  }

  @Test
  void shouldReportAFailureWithStageFileLineThreadAndCause() throws Exception {
    PipelineException e =
        ApiAccess.pipelineException(
            Stage.TRANSFORMER,
            "in/" + NASTY_NAME,
            1204,
            1203,
            "sluice-transformer-2",
            null,
            new IllegalArgumentException("amount <n/a> is not a number"));
    e.addSuppressed(new IllegalStateException("writer 1 stopped"));

    String html = HtmlReport.failureToHtml(e);

    Document doc = parse(html);
    assertThat(byId(doc, "status").getTextContent()).isEqualTo("failed");
    String error = byId(doc, "error").getTextContent();
    assertThat(error)
        .contains(
            "transformer failed in in/"
                + NASTY_NAME
                + " at line 1,204 (record 1,203): amount <n/a> is not a number")
        .contains(
            "typedev.sluice.api.PipelineException", "stagetransformer", "filein/" + NASTY_NAME)
        .contains("line1,204", "record1,203", "threadsluice-transformer-2")
        .contains("causejava.lang.IllegalArgumentException: amount <n/a> is not a number")
        .contains("Later failures", "java.lang.IllegalStateException: writer 1 stopped");
    assertThat(html)
        .contains("The engine reported no counts for this failure.")
        .doesNotContain("<svg");
    assertThat(elements(doc, "details").get(0).getTextContent())
        .contains("Stack trace", "IllegalArgumentException");
  }

  @Test
  void shouldShowPartialCountsAndChartsOfAFailedRun() throws Exception {
    PipelineException e =
        ApiAccess.withResult(
            ApiAccess.pipelineException(
                Stage.WRITER,
                null,
                -1,
                -1,
                "sluice-writer-0",
                null,
                new IOException("No space left on device")),
            sampleResult());

    Document doc = parse(HtmlReport.failureToHtml(e));

    assertThat(byId(doc, "error").getTextContent())
        .contains("writer failed: No space left on device")
        .doesNotContain("at line", "record");
    assertThat(elements(doc, "h2").stream().map(Element::getTextContent))
        .contains("Before it failed");
    assertThat(byId(doc, "summary").getTextContent()).contains("812,345");
    assertThat(byId(doc, "verdict").getTextContent()).contains(EVIDENCE);
    assertThat(charts(doc)).hasSize(3);
  }

  @Test
  void shouldReportAnyThrowableWithoutMessage() throws Exception {
    Path file = tmp.resolve("failed.html");

    HtmlReport.writeFailure(new OutOfMemoryError(), file);

    Document doc = parse(Files.readString(file, StandardCharsets.UTF_8));
    assertThat(byId(doc, "error").getTextContent()).contains("typejava.lang.OutOfMemoryError");
    try (Stream<Path> listing = Files.list(tmp)) {
      assertThat(listing).containsExactly(file);
    }
  }

  @Test
  void shouldFormatDurationsAndBytesForPeople() {
    assertThat(HtmlReport.duration(850_000_000L)).isEqualTo("850 ms");
    assertThat(HtmlReport.duration(12_340_000_000L)).isEqualTo("12.3 s");
    assertThat(HtmlReport.duration(245_000_000_000L)).isEqualTo("4 min 05 s");
    assertThat(HtmlReport.duration(7_380_000_000_000L)).isEqualTo("2 h 03 min");
    assertThat(HtmlReport.bytes(999)).isEqualTo("999 B");
    assertThat(HtmlReport.bytes(1_500_000_000L)).isEqualTo("1,500,000,000 B (1.5 GB)");
  }
}
