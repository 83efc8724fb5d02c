#!/usr/bin/env bash
# Automatic sizing (--threads auto) against hand-picked splits of the same total, on two lopsided
# jobs, plus the cost of the per-stage accounting it relies on. Runs are interleaved; medians of
# RUNS; times are the engine's own elapsed time (RunResult.elapsed, JVM start excluded).
#
#   bench/auto.sh                 env: RUNS=3  SCALE=1 (0.25 for a quick look)  TOTAL=threads for
#                                 readers + transformers (default: the auto budget, max(4, 2 x cores))
#                                 DELAY_MS=8 BLOCK=500 (slow reads)  ROUNDS=300 (heavy step)
#                                 ACC_RUNS=max(5, RUNS) for the accounting case
#                                 JOBS="slow-reads heavy-step" (JOBS= runs only the accounting case)
#                                 BENCH_DIR=target/bench  OUT_DIR=/dev/shm/...
#
# Jobs (bench/AutoBench.java, through the library API):
#   slow-reads : every reader sleeps DELAY_MS per BLOCK records (remote storage latency): more
#                readers than cores pays, the light steps need few transformers.
#   heavy-step : a step burning ROUNDS rounds of arithmetic per record: transformers limit the run.
# Each job: readers/transformers splits r/(TOTAL-r) for r in 1, TOTAL/4, TOTAL/2, 3 TOTAL/4,
# TOTAL-1, and auto with --thread-budget TOTAL; one writer throughout. The verdict line says
# whether auto's median is within 15% of the best split's.
# Accounting: the default thread counts with the stage accounting on and off
# (-Dsluice.accounting=false), side by side.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-3}
scale=${SCALE:-1}
dir=${BENCH_DIR:-target/bench}
out_root=${OUT_DIR:-/dev/shm/sluice-auto-$$}
[[ -d /dev/shm || -n "${OUT_DIR:-}" ]] || out_root="$dir/out-auto-$$"
trap 'rm -rf "$out_root"' EXIT

./run.sh --version >/dev/null   # builds the jar if needed
jar=$(ls -t target/sluice-*-cli.jar | head -n 1)
mkdir -p "$dir/classes"
javac -nowarn -cp "$jar" -d "$dir/classes" bench/AutoBench.java
cp="$jar:$dir/classes"
cores=$(nproc)
total=${TOTAL:-$(( 2 * cores > 4 ? 2 * cores : 4 ))}

n() { awk -v a="$1" -v s="$scale" 'BEGIN { v = int(a * s); print (v < 1 ? 1 : v) }'; }
files=$(n 32)
rows=$(n 20000)
data="$dir/auto-$files-$rows"
if [[ ! -f "$data/.done" ]]; then
  rm -rf "$data"
  java -jar "$jar" generate --files "$files" --rows "$rows" --seed 42 --output "$data" --quiet
  touch "$data/.done"
fi
mb=$(du -sm --exclude=.done "$data" | cut -f1)

splits=()
for r in 1 $(( total / 4 )) $(( total / 2 )) $(( 3 * total / 4 )) $(( total - 1 )); do
  (( r >= 1 && r <= total - 1 )) || continue
  s="$r/$(( total - r ))/1"
  [[ " ${splits[*]} " == *" $s "* ]] || splits+=("$s")
done
auto="auto:$total/1"

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minv() { tr ' ' '\n' | grep -v '^$' | sort -g | head -1; }
maxv() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }

declare -A times settled
one() { # label mode split [java flags...]
  local label=$1 mode=$2 split=$3; shift 3
  rm -rf "$out_root"; mkdir -p "$out_root"
  local line
  line=$(java "$@" -cp "$cp" AutoBench "$mode" "$split" "$data" "$out_root" | grep -E "^$mode " | tail -n 1)
  times[$label]+="$(awk '{print $3}' <<<"$line") "
  settled[$label]+="$(awk '{print $5}' <<<"$line") "
}

echo "# bench/auto.sh: $files files x $rows rows (${mb} MB), $cores cores, reader+transformer threads $total, $runs interleaved runs, medians"
for job in ${JOBS-slow-reads heavy-step}; do
  times=(); settled=()
  for ((i = 1; i <= runs; i++)); do
    for c in "${splits[@]}" "$auto"; do
      one "$c" "$job" "$c"
    done
  done
  echo
  echo "## $job"
  printf '| readers/transformers/writers | median s | min s | max s | settled r/t |\n|---|---|---|---|---|\n'
  best=""; best_m=""
  for c in "${splits[@]}" "$auto"; do
    m=$(echo "${times[$c]}" | median)
    printf '| %s | %.2f | %.2f | %.2f | %s |\n' "$c" "$m" "$(echo "${times[$c]}" | minv)" "$(echo "${times[$c]}" | maxv)" "${settled[$c]% }"
    if [[ $c != "$auto" ]] && { [[ -z $best_m ]] || (( $(echo "$m < $best_m" | bc -l) )); }; then best=$c; best_m=$m; fi
  done
  am=$(echo "${times[$auto]}" | median)
  ratio=$(echo "$am / $best_m" | bc -l)
  within=$( (( $(echo "$ratio <= 1.15" | bc -l) )) && echo yes || echo NO)
  printf 'auto %.2f s vs best split %s %.2f s: %.2f x -> within 15%%: %s\n' "$am" "$best" "$best_m" "$ratio" "$within"
done

echo
acc_runs=${ACC_RUNS:-$(( runs > 5 ? runs : 5 ))}
echo "## accounting overhead (plain job, default threads, $acc_runs interleaved runs)"
times=(); settled=()
for ((i = 1; i <= acc_runs; i++)); do
  one on plain default
  one off plain default -Dsluice.accounting=false
done
on=$(echo "${times[on]}" | median)
off=$(echo "${times[off]}" | median)
printf '| accounting | median s | min s | max s |\n|---|---|---|---|\n'
for c in on off; do
  printf '| %s | %.3f | %.3f | %.3f |\n' "$c" "$(echo "${times[$c]}" | median)" "$(echo "${times[$c]}" | minv)" "$(echo "${times[$c]}" | maxv)"
done
printf 'overhead of the accounting: %+.1f%% (median on vs off)\n' "$(echo "($on / $off - 1) * 100" | bc -l)"
