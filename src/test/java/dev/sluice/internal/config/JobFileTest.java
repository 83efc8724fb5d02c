package dev.sluice.internal.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.api.ConfigurationException;
import dev.sluice.api.ErrorPolicy;
import dev.sluice.api.ErrorThreshold;
import dev.sluice.api.Format;
import dev.sluice.api.PipelineSpec;
import dev.sluice.api.Step;
import dev.sluice.api.Steps;
import java.io.IOException;
import java.nio.charset.Charset;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Reading job files: every key, the errors, paths relative to the file, custom steps. */
class JobFileTest {
  @TempDir Path tmp;

  private Path write(String name, String json) throws IOException {
    Path f = tmp.resolve(name);
    Files.createDirectories(f.getParent());
    Files.writeString(f, json);
    return f;
  }

  /** A job of {@code keys} only, to lay over another as the command line does. */
  static JobConfig layer(String keys) {
    return JobReader.parse("{\"version\": 1, " + keys + "}", Path.of(""), null);
  }

  private static List<String> described(List<Step> steps) {
    return steps.stream().map(Step::describe).collect(Collectors.toList());
  }

  /** The full example of docs/JOB-FILE.md, with a test class for its custom step. */
  static String docExample() throws IOException {
    String doc = Files.readString(Path.of("docs/JOB-FILE.md"));
    int begin = doc.indexOf("<!-- JOB-EXAMPLE-BEGIN -->");
    int end = doc.indexOf("<!-- JOB-EXAMPLE-END -->");
    assertThat(begin).as("example markers in docs/JOB-FILE.md").isPositive();
    String block = doc.substring(begin, end);
    String json = block.substring(block.indexOf("```json") + 7, block.lastIndexOf("```"));
    return json.replace("com.example.steps.FlagBigOrders", MarkerStep.class.getName());
  }

  /** The key the doc example's key file holds in these tests. */
  private static final byte[] DOC_KEY =
      "0123456789abcdef0123456789abcdef".getBytes(java.nio.charset.StandardCharsets.US_ASCII);

  /**
   * Writes the doc example as {@code jobs/nightly.job}, with the URL list, header and key file it
   * names.
   */
  private Path writeDocExample() throws IOException {
    write("jobs/partner-urls.txt", "# partner feeds\nhttps://partner.example.net/export/a.csv\n");
    write("secrets/feeds.headers", "Authorization: Bearer not-a-real-token\n");
    Files.createDirectories(tmp.resolve("secrets"));
    Files.write(tmp.resolve("secrets/email.key"), DOC_KEY);
    return write("jobs/nightly.job", docExample());
  }

  @Test
  void threadsAutoAndABudgetReachTheSpec() throws IOException {
    String base =
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}, ";
    PipelineSpec all =
        JobReader.read(
                write("a.job", base + "\"engine\": {\"threads\": \"auto\", \"threadBudget\": 6}}"))
            .toSpec();
    assertThat(all.autoReaders()).isTrue();
    assertThat(all.autoTransformers()).isTrue();
    assertThat(all.threadBudget()).isEqualTo(6);

    PipelineSpec one =
        JobReader.read(
                write("b.job", base + "\"engine\": {\"readers\": \"auto\", \"transformers\": 2}}"))
            .toSpec();
    assertThat(one.autoReaders()).isTrue();
    assertThat(one.autoTransformers()).isFalse();
    assertThat(one.transformers()).isEqualTo(2);

    // The command line's count for a stage wins over the file's auto; --threads N drops it too.
    JobConfig file = JobReader.read(write("c.job", base + "\"engine\": {\"threads\": \"auto\"}}"));
    PipelineSpec readers3 = file.over(layer("\"engine\": {\"readers\": 3}")).toSpec();
    assertThat(readers3.autoReaders()).isFalse();
    assertThat(readers3.autoTransformers()).isTrue();
    PipelineSpec fixed = file.over(layer("\"engine\": {\"threads\": 2}")).toSpec();
    assertThat(fixed.autoReaders()).isFalse();
    assertThat(fixed.autoTransformers()).isFalse();

