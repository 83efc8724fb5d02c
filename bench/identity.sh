#!/usr/bin/env bash
# Output identity across a change (issue 15: "W1, W2, W3 outputs are byte-identical before and
# after"): runs a baseline CLI jar and the candidate (this checkout's working tree) on the bench
# workloads with the same flags and compares the output trees byte for byte. Exit 0 when every case
# is identical, 1 on any difference (the differing files are printed), 2 on a setup error.
#
#   bench/identity.sh [CASE...]      e.g. bench/identity.sh W1/T2 W1/T2/threads1
#   env: BASELINE_REF=b6caaf8 (the last commit before issue 15)   BASELINE_JAR / CANDIDATE_JAR to
#        take jars instead of building them   SCALE=1 (0.1 for a quick look)   BENCH_DIR=target/bench
#        (workloads, shared with bench/run.sh; built jars under $BENCH_DIR/identity)
#        OUT_DIR=/dev/shm/... (outputs)   KEEP=1 keeps both output trees of a differing case
#
# Cases (WORKLOAD/TRANSFORM[/VARIANT]; with no argument, all of them):
#   W1/T1 W1/T2 W1/T2/threads1 W1/T2/threads4 W1/T2/fastcsv W1/T2/commons W2/T1 W2/T2
#   W2/T2/threads1 W3/T1 W3/T2 W3/T2/threads1 W3/T2/threads4 R/T1 R/T1/commons
# W1, W2, W3 and T1, T2 are bench/run.sh's (BENCHMARKS.md, "Workloads"), default flags; threadsN
# adds `--threads N`, fastcsv `--csv-parser fastcsv`, commons `--csv-parser commons` (the reference
# reader, the default before issue 16). R is 20 files of 2,000 generated rows (at any
# SCALE) in which every 50th line has a field too many and one file ends in an unclosed quote, run
# with `--on-error skip`, so that reject files (<output>/_rejects/) and exit code 3 are compared too.
#
# Compared: every file and directory under the output directory, by relative path and SHA-256,
# reject files included, and the exit code. Left out: the state directory <output>/.sluice, whose
# manifest holds run ids and timestamps that differ between any two runs. A case whose output is
# empty or whose exit code is not the expected one (0; 3 for R) fails: identical nothing proves
# nothing.
#
# One JVM at a time, baseline then candidate; each output tree is listed and deleted before the
# next run, so at most one tree is on disk at a time (both with KEEP=1 when they differ).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
here=$(pwd -P)
scale=${SCALE:-1}
dir=${BENCH_DIR:-target/bench}
out_root=${OUT_DIR:-/dev/shm/sluice-identity-$$}
[[ -d /dev/shm || -n "${OUT_DIR:-}" ]] || out_root="$dir/out-identity-$$"
base_ref=${BASELINE_REF:-b6caaf8}
keep=${KEEP:-}
all_cases=(W1/T1 W1/T2 W1/T2/threads1 W1/T2/threads4 W1/T2/fastcsv W1/T2/commons W2/T1 W2/T2
  W2/T2/threads1 W3/T1 W3/T2 W3/T2/threads1 W3/T2/threads4 R/T1 R/T1/commons)
