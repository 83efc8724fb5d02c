package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.job.JobFile;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Every setting of {@code sluice run} has a job file key and every job file key has an option, so
 * that a setting cannot exist on one side only (as {@code --hash-key-file} once had no effect with
 * {@code --job}). A new option or key fails this test until it is paired below or given a reason to
 * exist on one side only.
 */
class SettingsParityTest {
  /** Option (its longest name) to the job file key that sets the same thing. */
  private static final Map<String, String> PAIRS = pairs();

  /**
   * Options that belong to one invocation, not to the job: what the run prints, where, or how it is
   * tried.
   */
  private static final Set<String> CLI_ONLY =
      Set.of(
          "--job", // names the job file itself
          "--dry-run", // plans without running
          "--limit", // tries a job on the first rows
          "--progress", // a terminal display
          "--report", // run artifacts, per invocation
          "--html-report",
          "--metrics-file",
          "--runner", // Beam's runner and pass-through options belong to where the job runs
          "--engine",
          // logging and help, shared by every command
          "--help",
          "--version",
          "--quiet",
          "--verbose",
          "--stacktrace",
          "--log-file",
          "--log-format");

  /** Job file keys that describe the file rather than set anything a flag could. */
  private static final Set<String> JOB_ONLY = Set.of("version", "description");

  private static Map<String, String> pairs() {
    Map<String, String> m = new LinkedHashMap<>();
    m.put("--input", "input.paths");
    m.put("--input-urls", "input.urlsFile");
    m.put("--from", "input.format");
    m.put("--delimiter", "input.delimiter");
    m.put("--quote", "input.quote");
    m.put("--no-header", "input.header");
    m.put("--columns", "input.columns");
    m.put("--charset", "input.charset");
    m.put("--max-record-size", "input.maxRecordSize");
    m.put("--malformed-input", "input.malformedInput");
    m.put("--csv-parser", "input.csvParser");
    m.put("--allow-short-records", "input.allowShortRecords");
    m.put("--blank-lines", "input.blankLines");
    m.put("--split-size", "input.splitSize");
    m.put("--follow-symlinks", "input.followSymlinks");
    m.put("--output", "output.dir");
    m.put("--to", "output.format");
    m.put("--crlf", "output.crlf");
    m.put("--gzip-output", "output.gzip");
    m.put("--overwrite", "output.overwrite");
    m.put("--escape-formulas", "output.escapeFormulas");
    m.put("--column-match", "output.columnMatch");
    m.put("--filter", "steps[].filter");
    m.put("--select", "steps[].select");
    m.put("--drop", "steps[].drop");
    m.put("--rename", "steps[].rename");
    m.put("--upper", "steps[].upper");
    m.put("--lower", "steps[].lower");
    m.put("--trim", "steps[].trim");
    m.put("--replace", "steps[].replace");
    m.put("--hash", "steps[].hash");
    m.put("--step", "steps[].class");
    m.put("--hash-key-file", "hashKeyFile");
    m.put("--job-name", "name");
    m.put("--threads", "engine.threads");
    m.put("--readers", "engine.readers");
    m.put("--transformers", "engine.transformers");
    m.put("--writers", "engine.writers");
    m.put("--thread-budget", "engine.threadBudget");
    m.put("--queue-capacity", "engine.queueCapacity");
    m.put("--batch-size", "engine.batchSize");
    m.put("--batch-bytes", "engine.batchBytes");
    m.put("--max-in-flight", "engine.maxInFlight");
    m.put("--virtual-readers", "engine.virtualReaders");
    m.put("--on-error", "errors.onError");
    m.put("--max-errors", "errors.maxErrors");
    m.put("--max-errors-per-file", "errors.maxErrorsPerFile");
    m.put("--reject-dir", "errors.rejectDir");
    m.put("--json-types", "output.jsonTypes");
    m.put("--merge-output", "output.mergeFile");
    m.put("--partition-by", "output.partitionBy");
    m.put("--on-success", "input.onSuccess");
    m.put("--on-failure", "input.onFailure");
    m.put("--no-state", "state.enabled");
    m.put("--state-dir", "state.dir");
    m.put("--full", "state.full");
    m.put("--identity", "state.identity");
    m.put("--wait-lock", "state.waitLock");
    m.put("--timeout", "state.timeout");
    m.put("--http-header", "http.headers");
    m.put("--http-header-file", "http.headerFile");
    m.put("--http-timeout", "http.timeout");
    m.put("--http-connect-timeout", "http.connectTimeout");
    m.put("--http-retries", "http.retries");
    m.put("--http-backoff", "http.backoff");
    return m;
  }

  private static List<String> runOptions() {
    return new CommandLine(new RunCommand())
        .getCommandSpec().options().stream().map(OptionSpec::longestName).toList();
  }

  @Test
  void shouldGiveEveryRunOptionAJobFileKeyOrAReason() {
    Set<String> unpaired = new TreeSet<>();
    for (String option : runOptions()) {
      if (!PAIRS.containsKey(option) && !CLI_ONLY.contains(option)) {
        unpaired.add(option);
      }
    }

    assertThat(unpaired)
        .as("options of sluice run with no job file key and no reason to have none")
        .isEmpty();
  }

  @Test
  void shouldGiveEveryJobFileKeyAnOption() {
    Set<String> paired = Set.copyOf(PAIRS.values());
    Set<String> unpaired = new TreeSet<>();
    for (String key : JobFile.keys()) {
      if (!paired.contains(key) && !JOB_ONLY.contains(key)) {
        unpaired.add(key);
      }
    }

    assertThat(unpaired).as("job file keys with no option of sluice run").isEmpty();
  }

  @Test
  void shouldPairOnlyNamesThatExist() {
    assertThat(runOptions()).as("options named in the pairs and lists").containsAll(PAIRS.keySet());
    assertThat(JobFile.keys())
        .as("job file keys named in the pairs")
        .containsAll(PAIRS.values())
        .containsAll(JOB_ONLY);
    assertThat(runOptions()).containsAll(CLI_ONLY);
  }
}