    assertThatThrownBy(
            () -> JobReader.read(write("d.job", base + "\"engine\": {\"readers\": \"lots\"}}")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("engine.readers: must be an integer >= 1 or \"auto\"");
  }

  @Test
  void theDocumentedFullExampleSetsEveryKey() throws IOException {
    Path file = writeDocExample();

    JobConfig job = JobReader.read(file);

    Path jobs = tmp.resolve("jobs");
    assertThat(job.name()).isEqualTo("nightly-orders");
    assertThat(job.source()).isEqualTo(file);
    assertThat(job.inputs())
        .containsExactly(tmp.resolve("incoming/**/*.csv"), tmp.resolve("archive/late.csv.gz"));
    assertThat(job.inputUrls())
        .containsExactly(
            java.net.URI.create("https://feeds.example.com/daily/orders.csv"),
            java.net.URI.create("https://partner.example.net/export/a.csv"));
    assertThat(job.output().dir()).isEqualTo(tmp.resolve("outgoing"));
    assertThat(described(job.steps()))
        .containsExactlyElementsOf(
            described(
                List.of(
                    Steps.filter("status == SHIPPED"),
                    Steps.trim("customer_name", "email"),
                    Steps.rename("customer_name", "customer"),
                    Steps.replace("phone", "[^0-9+]", ""),
                    Steps.lower("email"),
                    Steps.upper("country"),
                    Steps.hmac(DOC_KEY, "email", "phone"),
                    Steps.select(
                        "order_id", "customer", "email", "phone", "country", "amount", "notes"),
                    Steps.drop("notes"),
                    new MarkerStep())));
    assertThat(job.input.format).isEqualTo(Format.Kind.CSV);
    assertThat(job.input.delimiter).isEqualTo(';');
    assertThat(job.input.quote).isEqualTo('\'');
    assertThat(job.input.header).isTrue();
    assertThat(job.input.charset).isEqualTo(Charset.forName("windows-1252"));
    assertThat(job.input.maxRecordSize).isEqualTo(1 << 20);
    assertThat(job.input.malformedInput).isEqualTo(Format.MalformedInput.REPLACE);
    assertThat(job.input.csvParser).isEqualTo(Format.Parser.FASTCSV);
    assertThat(job.input.allowShortRecords).isTrue();
    assertThat(job.input.followSymlinks).isTrue();
    assertThat(job.output.format).isEqualTo(Format.Kind.JSONL);
    assertThat(job.output.crlf).isTrue();
    assertThat(job.output.gzip).isTrue();
    assertThat(job.output.overwrite).isTrue();
    assertThat(job.output.escapeFormulas).isTrue();
    assertThat(job.output().columnMatch()).isEqualTo(ColumnMatch.UNION);
    assertThat(job.hashKeyFile()).isEqualTo(tmp.resolve("secrets/email.key"));
    assertThat(List.of(job.engine.threads, job.engine.readers, job.engine.transformers))
        .containsExactly(AutoCount.of(4), AutoCount.of(2), AutoCount.of(6));
    assertThat(job.engine.writers).isEqualTo(2);
    assertThat(job.engine.queueCapacity).isEqualTo(32);
    assertThat(job.engine.batchSize).isEqualTo(500);
    assertThat(job.engine.maxInFlight).isEqualTo(256L << 20);
    assertThat(job.engine.virtualReaders).isTrue();
    assertThat(job.errors.onError).isEqualTo(ErrorPolicy.SKIP);
    assertThat(job.errors.maxErrors).isEqualTo(ErrorThreshold.percent(0.5));
    assertThat(job.errors.maxErrorsPerFile).isEqualTo(ErrorThreshold.count(100));
    assertThat(job.errors.rejectDir).isEqualTo(tmp.resolve("rejects"));
    assertThat(job.state.enabled).isTrue();
    assertThat(job.state.dir).isEqualTo(tmp.resolve("state/nightly-orders"));
    assertThat(job.state.full).isFalse();
    assertThat(job.state.identity).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(job.state.waitLock).isEqualTo(Duration.ofMinutes(10));
    assertThat(job.state.timeout).isEqualTo(Duration.ofHours(2));
    dev.sluice.api.HttpOptions http = job.http();
    assertThat(http).isNotNull();
    assertThat(http.headers())
        .containsExactly(
            java.util.Map.entry("Accept", "text/csv"),
            java.util.Map.entry("Authorization", "Bearer not-a-real-token"));
    assertThat(http.requestTimeout()).isEqualTo(Duration.ofMinutes(1));
    assertThat(http.connectTimeout()).isEqualTo(Duration.ofSeconds(5));
    assertThat(http.retries()).isEqualTo(6);
    assertThat(jobs.resolve("..").normalize()).isEqualTo(tmp);
  }

  @Test
  void theDocumentedFullExampleMakesTheSpecItDescribes() throws IOException {
    PipelineSpec spec = JobReader.read(writeDocExample()).toSpec();

    assertThat(spec.inputFormat().delimiter()).isEqualTo(';');
    assertThat(spec.inputFormat().charset()).isEqualTo(Charset.forName("windows-1252"));
    assertThat(spec.inputFormat().maxRecordSize()).isEqualTo(1 << 20);
    assertThat(spec.inputFormat().allowShortRecords()).isTrue();
    assertThat(spec.inputFormat().parser()).isEqualTo(Format.Parser.FASTCSV);
    assertThat(spec.outputFormat().kind()).isEqualTo(Format.Kind.JSONL);
    assertThat(spec.outputFormat().charset()).isEqualTo(Charset.forName("windows-1252"));
    assertThat(spec.outputFormat().gzip()).isTrue();
    assertThat(spec.outputFormat().crlf()).isTrue();
    // escapeFormulas adds a last step after the ten of the file.
    assertThat(spec.steps()).hasSize(11);
    assertThat(spec.steps().get(10).describe()).isEqualTo(Steps.escapeFormulas().describe());
    assertThat(List.of(spec.readers(), spec.transformers(), spec.writers()))
        .containsExactly(2, 6, 2);
    assertThat(spec.queueCapacity()).isEqualTo(32);
    assertThat(spec.batchSize()).isEqualTo(500);
    assertThat(spec.maxInFlight()).isEqualTo(256L << 20);
    assertThat(spec.virtualReaders()).isTrue();
    assertThat(spec.overwrite()).isTrue();
    assertThat(spec.followSymlinks()).isTrue();
    assertThat(spec.onError()).isEqualTo(ErrorPolicy.SKIP);
    assertThat(spec.rejectDir()).isEqualTo(tmp.resolve("rejects"));
    assertThat(spec.stateDir()).isEqualTo(tmp.resolve("state/nightly-orders"));
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.HASH);
    assertThat(spec.waitLock()).isEqualTo(Duration.ofMinutes(10));
    assertThat(spec.timeout()).isEqualTo(Duration.ofHours(2));
    assertThat(spec.full()).isFalse();
    assertThat(spec.inputUrls()).hasSize(2);
    assertThat(spec.http().retries()).isEqualTo(6);
  }

