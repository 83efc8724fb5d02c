#!/usr/bin/env bash
# Every benchmark behind BENCHMARKS.md, one after another, each printing its own tables; run on a
# quiet machine (nothing else busy), about 35-45 minutes at full scale on 2 cores. Keeps the
# generated workloads in BENCH_DIR between runs.
#   bench/all.sh 2>&1 | tee bench-all.log        env: RUNS=3 BENCH_DIR=target/bench
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
export RUNS=${RUNS:-3}
# The Spring Batch peer is a Maven project of its own (kept out of sluice's build): build it when
# missing; without it, bench/run.sh skips its cases.
[[ -f bench/springbatch/target/sluice-bench-springbatch.jar ]] ||
  ./mvnw -B -q -f bench/springbatch/pom.xml package ||
  echo "(the Spring Batch peer did not build: its cases are skipped)" >&2
section() { printf '\n\n# %s (%s)\n' "$1" "$(date -u +%H:%M:%S)"; }
section "W1/T1";   bench/run.sh W1 T1
section "W1/T2";   bench/run.sh W1 T2
section "W3/T2";   bench/run.sh W3 T2
# W2: the issue's reference points are the plain loop and the naive pool; Miller, DuckDB and Spring
# Batch start a process, a COPY or a partition (a step execution in the job repository) per file,
# which measures their start-up 20,000 times, so they are left out here.
section "W2/T2";   CASES='^(plain|pool-[0-9]+|pool-[0-9]+-disk|parse-[0-9]+|sluice-default|sluice-default-disk|sluice-fastcsv)$' bench/run.sh W2 T2
section "flat heap: W1, W3, W1x10"; bench/run.sh W1x10 T2
section "sweep";   bench/sweep.sh
section "auto";    bench/auto.sh
section "http";    bench/http.sh
section "jmh";     bench/jmh.sh
section "startup"; bench/startup.sh
