#!/usr/bin/env bash
# I/O-bound speedup (issue #6, figure 5): W2-sized files (100 rows, about 11 KB) fetched over HTTP
# from bench/SlowServer.java on loopback, which holds every response back DELAY_MS (20 ms). The
# work is latency, not CPU, so N readers should give close to N times the files/s of one:
# prints files/s (files / the run's own elapsed time from --report) and the ratio
# throughput(N) / (N x throughput(1)), medians of RUNS runs; then virtual readers (256) on JDK 25
# and one curl process with 32 requests in flight as the reference.
#
#   bench/http.sh          env: RUNS=3 DELAY_MS=20 BENCH_DIR=target/bench JDK25=/usr/lib/jvm/temurin-25-jdk-amd64
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
runs=${RUNS:-3}
delay=${DELAY_MS:-20}
dir=${BENCH_DIR:-target/bench}
jdk25=${JDK25:-/usr/lib/jvm/temurin-25-jdk-amd64}
out_root=/dev/shm/sluice-http-$$
[[ -d /dev/shm ]] || out_root="$dir/http-out-$$"
max_files=12800
data="$dir/http-w2-$max_files"
server_pid=
cleanup() {
  [[ -n "$server_pid" ]] && kill "$server_pid" 2>/dev/null || true
  rm -rf "$out_root"
}
trap cleanup EXIT

./run.sh --version >/dev/null   # builds the jar when the sources are newer
jar=$(ls -t target/sluice-*-cli.jar | head -n 1)
if [[ ! -d "$data" ]]; then
  java -jar "$jar" generate --files "$max_files" --rows 100 --seed 42 --output "$data" --quiet
fi
mkdir -p "$out_root"
port_file="$out_root/port"
# nodelay: without it Nagle's algorithm and delayed ACKs add ~40 ms to every response.
java -Dsun.net.httpserver.nodelay=true bench/SlowServer.java "$data" "$port_file" "$delay" 512 &
server_pid=$!
for _ in $(seq 1 200); do [[ -s "$port_file" ]] && break; sleep 0.1; done
port=$(cat "$port_file")
base="http://127.0.0.1:$port"
(cd "$data" && ls | sort) | sed "s|^|$base/|" >"$out_root/all-urls.txt"

# Files per run: about 3 s of ideal work (N x 50 files/s at 20 ms), at least 150, at most all.
files_for() { local n=$(( $1 * 150 )); (( n < 150 )) && n=150; (( n > max_files )) && n=$max_files; echo $n; }

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }

run_case() { # java readers virtual(0/1) files -> prints files/s
  local javabin=$1 n=$2 virtual=$3 files=$4
  head -n "$files" "$out_root/all-urls.txt" >"$out_root/urls.txt"
  rm -rf "$out_root/out" "$out_root/report.json"
  local extra=()
  (( virtual )) && extra=(--virtual-readers)
  "$javabin" -jar "$jar" run --input-urls "$out_root/urls.txt" --output "$out_root/out" --no-state \
    --readers "$n" --transformers 2 --writers 2 "${extra[@]}" --report "$out_root/report.json" --quiet
  local files_done elapsed
  files_done=$(grep -o '"files" : [0-9]*' "$out_root/report.json" | head -1 | grep -o '[0-9]*$')
  elapsed=$(grep -o '"elapsedSeconds" : [0-9.]*' "$out_root/report.json" | grep -o '[0-9.]*$')
  [[ "$files_done" == "$files" ]] || { echo "run wrote $files_done of $files files" >&2; exit 1; }
  echo "$files / $elapsed" | bc -l
}

echo "W2 over HTTP: 100-row files (~11 KB), ${delay} ms per request on loopback; $runs runs each, medians;"
echo "files/s = files / the run's elapsed time (JVM start excluded); java: $(java -version 2>&1 | head -1)"
printf '%-22s %7s %10s %12s\n' readers files files/s "ratio/N"
t1=
for n in 1 2 4 8 16 32 64; do
  files=$(files_for "$n")
  rates=""
  for ((i = 1; i <= runs; i++)); do rates+="$(run_case java "$n" 0 "$files") "; done
  m=$(echo "$rates" | median)
  [[ -z "$t1" ]] && t1=$m
  printf '%-22s %7d %10.1f %12.2f\n' "$n" "$files" "$m" "$(echo "$m / ($n * $t1)" | bc -l)"
done
if [[ -x "$jdk25/bin/java" ]]; then
  for n in 64 256; do
    files=$(files_for "$n")
    rates=""
    for ((i = 1; i <= runs; i++)); do rates+="$(run_case "$jdk25/bin/java" "$n" 1 "$files") "; done
    m=$(echo "$rates" | median)
    printf '%-22s %7d %10.1f %12.2f\n' "$n virtual (JDK 25)" "$files" "$m" "$(echo "$m / ($n * $t1)" | bc -l)"
  done
fi
if command -v curl >/dev/null; then
  files=$(files_for 32)
  head -n "$files" "$out_root/all-urls.txt" | sed 's/^/url = /' >"$out_root/curl.cfg"
  rates=""
  for ((i = 1; i <= runs; i++)); do
    rm -rf "$out_root/curl-out" && mkdir -p "$out_root/curl-out"
    s=$(date +%s.%N)
    (cd "$out_root/curl-out" && curl -s --no-progress-meter --parallel --parallel-max 32 --remote-name-all -K "$out_root/curl.cfg")
    e=$(date +%s.%N)
    rates+="$(echo "$files / ($e - $s)" | bc -l) "
  done
  m=$(echo "$rates" | median)
  printf '%-22s %7d %10.1f %12.2f   (download only, process time)\n' "curl --parallel-max 32" "$files" "$m" "$(echo "$m / (32 * $t1)" | bc -l)"
fi