  @Test
  void aMinimalJobTakesTheDefaultsAndIsNamedAfterItsFile() throws IOException {
    Path file =
        write(
            "nightly.job",
            "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}}");

    JobConfig job = JobReader.read(file);
    PipelineSpec spec = job.toSpec();

    assertThat(job.name()).isEqualTo("nightly");
    assertThat(spec.inputs()).containsExactly(tmp.resolve("in"));
    assertThat(spec.output()).isEqualTo(tmp.resolve("out"));
    assertThat(spec.inputFormat()).isEqualTo(Format.csv());
    assertThat(spec.outputFormat()).isEqualTo(Format.csv());
    assertThat(spec.steps()).isEmpty();
    assertThat(spec.overwrite()).isFalse();
    assertThat(spec.onError()).isEqualTo(ErrorPolicy.FAIL);
    assertThat(spec.stateDir()).isEqualTo(tmp.resolve("out/.sluice"));
    assertThat(spec.identity()).isEqualTo(PipelineSpec.Identity.STAT);
    assertThat(spec.waitLock()).isZero();
    assertThat(spec.timeout()).isNull();
    assertThat(spec.full()).isFalse();
  }

  @Test
  void relativePathsResolveAgainstTheJobFilesDirectoryAndAbsoluteOnesStay() throws IOException {
    Path abs = tmp.resolve("elsewhere").toAbsolutePath();
    Path file =
        write(
            "a/b/job.job",
            "{\"version\": 1, \"input\": {\"paths\": [\"../data/*.csv\", \""
                + json(abs.toString())
                + "\", \".\"]},"
                + " \"output\": {\"dir\": \"out\"}, \"errors\": {\"rejectDir\": \"../../rej\"},"
                + " \"state\": {\"dir\": \"st\"}}");

    JobConfig job = JobReader.read(file);

    assertThat(job.inputs()).containsExactly(tmp.resolve("a/data/*.csv"), abs, tmp.resolve("a/b"));
    assertThat(job.output().dir()).isEqualTo(tmp.resolve("a/b/out"));
    assertThat(job.errors.rejectDir).isEqualTo(tmp.resolve("rej"));
    assertThat(job.state.dir).isEqualTo(tmp.resolve("a/b/st"));
  }

