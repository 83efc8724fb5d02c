#!/usr/bin/env bash
# End-to-end benchmarks for BENCHMARKS.md: generates the workloads (fixed seed) and runs every case
# side by side, interleaved, RUNS times; prints median/min/max wall time, MB/s, records/s and the
# largest live heap after a GC (from the GC log), plus ratios measured in the same run.
#
#   bench/run.sh [W1|W2|W3|all] [T1|T2]        e.g. bench/run.sh W1 T2
#   env: RUNS=3  SCALE=1 (0.1 for a quick look)  BENCH_DIR=target/bench  OUT_DIR=/dev/shm/...
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
which_w=${1:-all}
transform=${2:-T1}
runs=${RUNS:-3}
scale=${SCALE:-1}
dir=${BENCH_DIR:-target/bench}
out_root=${OUT_DIR:-/dev/shm/sluice-bench-$$}
[[ -d /dev/shm || -n "${OUT_DIR:-}" ]] || out_root="$dir/out-$$"
trap 'rm -rf "$out_root" "$dir"/gc-*.log' EXIT

./run.sh --version >/dev/null
jar=$(ls -t target/sluice-*-cli.jar | head -n 1)
cores=$(nproc)
# Compile the baselines once, so no case pays for compiling in its timing.
mkdir -p "$dir/classes"
javac -nowarn -cp "$jar" -d "$dir/classes" bench/Baselines.java
cp="$jar:$dir/classes"

gen() { # name files rows
  local d="$dir/$1"
  if [[ ! -f "$d/.done" ]]; then
    rm -rf "$d"
    java -jar "$jar" generate --files "$2" --rows "$3" --seed 42 --output "$d" --quiet
    touch "$d/.done"
  fi
  echo "$d"
}
n() { awk -v a="$1" -v s="$scale" 'BEGIN { v = int(a * s); print (v < 1 ? 1 : v) }'; }

steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email)
[[ $transform == T2 ]] && steps+=(--hash email)

declare -A times heap
cases=()
run_case() { # label command...
  local label=$1; shift
  rm -rf "$out_root"; mkdir -p "$out_root"
  local gc="$dir/gc-$$.log"; rm -f "$gc"
  local s e
  s=$(date +%s.%N)
  "$1" "-Xlog:gc:file=$gc" "${@:2}" >"$dir/last.out" 2>&1
  e=$(date +%s.%N)
  times[$label]+="$(echo "$e - $s" | bc) "
  local h
  h=$( (grep -oE '[0-9]+M->[0-9]+M' "$gc" 2>/dev/null || true) | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
  heap[$label]+="${h:-0} "
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minv() { tr ' ' '\n' | grep -v '^$' | sort -g | head -1; }
maxv() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }

bench() { # workload data
  local w=$1 data=$2
  local mb records
  mb=$(du -sm --exclude=.done "$data" | cut -f1)
  times=(); heap=(); cases=("plain" "pool-$cores" "parse-$cores" "sluice-default")
  for ((i = 1; i <= runs; i++)); do
    run_case plain java -cp "$cp" Baselines plain "$transform" 1 "$data" "$out_root"
    records=$(awk '$1 == "plain" {print $2}' "$dir/last.out")
    run_case "pool-$cores" java -cp "$cp" Baselines pool "$transform" "$cores" "$data" "$out_root"
    run_case "parse-$cores" java -cp "$cp" Baselines parse "$transform" "$cores" "$data" "$out_root"
    run_case sluice-default java -jar "$jar" run --input "$data" --output "$out_root" "${steps[@]}" --quiet
  done
  echo
  echo "## $w/$transform: $(ls "$data"/*.csv | wc -l) files, $records records, ${mb} MB; $runs interleaved runs; output on $(dirname "$out_root"); $cores cores"
  printf '| case | median s | min s | max s | MB/s | records/s | max live heap after GC (MB) |\n|---|---|---|---|---|---|---|\n'
  for c in "${cases[@]}"; do
    local m
    m=$(echo "${times[$c]}" | median)
    printf '| %s | %.2f | %.2f | %.2f | %.1f | %.0f | %s |\n' "$c" "$m" "$(echo "${times[$c]}" | minv)" \
      "$(echo "${times[$c]}" | maxv)" "$(echo "$mb / $m" | bc -l)" "$(echo "$records / $m" | bc -l)" \
      "$(echo "${heap[$c]}" | maxv)"
  done
  local ms mp
  ms=$(echo "${times[sluice-default]}" | median)
  mp=$(echo "${times[parse-$cores]}" | median)
  printf '\nratios (medians, same run): sluice / parse-only = %.2f; sluice / plain = %.2f; sluice / pool = %.2f\n' \
    "$(echo "$ms / $mp" | bc -l)" "$(echo "$ms / $(echo "${times[plain]}" | median)" | bc -l)" \
    "$(echo "$ms / $(echo "${times[pool-$cores]}" | median)" | bc -l)"
}

[[ $which_w == W1 || $which_w == all ]] && bench W1 "$(gen "w1-$scale" "$(n 200)" "$(n 37000)")"
[[ $which_w == W2 || $which_w == all ]] && bench W2 "$(gen "w2-$scale" "$(n 20000)" 100)"
[[ $which_w == W3 || $which_w == all ]] && bench W3 "$(gen "w3-$scale" 1 "$(n 7400000)")"
