#!/usr/bin/env bash
# End-to-end benchmarks for BENCHMARKS.md: generates the workloads (fixed seed) and runs every case
# side by side, interleaved, RUNS times; prints median/min/max wall time, MB/s, records/s, the
# largest live heap after a GC (from the GC log) and the median peak RSS (/usr/bin/time -f %M, every
# case, node peers included), plus ratios measured in the same run.
#
#   bench/run.sh [W1|W2|W3|all|W1x10] [T1|T2]        e.g. bench/run.sh W1 T2, or W1,W3 T2
#   env: RUNS=3  SCALE=1 (0.1 for a quick look)  BENCH_DIR=target/bench  OUT_DIR=/dev/shm/...
#        DISK_OUT=target/bench/out (W2's output-on-disk cases)  CASES=REGEX (only matching cases)
#
# Peers, each run when present: Miller (`mlr`, apt package miller; bench/mlr.sh), DuckDB (`npm
# install` in bench/duckdb; bench/duckdb/run.mjs), Polars, T1 only (`npm install` in bench/polars;
# bench/polars/run.mjs; about 200 s a run on W2's 20,000 files: CASES to leave it out), Spring
# Batch (a partitioned step, one partition per file; `./mvnw -B -q -f bench/springbatch/pom.xml
# package`; bench/springbatch), and sluice with `--csv-parser fastcsv` when the CLI has that
# option. W1x10 (opt-in, about 10 GB of data at SCALE=1) is W1 ten times over, run with W1 and W3
# for the flat-heap figure (by default only sluice-default: CASES to change that).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
which_w=${1:-all}
transform=${2:-T1}
runs=${RUNS:-3}
scale=${SCALE:-1}
dir=${BENCH_DIR:-target/bench}
out_root=${OUT_DIR:-/dev/shm/sluice-bench-$$}
[[ -d /dev/shm || -n "${OUT_DIR:-}" ]] || out_root="$dir/out-$$"
disk_out=${DISK_OUT:-$dir/out-disk-$$}
only=${CASES:-}
[[ $which_w == W1x10 && -z $only ]] && only='^sluice-default$'
trap 'rm -rf "$out_root" "$disk_out" "$dir"/gc-*.log' EXIT # gc-*.log: GC logs and peak RSS

mkdir -p "$dir"
source bench/lib.sh
# Compile the baselines once, so no case pays for compiling in its timing.
mkdir -p "$dir/classes"
javac -nowarn -cp "$jar" -d "$dir/classes" bench/Baselines.java
cp="$jar:$dir/classes"
# The launcher's class-data-sharing snapshot of this jar, made once here and not in a timed run.
env SLUICE_JAR="$jar" SLUICE_CDS_DIR="$dir/cds" src/dist/bin/sluice --version >/dev/null

have_mlr=false; command -v mlr >/dev/null && have_mlr=true
have_duckdb=false; [[ -d bench/duckdb/node_modules/@duckdb/node-api ]] && command -v node >/dev/null && have_duckdb=true
# Polars has no SHA-256 expression, so it runs T1 only (bench/polars/run.mjs).
have_polars=false; [[ -d bench/polars/node_modules/nodejs-polars ]] && command -v node >/dev/null && have_polars=true
springbatch_jar=bench/springbatch/target/sluice-bench-springbatch.jar
have_springbatch=false; [[ -f $springbatch_jar ]] && have_springbatch=true
have_fastcsv=false; java -jar "$jar" run --help 2>/dev/null | grep -q -- --csv-parser && have_fastcsv=true
$have_mlr || echo "(no mlr: Miller cases skipped; apt-get install miller)" >&2
$have_duckdb || echo "(no DuckDB: cases skipped; cd bench/duckdb && npm install)" >&2
$have_polars || echo "(no Polars: T1 cases skipped; cd bench/polars && npm install)" >&2
$have_springbatch || echo "(no Spring Batch jar: cases skipped; ./mvnw -B -q -f bench/springbatch/pom.xml package)" >&2
$have_fastcsv || echo "(this sluice has no --csv-parser: sluice-fastcsv skipped)" >&2

steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email)
[[ $transform == T2 ]] && steps+=(--hash email)