  @Test
  void aJobFileGivenByARelativeNameResolvesAgainstItsRelativeDirectory() {
    JobConfig job =
        JobReader.parse(
            "{\"version\": 1, \"output\": {\"dir\": \"../../out\"}, \"input\": {\"paths\": [\".\"]}}",
            Path.of("sample-data/jobs"),
            Path.of("sample-data/jobs/x.job"));
    assertThat(job.output().dir()).isEqualTo(Path.of("out"));
    assertThat(job.inputs()).containsExactly(Path.of("sample-data/jobs"));
    JobConfig here =
        JobReader.parse("{\"version\": 1, \"input\": {\"paths\": [\".\"]}}", Path.of(""), null);
    assertThat(here.inputs()).containsExactly(Path.of("."));
  }

  @Test
  void headerlessInputWithColumnsAndOtherFormatKeys() {
    JobConfig job =
        JobReader.parse(
            "{\"version\": 1, \"input\": {\"paths\": [\"in\"], \"format\": \"tsv\", \"columns\": [\"id\", \"name\"],"
                + " \"delimiter\": \"tab\", \"maxRecordSize\": 4096}, \"output\": {\"dir\": \"out\", \"format\": \"csv\"},"
                + " \"engine\": {\"maxInFlight\": 65536}}",
            tmp,
            null);
    PipelineSpec spec = job.toSpec();

    assertThat(spec.inputFormat().kind()).isEqualTo(Format.Kind.TSV);
    assertThat(spec.inputFormat().header()).isFalse();
    assertThat(spec.inputFormat().columns()).containsExactly("id", "name");
    assertThat(spec.inputFormat().delimiter()).isEqualTo('\t');
    assertThat(spec.inputFormat().maxRecordSize()).isEqualTo(4096);
    assertThat(spec.outputFormat().kind()).isEqualTo(Format.Kind.CSV);
    assertThat(spec.outputFormat().delimiter()).isEqualTo(',');
    assertThat(spec.outputFormat().header()).isTrue();
    assertThat(spec.maxInFlight()).isEqualTo(65536);
  }