cases=("$@")
((${#cases[@]})) || cases=("${all_cases[@]}")
for c in "${cases[@]}"; do
  [[ " ${all_cases[*]} " == *" $c "* ]] || { echo "unknown case $c (cases: ${all_cases[*]})" >&2; exit 2; }
done

work_tree=
cleanup() {
  if [[ -z $keep ]]; then rm -rf "$out_root"; else rmdir "$out_root" 2>/dev/null || true; fi
  if [[ -n $work_tree ]]; then
    git -C "$here" worktree remove --force "$work_tree" 2>/dev/null || true
    rm -rf "$(dirname "$work_tree")"
  fi
}
trap cleanup EXIT
start=$(date +%s.%N)
mkdir -p "$dir" "$dir/identity" "$out_root"
dir=$(cd "$dir" && pwd -P)

# The candidate: this checkout's jar, built the way lib.sh builds it (./run.sh, when stale).
if [[ -n ${CANDIDATE_JAR:-} ]]; then
  jar=$(realpath "$CANDIDATE_JAR")
  cand_desc="$jar (given)"
else
  if [[ -n $(git status --porcelain -- src pom.xml) ]]; then
    echo "(src/ or pom.xml has uncommitted changes: the candidate is the working tree, not HEAD)" >&2
  fi
  jar=
  cand_desc="HEAD = $(git rev-parse --short=12 HEAD) ($(git log -1 --format=%s | cut -c1-72))"
fi
source bench/lib.sh # sets jar (building it unless given), gen, n
cand_jar=$jar
[[ -z ${CANDIDATE_JAR:-} ]] && cand_desc="$cand_desc: $cand_jar"

# The baseline: built once per commit from a temporary git worktree, kept under $dir/identity.
if [[ -n ${BASELINE_JAR:-} ]]; then
  base_jar=$(realpath "$BASELINE_JAR")
  base_desc="$base_jar (given)"
else
  sha=$(git rev-parse --verify "$base_ref^{commit}")
  base_jar="$dir/identity/sluice-${sha:0:12}-cli.jar"
  if [[ ! -f $base_jar ]]; then
    work_tree=$(mktemp -d /tmp/sluice-identity-base.XXXXXX)/src
    echo "building the baseline $base_ref (${sha:0:12}) in $work_tree ..." >&2
    git worktree add --quiet --detach "$work_tree" "$sha"
    (cd "$work_tree" && ./mvnw -B -ntp -q package -DskipTests) >&2
    built=$(ls -t "$work_tree"/target/sluice-*-cli.jar | head -n 1)
    cp "$built" "$base_jar.tmp" && mv "$base_jar.tmp" "$base_jar"
    git worktree remove --force "$work_tree"
    rm -rf "$(dirname "$work_tree")"
    work_tree=
  fi
  base_desc="$base_ref = ${sha:0:12} ($(git log -1 --format=%s "$sha" | cut -c1-72)): $base_jar"
fi

# T1 and T2 exactly as bench/run.sh defines them.
t1=(--filter 'status == SHIPPED' --filter 'amount > 100'
    --select order_id,customer_name,email,country,amount --upper country --lower email)
t2=("${t1[@]}" --hash email)

rejects_workload() { # R: generated rows with a field too many on every 50th line, one unclosed quote
  local d="$dir/identity-rejects" # 20 x 2,000 rows whatever SCALE
  if [[ ! -f "$d/.done" ]]; then
    local src
    src=$(gen identity-rejects-src 20 2000)
    rm -rf "$d"; mkdir -p "$d"
    for f in "$src"/*.csv; do
      awk 'NR > 1 && NR % 50 == 0 { $0 = $0 ",extra" } { print }' "$f" >"$d/$(basename "$f")"
    done
    printf '"an unclosed quote,1\n' >>"$(ls "$d"/*.csv | sed -n 7p)"
    touch "$d/.done"
  fi
  echo "$d"
}

# list_tree DIR: one line per entry below DIR but .sluice: "<sha256>  ./path" for a file, "dir ./path"
# for a directory, "<type> ./path" for anything else, sorted by path.
list_tree() {
  (
    cd "$1"
    find . -mindepth 1 -path ./.sluice -prune -o -type d -printf 'dir %p\n' -o ! -type f -printf '%y %p\n'
    find . -path ./.sluice -prune -o -type f -print0 | xargs -0 -r sha256sum
  ) | LC_ALL=C sort -b -k2
}

data_for() { # workload -> its data directory (generated on first use, as bench/run.sh names it)
  case $1 in
    W1) gen "w1-$scale" "$(n 200)" "$(n 37000)" ;;
    W2) gen "w2-$scale" "$(n 20000)" 100 ;;
    W3) gen "w3-$scale" 1 "$(n 7400000)" ;;
    R) rejects_workload ;;
  esac
}

# run_one JAR DATA OUT FLAGS...: runs the job, prints "rc seconds"
run_one() {
  local j=$1 data=$2 out=$3; shift 3
  rm -rf "$out"; mkdir -p "$out"
  local s e rc=0
  s=$(date +%s.%N)
  java -jar "$j" run --input "$data" --output "$out" "$@" --quiet >"$dir/identity/last.out" 2>&1 || rc=$?
  e=$(date +%s.%N)
  printf '%s %.1f\n' "$rc" "$(echo "$e - $s" | bc)"
}

echo "baseline : $base_desc"
echo "candidate: $cand_desc"
ready=$(date +%s.%N)
declare -A data_of
for c in "${cases[@]}"; do
  w=${c%%/*}
  [[ -n ${data_of[$w]:-} ]] || data_of[$w]=$(data_for "$w")
done
generated=$(date +%s.%N)
failed=0
total_files=0 total_bytes=0
rows=()
for c in "${cases[@]}"; do
  IFS=/ read -r w t variant <<<"$c"
  data=${data_of[$w]}
  flags=()
  [[ $t == T1 ]] && flags=("${t1[@]}") || flags=("${t2[@]}")
  case ${variant:-} in
    threads1) flags+=(--threads 1) ;;
    threads4) flags+=(--threads 4) ;;
    fastcsv) flags+=(--csv-parser fastcsv) ;;
    commons) flags+=(--csv-parser commons) ;;
  esac
  expect=0
  [[ $w == R ]] && { flags+=(--on-error skip); expect=3; }
  tag=${c//\//-}
  base_lst="$dir/identity/$tag.baseline.lst" cand_lst="$dir/identity/$tag.candidate.lst"
  out_b="$out_root/$tag-baseline" out_c="$out_root/$tag-candidate"

  read -r rc_b s_b < <(run_one "$base_jar" "$data" "$out_b" "${flags[@]}")
  [[ $rc_b == "$expect" ]] || { echo "$c: baseline exit $rc_b:" >&2; tail -5 "$dir/identity/last.out" >&2; }
  list_tree "$out_b" >"$base_lst"
  # files: outputs and rejects (the empty .sluice.lock is compared, not counted)
  read -r files bytes < <(find "$out_b" -path "$out_b/.sluice" -prune -o -type f ! -name .sluice.lock -printf '%s\n' |
    awk '{ n++; b += $1 } END { print n + 0, b + 0 }')
  [[ -n $keep ]] || rm -rf "$out_b"

  read -r rc_c s_c < <(run_one "$cand_jar" "$data" "$out_c" "${flags[@]}")
  [[ $rc_c == "$expect" ]] || { echo "$c: candidate exit $rc_c:" >&2; tail -5 "$dir/identity/last.out" >&2; }
  list_tree "$out_c" >"$cand_lst"

  verdict=identical
  if ! diff -q "$base_lst" "$cand_lst" >/dev/null; then
    verdict=DIFFERENT
    echo "$c: output trees differ (< baseline, > candidate; listings in $base_lst, $cand_lst):"
    diff "$base_lst" "$cand_lst" | grep '^[<>]' | head -40 || true
  elif [[ $rc_b != "$rc_c" ]]; then
    verdict="DIFFERENT (exit $rc_b vs $rc_c)"
  elif [[ $rc_b != "$expect" ]]; then
    verdict="FAILED (exit $rc_b, expected $expect)"
  elif ((files == 0)); then
    verdict="FAILED (no output)"
  fi
  [[ $verdict == identical ]] || failed=1
  [[ -n $keep && $verdict != identical ]] || rm -rf "$out_c" "$out_b"
  rejects=$(grep -c '_rejects/' "$base_lst" || true)
  total_files=$((total_files + files)) total_bytes=$((total_bytes + bytes))
  rows+=("$(printf '| %s | %s | %s | %s | %s | %s | %s | %s |' "$c" "$files" "$rejects" "$bytes" \
    "$rc_b/$rc_c" "$s_b" "$s_c" "$verdict")")
  echo "${rows[-1]}" >&2
done

echo
echo "## Output identity: baseline $base_ref vs candidate (SCALE=$scale, $(date -u +%Y-%m-%dT%H:%MZ))"
printf '| case | files | of which rejects | bytes | exit b/c | baseline s | candidate s | result |\n|---|---|---|---|---|---|---|---|\n'
printf '%s\n' "${rows[@]}"
printf '%d cases, %d files, %d bytes compared per side (.sluice excluded); %.0f s in all (jars %.0f s, data %.0f s)\n' \
  "${#cases[@]}" "$total_files" "$total_bytes" "$(echo "$(date +%s.%N) - $start" | bc)" \
  "$(echo "$ready - $start" | bc)" "$(echo "$generated - $ready" | bc)"
if ((failed)); then
  echo "RESULT: outputs DIFFER or a case failed"
  exit 1
fi
echo "RESULT: all outputs byte-identical"