declare -A summary # workload -> "median-s heap-MB" of sluice-default, for the cross-workload lines
cases=()
want() { [[ -z $only || $1 =~ $only ]]; }
add_case() { want "$1" && cases+=("$1"); return 0; }
case_cmd() { # workload data label: runs one case once
  local w=$1 data=$2 c=$3
  case $c in
    plain) run_case "$c" "$out_root" java -cp "$cp" Baselines plain "$transform" 1 "$data" "$out_root" ;;
    pool-$cores) run_case "$c" "$out_root" java -cp "$cp" Baselines pool "$transform" "$cores" "$data" "$out_root" ;;
    pool-$cores-disk) run_case "$c" "$disk_out" java -cp "$cp" Baselines pool "$transform" "$cores" "$data" "$disk_out" ;;
    parse-$cores) run_case "$c" "$out_root" java -cp "$cp" Baselines parse "$transform" "$cores" "$data" "$out_root" ;;
    sluice-default) run_case "$c" "$out_root" sluice run --input "$data" --output "$out_root" "${steps[@]}" --quiet ;;
    sluice-default-disk) run_case "$c" "$disk_out" sluice run --input "$data" --output "$disk_out" "${steps[@]}" --quiet ;;
    sluice-xmx64m) SLUICE_OPTS=-Xmx64m run_case "$c" "$out_root" sluice run --input "$data" --output "$out_root" "${steps[@]}" --quiet ;;
    sluice-fastcsv) run_case "$c" "$out_root" sluice run --input "$data" --output "$out_root" "${steps[@]}" --csv-parser fastcsv --quiet ;;
    sluice-commons) run_case "$c" "$out_root" sluice run --input "$data" --output "$out_root" "${steps[@]}" --csv-parser commons --quiet ;;
    sluice-jar) run_case "$c" "$out_root" java -jar "$jar" run --input "$data" --output "$out_root" "${steps[@]}" --quiet ;;
    mlr-$cores) run_case "$c" "$out_root" bench/mlr.sh "$transform" "$cores" "$data" "$out_root" ;;
    duckdb-$cores) run_case "$c" "$out_root" node bench/duckdb/run.mjs "$transform" "$data" "$out_root" "$cores" ;;
    polars-$cores) run_case "$c" "$out_root" node bench/polars/run.mjs "$transform" "$data" "$out_root" "$cores" ;;
    springbatch-$cores) run_case "$c" "$out_root" java -jar "$springbatch_jar" "$transform" "$data" "$out_root" "$cores" ;;
  esac
}
ratio() { # label numerator-case denominator-case [target]: one ratio line, when both were measured
  local a=${times[$2]:-} b=${times[$3]:-}
  [[ -n $a && -n $b ]] || return 0
  printf '%s = %.2f%s\n' "$1" "$(echo "$(echo "$a" | median) / $(echo "$b" | median)" | bc -l)" "${4:+ (target $4)}"
}
target() { # workload/transform pattern target: the issue's target where it applies to this workload
  [[ "$w/$transform" == $1 ]] && echo "$2"
  return 0
}
peer_target() { # the issue's target for sluice / a peer on this workload: W1/T1 (DuckDB and Polars)
  # and W1/T2 <= 0.8, W3/T2 <= 1.0
  target 'W1/*' '<= 0.8'
  target W3/T2 '<= 1.0'
}
rss_of() { # case: its median peak RSS in MB, or "-"
  local r=${rss[$1]:-}
  [[ -n $r && $r != *-* ]] && echo "$r" | median || echo -
}

