#!/usr/bin/env bash
# Start-up of a short run (one 100-row file, T2 steps, output on tmpfs): `java -jar` with JVM
# defaults against the launcher (bin/sluice, as run.sh calls it) with and without its
# class-data-sharing snapshot, and a hand-written one-file Commons CSV loop for reference.
# Interleaved; medians of RUNS (default 11). Usage: [RUNS=11] bench/startup.sh
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-11}
dir=${BENCH_DIR:-target/bench}
scale=1
source bench/lib.sh
data=$(gen startup-1 1 100)
file=$(ls "$data"/*.csv | head -n 1)
out=$(mktemp -d /dev/shm/sluice-startup-XXXX 2>/dev/null || mktemp -d)
cds=$(mktemp -d)
trap 'rm -rf "$out" "$cds"' EXIT
mkdir -p "$dir/classes"
javac -nowarn -cp "$jar" -d "$dir/classes" bench/Baselines.java
steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email --hash email)
export SLUICE_JAR="$jar" SLUICE_CDS_DIR="$cds"
src/dist/bin/sluice --version >/dev/null # makes the snapshot (the training run), not timed
ms() { local s e; s=$(date +%s%N); "$@" >/dev/null 2>&1; e=$(date +%s%N); echo $(((e - s) / 1000000)); }
declare -A t
for ((r = 0; r < runs; r++)); do
  t[java-jar]+=" $(ms java -jar "$jar" run --input "$file" --output "$out/a" --no-state --overwrite --quiet "${steps[@]}")"
  t[launcher]+=" $(ms src/dist/bin/sluice run --input "$file" --output "$out/b" --no-state --overwrite --quiet "${steps[@]}")"
  t[launcher-no-cds]+=" $(SLUICE_CDS=off ms src/dist/bin/sluice run --input "$file" --output "$out/c" --no-state --overwrite --quiet "${steps[@]}")"
  t[plain-loop]+=" $(ms java -cp "$jar:$dir/classes" Baselines plain T2 1 "$file" "$out/d")"
done
median() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| start | median ms | min ms | max ms |"
echo "|---|---|---|---|"
for k in java-jar launcher-no-cds launcher plain-loop; do
  v=${t[$k]}
  printf '| %s | %s | %s | %s |\n' "$k" "$(echo "$v" | median)" \
    "$(echo "$v" | tr ' ' '\n' | grep . | sort -n | head -n 1)" "$(echo "$v" | tr ' ' '\n' | grep . | sort -n | tail -n 1)"
done
printf 'launcher with snapshot / java -jar = %.2f\n' \
  "$(echo "$(echo "${t[launcher]}" | median) / $(echo "${t[java-jar]}" | median)" | bc -l)"