  @Test
  void splitSizeIsAnInputKeyWhereZeroReadsFilesWhole() {
    String base =
        "{\"version\": 1, \"input\": {\"paths\": [\"in\"], \"splitSize\": %s}, \"output\": {\"dir\": \"out\"}}";
    assertThat(
            JobReader.parse(String.format(base, "\"8m\""), tmp, null)
                .toSpec()
                .inputFormat()
                .splitSize())
        .isEqualTo(8L << 20);
    assertThat(
            JobReader.parse(String.format(base, "0"), tmp, null).toSpec().inputFormat().splitSize())
        .isZero();
    // Sizes are strings elsewhere in the file ("8m"): "0" must mean what 0 and --split-size 0 mean.
    assertThat(
            JobReader.parse(String.format(base, "\"0\""), tmp, null)
                .toSpec()
                .inputFormat()
                .splitSize())
        .isZero();
    assertThat(
            JobReader.parse(
                    "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}}",
                    tmp,
                    null)
                .toSpec()
                .inputFormat()
                .splitSize())
        .isEqualTo(Format.DEFAULT_SPLIT_SIZE);
  }

  @Test
  void stateCanBeDisabled() {
    PipelineSpec spec =
        JobReader.parse(
                "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"},"
                    + " \"state\": {\"enabled\": false, \"full\": true}}",
                tmp,
                null)
            .toSpec();
    assertThat(spec.stateDir()).isNull();
    assertThat(spec.full()).isTrue();
  }

  @Test
  void aCustomStepClassIsLoadedWhenTheFileIsRead() {
    JobConfig job =
        JobReader.parse(
            "{\"version\": 1, \"steps\": [{\"class\": \"" + MarkerStep.class.getName() + "\"}]}",
            tmp,
            null);
    assertThat(job.steps()).singleElement().isInstanceOf(MarkerStep.class);
  }

  @Test
  void aMissingOrWrongCustomStepClassNamesTheFileTheKeyAndTheClass() throws IOException {
    Path file =
        write(
            "x.job",
            "{\"version\": 1, \"steps\": [{\"filter\": \"a == 1\"}, {\"class\": \"com.example.Nope\"}]}");
    assertThatThrownBy(() -> JobReader.read(file))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(file + ": steps[1].class: ")
        .hasMessageContaining("com.example.Nope not found");
    Path notAStep =
        write("y.job", "{\"version\": 1, \"steps\": [{\"class\": \"java.lang.String\"}]}");
    assertThatThrownBy(() -> JobReader.read(notAStep))
        .hasMessageContaining("steps[0].class")
        .hasMessageContaining("does not implement dev.sluice.api.Step");
  }

  @Test
  void unknownKeysAreErrorsNamingTheKeyAndTheFile() throws IOException {
    String[][] cases = {
      {"{\"version\": 1, \"inputs\": {}}", "unknown key 'inputs'"},
      {"{\"version\": 1, \"engine\": {\"thread\": 2}}", "unknown key 'engine.thread'"},
      {"{\"version\": 1, \"input\": {\"path\": [\"a\"]}}", "unknown key 'input.path'"},
      {"{\"version\": 1, \"output\": {\"directory\": \"a\"}}", "unknown key 'output.directory'"},
      {"{\"version\": 1, \"errors\": {\"onerror\": \"skip\"}}", "unknown key 'errors.onerror'"},
      {"{\"version\": 1, \"state\": {\"wait\": \"5m\"}}", "unknown key 'state.wait'"},
      {
        "{\"version\": 1, \"steps\": [{\"replace\": {\"column\": \"a\", \"regex\": \"b\", \"replacement\": \"c\", \"flags\": \"i\"}}]}",
        "unknown key 'steps[0].replace.flags'"
      },
      {"{\"version\": 1, \"steps\": [{\"filtr\": \"a == 1\"}]}", "steps[0]: unknown step 'filtr'"},
    };
    for (String[] c : cases) {
      Path file = write("typo.job", c[0]);
      assertThatThrownBy(() -> JobReader.read(file))
          .as(c[0])
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith(file + ": ")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void aMissingOrUnsupportedVersionIsAnError() throws IOException {
    Path none = write("none.job", "{\"input\": {\"paths\": [\"in\"]}}");
    assertThatThrownBy(() -> JobReader.read(none))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage(none + ": missing \"version\": add \"version\": 1 at the top level");
    Path two = write("two.job", "{\"version\": 2, \"whatever\": true}");
    assertThatThrownBy(() -> JobReader.read(two))
        .hasMessage(two + ": unsupported job file version 2 (this Sluice reads version 1)");
    Path text = write("text.job", "{\"version\": \"1\"}");
    assertThatThrownBy(() -> JobReader.read(text))
        .hasMessageContaining("version: must be the integer 1");
  }

  @Test
  void invalidJsonAndOtherDocumentsAreErrorsWithAPosition() throws IOException {
    Path broken =
        write("broken.job", "{\n  \"version\": 1,\n  \"name\": \"x\"\n  \"output\": {}\n}");
    assertThatThrownBy(() -> JobReader.read(broken))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith(broken + ": not valid JSON at line 4");
    Path dup = write("dup.job", "{\"version\": 1, \"name\": \"a\", \"name\": \"b\"}");
    assertThatThrownBy(() -> JobReader.read(dup))
        .hasMessageContaining("not valid JSON")
        .hasMessageContaining("name");
    assertThatThrownBy(() -> JobReader.read(write("array.job", "[1]")))
        .hasMessageContaining("a job file is a JSON object");
    assertThatThrownBy(() -> JobReader.read(write("empty.job", "")))
        .hasMessageContaining("empty file");
    assertThatThrownBy(() -> JobReader.read(write("trailing.job", "{\"version\": 1} {}")))
        .hasMessageContaining("not valid JSON");
    assertThatThrownBy(() -> JobReader.read(tmp.resolve("missing.job")))
        .isInstanceOf(ConfigurationException.class)
        .hasMessage("job file not found: " + tmp.resolve("missing.job"));
  }

  @Test
  void wrongTypesAndValuesNameTheKey() {
    String[][] cases = {
      {"\"engine\": {\"readers\": 0}", "engine.readers: must be an integer >= 1 (got 0)"},
      {"\"engine\": {\"readers\": \"4\"}", "engine.readers: must be an integer >= 1"},
      {"\"engine\": {\"maxInFlight\": \"lots\"}", "engine.maxInFlight: not a size"},
      {"\"output\": {\"overwrite\": \"yes\"}", "output.overwrite: must be true or false"},
      {"\"output\": {\"format\": \"xml\"}", "output.format: must be csv, tsv, lines or jsonl"},
      {"\"input\": {\"format\": \"jsonl\"}", "input.format: must be csv, tsv or lines"},
      {"\"input\": {\"paths\": \"in\"}", "input.paths: must be an array of strings"},
      {"\"input\": {\"paths\": []}", "input.paths: is empty"},
      {"\"input\": {\"paths\": [1]}", "input.paths[0]: must be a string"},
      {"\"input\": {\"delimiter\": \";;\"}", "input.delimiter: must be one character"},
      {"\"input\": {\"charset\": \"klingon\"}", "input.charset: unknown charset 'klingon'"},
      {
        "\"input\": {\"malformedInput\": \"ignore\"}",
        "input.malformedInput: must be report or replace"
      },
      {
        "\"input\": {\"csvParser\": \"fast\"}", "input.csvParser: must be bytes, commons or fastcsv"
      },
      {"\"errors\": {\"onError\": \"retry\"}", "errors.onError: must be fail or skip"},
      {"\"errors\": {\"maxErrors\": \"many\"}", "errors.maxErrors: bad error threshold 'many'"},
      {"\"state\": {\"identity\": \"md5\"}", "state.identity: must be stat or hash"},
      {"\"state\": {\"waitLock\": \"soon\"}", "state.waitLock: not a duration: 'soon'"},
      {"\"state\": {\"timeout\": \"0\"}", "state.timeout: must be positive"},
      {
        "\"state\": {\"enabled\": false, \"dir\": \"s\"}",
        "state.dir: is set but state.enabled is false"
      },
      {"\"steps\": {\"filter\": \"a == 1\"}", "steps: must be an array"},
      {
        "\"steps\": [{\"filter\": \"a == 1\", \"upper\": [\"a\"]}]",
        "steps[0]: must be an object with exactly one key"
      },
      {"\"steps\": [{\"select\": \"a,b\"}]", "steps[0].select: must be an array of strings"},
      {"\"steps\": [{\"select\": []}]", "steps[0].select: select: no columns given"},
      {"\"steps\": [{\"filter\": \"amount >\"}]", "steps[0].filter: "},
      {
        "\"steps\": [{\"replace\": {\"column\": \"a\", \"regex\": \"(\"}}]",
        "steps[0].replace.replacement: is missing"
      },
      {
        "\"steps\": [{\"rename\": [\"a\", \"b\"]}]",
        "steps[0].rename: must be an object of old: new names"
      },
      {"\"input\": []", "input: must be an object"},
      {"\"name\": 7", "name: must be a string"},
    };
    for (String[] c : cases) {
      String json = "{\"version\": 1, " + c[0] + "}";
      assertThatThrownBy(() -> JobReader.parse(json, tmp, Path.of("t.job")))
          .as(json)
          .isInstanceOf(ConfigurationException.class)
          .hasMessageStartingWith("t.job: ")
          .hasMessageContaining(c[1]);
    }
  }

  @Test
  void renameMakesOneStepPerPairInOrder() {
    JobConfig job =
        JobReader.parse(
            "{\"version\": 1, \"steps\": [{\"rename\": {\"b\": \"y\", \"a\": \"x\"}}]}", tmp, null);
    assertThat(described(job.steps()))
        .containsExactly(Steps.rename("b", "y").describe(), Steps.rename("a", "x").describe());
  }

  @Test
  void maxErrorsWithoutTheSkipPolicyIsAnErrorWhenTheSpecIsMade() {
    JobConfig job =
        JobReader.parse(
            "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}, \"output\": {\"dir\": \"out\"}, \"errors\": {\"maxErrors\": 5}}",
            tmp,
            Path.of("t.job"));
    assertThatThrownBy(job::toSpec)
        .isInstanceOf(ConfigurationException.class)
        .hasMessageStartingWith("t.job: ")
        .hasMessageContaining("need the skip policy");
  }

  @Test
  void aJobWithoutInputOrOutputCannotMakeASpec() {
    JobConfig noInput =
        JobReader.parse("{\"version\": 1, \"output\": {\"dir\": \"out\"}}", tmp, Path.of("t.job"));
    assertThatThrownBy(noInput::toSpec)
        .hasMessage("t.job: no input: set input.paths in the job file or give --input");
    JobConfig noOutput =
        JobReader.parse(
            "{\"version\": 1, \"input\": {\"paths\": [\"in\"]}}", tmp, Path.of("t.job"));
    assertThatThrownBy(noOutput::toSpec).hasMessageContaining("no output directory");
  }

  private static String json(String s) {
    return s.replace("\\", "\\\\").replace("\"", "\\\"");
  }

  /** Issue 14: {@code input.blankLines} sets what the CSV readers do with blank lines. */
  @Test
  void blankLinesReachTheInputFormatAndABadValueNamesTheKey() throws IOException {
    String base =
        "{\"version\": 1, \"output\": {\"dir\": \"out\"}, \"input\": {\"paths\": [\"in\"]";
    assertThat(
            JobReader.read(write("default.job", base + "}}")).toSpec().inputFormat().blankLines())
        .isEqualTo(Format.BlankLines.SKIP);
    assertThat(
            JobReader.read(write("fail.job", base + ", \"blankLines\": \"fail\"}}"))
                .toSpec()
                .inputFormat()
                .blankLines())
        .isEqualTo(Format.BlankLines.FAIL);
    assertThat(
            JobReader.read(write("keep.job", base + ", \"blankLines\": \"KEEP\"}}"))
                .toSpec()
                .inputFormat()
                .blankLines())
        .isEqualTo(Format.BlankLines.KEEP);
    Path bad = write("bad.job", base + ", \"blankLines\": \"ignore\"}}");
    assertThatThrownBy(() -> JobReader.read(bad))
        .isInstanceOf(ConfigurationException.class)
        .hasMessageContaining("input.blankLines: must be skip, fail or keep (got 'ignore')");
  }
}