bench() { # workload files rows-per-file: generates the data once, then runs the cases
  local w=$1 records=$(($2 * $3)) data
  data=$(gen "${w,,}-$scale" "$2" "$3")
  local mb
  mb=$(du -sm --exclude=.done "$data" | cut -f1)
  times=(); heap=(); rss=(); cases=()
  add_case plain; add_case "pool-$cores"; add_case "parse-$cores"; add_case sluice-default
  $have_fastcsv && add_case sluice-fastcsv
  # The reference reader (the default before issue 16), and the default path started with
  # `java -jar` (the JVM's own heap ergonomics, not the launcher's): only when CASES names them.
  [[ -n $only ]] && { add_case sluice-commons; add_case sluice-jar; }
  $have_mlr && add_case "mlr-$cores"
  $have_duckdb && add_case "duckdb-$cores"
  $have_polars && [[ $transform == T1 ]] && add_case "polars-$cores"
  $have_springbatch && add_case "springbatch-$cores"
  if [[ $w == W2 ]]; then add_case "pool-$cores-disk"; add_case sluice-default-disk; fi
  # Figure 4: the one huge file must also complete in a 64 MB heap.
  [[ $w == W3 ]] && add_case sluice-xmx64m
  for ((i = 1; i <= runs; i++)); do
    for c in "${cases[@]}"; do
      case_cmd "$w" "$data" "$c"
    done
  done
  echo
  echo "## $w/$transform: $(ls "$data"/*.csv | wc -l) files, $records records, ${mb} MB; $runs interleaved runs; output on $(dirname "$out_root") (-disk: on $(dirname "$disk_out")); $cores cores"
  printf '| case | median s | min s | max s | MB/s | records/s | max live heap after GC (MB) | peak RSS (MB) |\n|---|---|---|---|---|---|---|---|\n'
  for c in "${cases[@]}"; do
    local m
    m=$(echo "${times[$c]}" | median)
    printf '| %s | %.2f | %.2f | %.2f | %.1f | %s | %s | %s |\n' "$c" "$m" "$(echo "${times[$c]}" | minv)" \
      "$(echo "${times[$c]}" | maxv)" "$(echo "$mb / $m" | bc -l)" \
      "$(printf '%.0f' "$(echo "$records / $m" | bc -l)")" \
      "$(echo "${heap[$c]}" | maxv)" "$(rss_of "$c")"
  done
  echo
  echo "ratios (medians, same run):"
  ratio "$w/$transform sluice / parse-$cores" sluice-default "parse-$cores" "$(target 'W1/*' '<= 1.15')"
  ratio "$w/$transform sluice-fastcsv / parse-$cores" sluice-fastcsv "parse-$cores"
  ratio "$w/$transform sluice / plain" sluice-default plain
  ratio "$w/$transform sluice / pool-$cores (naive pool writing in place)" sluice-default "pool-$cores" "$(target W2/T2 '<= 1.0')"
  ratio "$w/$transform sluice on disk / naive pool on disk" sluice-default-disk "pool-$cores-disk" "$(target W2/T2 '<= 1.0')"
  ratio "$w/$transform sluice / duckdb" sluice-default "duckdb-$cores" "$(peer_target)"
  ratio "$w/$transform sluice-fastcsv / duckdb" sluice-fastcsv "duckdb-$cores" "$(peer_target)"
  ratio "$w/$transform sluice / polars" sluice-default "polars-$cores" "$(peer_target)"
  ratio "$w/$transform sluice-fastcsv / polars" sluice-fastcsv "polars-$cores" "$(peer_target)"
  ratio "$w/$transform sluice / mlr" sluice-default "mlr-$cores"
  ratio "$w/$transform sluice / springbatch" sluice-default "springbatch-$cores"
  if [[ -n ${times[sluice-default]:-} ]]; then
    summary[$w]="$(echo "${times[sluice-default]}" | median) $(echo "${heap[sluice-default]}" | maxv) $mb $records"
  fi
  return 0
}

if [[ $which_w == W1x10 ]]; then
  # 2,000 files of 37,000 rows at SCALE=1: about 8-10 GB. Refuse to start without room for it.
  need_mb=$(awk -v s="$scale" 'BEGIN { printf "%d", 11000 * s * s + 100 }')
  free_mb=$(df -Pm "$dir" | awk 'NR == 2 {print $4}')
  if [[ ! -f "$dir/w1x10-$scale/.done" ]] && ((free_mb < need_mb)); then
    echo "W1x10 needs about ${need_mb} MB free in $dir, has ${free_mb} MB" >&2
    exit 1
  fi
fi

run_w() { [[ ,$which_w, == *,"$1",* || ($which_w == all && $1 != W1x10) || ($which_w == W1x10 && ($1 == W1 || $1 == W3)) ]]; }
run_w W1 && bench W1 "$(n 200)" "$(n 37000)"
run_w W2 && bench W2 "$(n 20000)" 100
run_w W3 && bench W3 1 "$(n 7400000)"
run_w W1x10 && bench W1x10 "$(n 2000)" "$(n 37000)"

if [[ -n ${summary[W1]:-} && -n ${summary[W3]:-} ]]; then
  # Time per record: at SCALE=1 both hold the same 7.4 M rows; SCALE shrinks W1's file count too.
  read -r t1 _ _ r1 <<<"${summary[W1]}"; read -r t3 _ _ r3 <<<"${summary[W3]}"
  echo
  printf 'W3/%s / W1/%s (sluice-default, seconds per record: one file vs %s files) = %.2f (target <= 1.25)\n' \
    "$transform" "$transform" "$(n 200)" "$(echo "($t3 / $r3) / ($t1 / $r1)" | bc -l)"
fi
if ((${#summary[@]} > 1)); then
  echo
  echo "sluice-default across workloads (flat heap):"
  printf '| workload | MB | median s | max live heap after GC (MB) |\n|---|---|---|---|\n'
  for w in W1 W2 W3 W1x10; do
    [[ -n ${summary[$w]:-} ]] || continue
    read -r t h mb _ <<<"${summary[$w]}"
    printf '| %s | %s | %.2f | %s |\n' "$w" "$mb" "$t" "$h"
  done
fi
