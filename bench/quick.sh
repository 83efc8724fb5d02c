#!/usr/bin/env bash
# A first, quick end-to-end measurement: T1 over generated orders with one thread per stage and
# with the default thread counts, runs interleaved side by side, medians reported.
#   bench/quick.sh [FILES] [ROWS] [RUNS]      (default 40 files x 37000 rows, about 200 MB; 5 runs)
# Data goes to ${BENCH_DIR:-target/bench}; output to a tmpfs directory when /dev/shm exists.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
files=${1:-40}
rows=${2:-37000}
runs=${3:-5}
dir=${BENCH_DIR:-target/bench}
out_root=/dev/shm/sluice-bench-$$
[[ -d /dev/shm ]] || out_root="$dir/out-$$"
trap 'rm -rf "$out_root"' EXIT

./run.sh --version >/dev/null   # builds the jar if needed
jar=$(ls -t target/sluice-*-cli.jar | head -n 1)
data="$dir/w-$files-$rows"
if [[ ! -d "$data" ]]; then
  java -jar "$jar" generate --files "$files" --rows "$rows" --seed 42 --output "$data" --quiet
fi
mb=$(du -sm "$data" | cut -f1)
t1=(--filter 'status == SHIPPED' --filter 'amount > 100'
    --select order_id,customer_name,email,country,amount --upper country --lower email)

declare -A times
configs=("plain-loop" "1/1/1" "default")
for ((i = 1; i <= runs; i++)); do
  for c in "${configs[@]}"; do
    rm -rf "$out_root"
    if [[ $c == plain-loop ]]; then
      s=$(date +%s.%N)
      java -cp "$jar" bench/PlainLoop.java "$data" "$out_root"
      e=$(date +%s.%N)
    else
      if [[ $c == default ]]; then threads=(); else IFS=/ read -r r t w <<<"$c"; threads=(--readers "$r" --transformers "$t" --writers "$w"); fi
      s=$(date +%s.%N)
      java -jar "$jar" run --input "$data" --output "$out_root" "${t1[@]}" "${threads[@]}" --quiet
      e=$(date +%s.%N)
    fi
    times[$c]+="$(echo "$e - $s" | bc) "
  done
done

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
echo "input: $files files x $rows rows, ${mb} MB; $runs runs each, interleaved; output on $(dirname "$out_root")"
printf '%-10s %10s %10s %10s %10s\n' threads median_s min_s max_s MB/s
for c in "${configs[@]}"; do
  m=$(echo "${times[$c]}" | median)
  mn=$(echo "${times[$c]}" | tr ' ' '\n' | grep -v '^$' | sort -g | head -1)
  mx=$(echo "${times[$c]}" | tr ' ' '\n' | grep -v '^$' | sort -g | tail -1)
  printf '%-10s %10.2f %10.2f %10.2f %10.1f\n' "$c" "$m" "$mn" "$mx" "$(echo "$mb / $m" | bc -l)"
done
m1=$(echo "${times[1/1/1]}" | median)
md=$(echo "${times[default]}" | median)
mp=$(echo "${times[plain-loop]}" | median)
printf 'speedup default vs plain loop: %.2f x; default vs 1/1/1: %.2f x\n' "$(echo "$mp / $md" | bc -l)" "$(echo "$m1 / $md" | bc -l)"
echo "(plain-loop includes compiling bench/PlainLoop.java in memory, about 0.5 s; every row includes JVM start)"
