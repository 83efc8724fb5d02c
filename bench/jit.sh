#!/usr/bin/env bash
# The launcher's JIT thresholds against the JVM's own, side by side: the bench's T2 job through
# src/dist/bin/sluice on each data set, runs interleaved, output to tmpfs, medians and the ratio
# launcher / JVM default from the same invocation. A -XX:Tier option in SLUICE_JAVA_OPTS replaces
# the launcher's thresholds, so -XX:Tier4InvocationThreshold=5000 (the JVM's default) gives the
# JVM's own.
#   jar=target/sluice-<v>-cli.jar bench/jit.sh [RUNS] DATA_DIR...   e.g. bench/jit.sh 5 w1-1 w2-1 w3-1
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${1:?runs}; shift
jar=${jar:?jar=path of the CLI jar}
out=/dev/shm/sluice-jit-$$
[[ -d /dev/shm ]] || out=$(mktemp -d)
cds=$(mktemp -d)
trap 'rm -rf "$out" "$cds"' EXIT
steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email --hash email)
SLUICE_JAR="$jar" SLUICE_CDS_DIR="$cds" src/dist/bin/sluice --version >/dev/null # the snapshot, once
median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
for data in "$@"; do
  declare -A t=()
  for ((i = 1; i <= runs; i++)); do
    for side in launcher jvm; do
      opts=""; [[ $side == jvm ]] && opts="-XX:Tier4InvocationThreshold=5000"
      rm -rf "$out"
      s=$(date +%s.%N)
      SLUICE_JAR="$jar" SLUICE_CDS_DIR="$cds" SLUICE_JAVA_OPTS="$opts" src/dist/bin/sluice run \
        --input "$data" --output "$out" --quiet "${steps[@]}"
      e=$(date +%s.%N)
      t[$side]+="$(echo "$e - $s" | bc) "
    done
  done
  ml=$(tr ' ' '\n' <<<"${t[launcher]}" | grep . | median)
  mj=$(tr ' ' '\n' <<<"${t[jvm]}" | grep . | median)
  echo "$data: launcher ${t[launcher]}-> $ml s; JVM default ${t[jvm]}-> $mj s; launcher / JVM = $(echo "scale=3; $ml / $mj" | bc)"
  unset t
done
