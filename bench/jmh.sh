#!/usr/bin/env bash
# JMH micro-benchmarks (src/jmh/java, Maven profile jmh) with the GC profiler: throughput and bytes
# allocated per record (gc.alloc.rate.norm) on the format path, the CSV reader and the hash step.
#   bench/jmh.sh                      all benchmarks, short settings
#   bench/jmh.sh FormatBench -t 2     any JMH arguments (a benchmark regex, -t threads, ...)
#   env: JMH_OPTS (default "-f 1 -wi 3 -i 5 -w 1s -r 1s")
# Builds into target-jmh/ so that the normal build's target/ is left alone.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
./mvnw -B -q -Pjmh -DskipTests -Dsluice.buildDir=target-jmh package
# shellcheck disable=SC2086
exec java -jar target-jmh/benchmarks.jar ${JMH_OPTS:--f 1 -wi 3 -i 5 -w 1s -r 1s} -prof gc "$@"
