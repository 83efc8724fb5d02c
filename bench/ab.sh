#!/usr/bin/env bash
# Two sluice jars side by side on one data set: the bench's T1 or T2 job, runs interleaved (A, B,
# A, B, ...), output to tmpfs, medians and the ratio B / A from the same invocation; outputs of
# the last runs compared byte for byte.
#   A_JAR=old-cli.jar B_JAR=new-cli.jar bench/ab.sh DATA_DIR [T1|T2] [RUNS]
# Both jars start as the launcher starts them (-XX:+UseSerialGC, the launcher's default).
set -euo pipefail
data=${1:?data directory, e.g. a bench W1 set}
transform=${2:-T2}
runs=${3:-5}
a=${A_JAR:?A_JAR} b=${B_JAR:?B_JAR}
out_root=/dev/shm/sluice-ab-$$
[[ -d /dev/shm ]] || out_root=$(mktemp -d)
trap 'rm -rf "$out_root"' EXIT
steps=(--filter 'status == SHIPPED' --filter 'amount > 100'
       --select order_id,customer_name,email,country,amount --upper country --lower email)
[[ $transform == T2 ]] && steps+=(--hash email)

median() { sort -n | awk '{v[NR]=$1} END {print (NR%2 ? v[(NR+1)/2] : (v[NR/2]+v[NR/2+1])/2)}'; }
declare -A t
for ((i = 1; i <= runs; i++)); do
  for side in A B; do
    jar=$a; [[ $side == B ]] && jar=$b
    rm -rf "$out_root/$side"
    s=$(date +%s.%N)
    java -XX:+UseSerialGC -jar "$jar" run --input "$data" --output "$out_root/$side" --no-state \
      --quiet "${steps[@]}"
    e=$(date +%s.%N)
    t[$side]+="$(echo "$e - $s" | bc) "
  done
done
ma=$(tr ' ' '\n' <<<"${t[A]}" | grep . | median)
mb=$(tr ' ' '\n' <<<"${t[B]}" | grep . | median)
echo "A $a: ${t[A]}-> median $ma s"
echo "B $b: ${t[B]}-> median $mb s"
echo "B / A = $(echo "scale=3; $mb / $ma" | bc)"
diff -r "$out_root/A" "$out_root/B" >/dev/null && echo "outputs byte-identical" || { echo "OUTPUTS DIFFER"; exit 1; }
