#!/usr/bin/env bash
# Figure 7: the W1/T2 job over --batch-size, --queue-capacity and --max-in-flight, one dimension at
# a time around the defaults (read from PipelineSpec), every configuration run RUNS times
# interleaved. Prints the median time, its ratio to the defaults' median and the largest live heap
# after a GC (from the GC log).
#   bench/sweep.sh                 env: RUNS=3 SCALE=1 BENCH_DIR=target/bench OUT_DIR=/dev/shm/...
#   BATCH="64 256 1024 4096" QUEUE="1 4 16 64" IN_FLIGHT="8m 32m 128m" to change the values.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-3}
scale=${SCALE:-1}
dir=${BENCH_DIR:-target/bench}
out_root=${OUT_DIR:-/dev/shm/sluice-sweep-$$}
[[ -d /dev/shm || -n "${OUT_DIR:-}" ]] || out_root="$dir/out-$$"
trap 'rm -rf "$out_root" "$dir"/gc-*.log' EXIT
mkdir -p "$dir"
source bench/lib.sh

spec=src/main/java/dev/sluice/api/PipelineSpec.java
default_of() { # constant name -> its value (a Java int/long expression such as 64L * 1024 * 1024)
  local e
  e=$(sed -nE "s/.*static final (int|long) $1 = ([^;]+);.*/\2/p" "$spec" | sed 's/L//g')
  [[ -n $e ]] || { echo "no $1 in $spec" >&2; exit 1; }
  echo $((e))
}
d_batch=$(default_of DEFAULT_BATCH_SIZE)
d_queue=$(default_of DEFAULT_QUEUE_CAPACITY)
d_flight=$(default_of DEFAULT_MAX_IN_FLIGHT)
bytes() { # 8m -> 8388608
  local v=${1,,}
  case $v in
    *k) echo $((${v%k} * 1024)) ;;
    *m) echo $((${v%m} * 1024 * 1024)) ;;
    *g) echo $((${v%g} * 1024 * 1024 * 1024)) ;;
    *) echo "$v" ;;
  esac
}

steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email --hash email)
data=$(gen "w1-$scale" "$(n 200)" "$(n 37000)")
mb=$(du -sm --exclude=.done "$data" | cut -f1)

# Rows of the table: "dimension value key"; a key is batch/queue/in-flight, so a value equal to
# the default is the defaults' own measurement, not a second one.
rows=("default - $d_batch/$d_queue/$d_flight")
for b in ${BATCH:-64 256 1024 4096}; do rows+=("--batch-size $b $b/$d_queue/$d_flight"); done
for q in ${QUEUE:-1 4 16 64}; do rows+=("--queue-capacity $q $d_batch/$q/$d_flight"); done
for m in ${IN_FLIGHT:-8m 32m 128m}; do rows+=("--max-in-flight $m $d_batch/$d_queue/$(bytes "$m")"); done
keys=()
for r in "${rows[@]}"; do
  read -r _ _ k <<<"$r"
  [[ " ${keys[*]} " == *" $k "* ]] || keys+=("$k")
done

for ((i = 1; i <= runs; i++)); do
  for k in "${keys[@]}"; do
    IFS=/ read -r b q f <<<"$k"
    run_case "$k" "$out_root" java -jar "$jar" run --input "$data" --output "$out_root" "${steps[@]}" \
      --batch-size "$b" --queue-capacity "$q" --max-in-flight "$f" --quiet
  done
done

echo "## Sweep: W1/T2, $(ls "$data"/*.csv | wc -l) files, ${mb} MB; defaults: --batch-size $d_batch --queue-capacity $d_queue --max-in-flight $((d_flight / 1048576))m; $runs interleaved runs; output on $(dirname "$out_root"); $cores cores"
printf '| option | value | median s | / default | max live heap after GC (MB) |\n|---|---|---|---|---|\n'
base=$(echo "${times[$d_batch/$d_queue/$d_flight]}" | median)
for r in "${rows[@]}"; do
  read -r dim val k <<<"$r"
  m=$(echo "${times[$k]}" | median)
  [[ $dim == default ]] && { dim="(defaults)"; val="$d_batch / $d_queue / $((d_flight / 1048576))m"; }
  [[ $k == "$d_batch/$d_queue/$d_flight" && $dim != "(defaults)" ]] && val="$val (= default)"
  printf '| %s | %s | %.2f | %.2f | %s |\n' "$dim" "$val" "$m" "$(echo "$m / $base" | bc -l)" "$(echo "${heap[$k]}" | maxv)"
done
