#!/usr/bin/env bash
# Runs the sluice command line, building the runnable jar first when it is missing or stale.
#   ./run.sh                 runs the demo job over the checkout's sample-data/ into its out/
#   ./run.sh run --help      any sluice command line
# Works from any directory: paths on the command line are the caller's (relative ones are relative
# to the working directory, as for any command); the checkout is found from this script's location.
# Safe to start from cron: concurrent starts never build at the same time.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"

find_jar() {
  # The shaded, runnable jar; not the plain library jar.
  ls -t "$here"/target/sluice-*-cli.jar 2>/dev/null | head -n 1 || true
}

is_stale() {
  local jar="$1"
  [[ -z "$jar" || ! -f "$jar" ]] && return 0
  [[ -n "$(find "$here/src" "$here/pom.xml" -newer "$jar" -print -quit 2>/dev/null)" ]]
}

build() {
  echo "run.sh: building the sluice jar (./mvnw -B -q -DskipTests package in $here)..." >&2
  # A subshell: the build runs in the checkout, the command keeps the caller's directory.
  (cd "$here" && ./mvnw -B -q -DskipTests package) >&2
  # The jar plugin keeps an unchanged jar with its old time stamp (reproducible builds), which
  # would look stale forever: mark it as built now.
  local built
  built="$(find_jar)"
  if [[ -n "$built" ]]; then
    touch "$built"
  fi
}

jar="$(find_jar)"
if is_stale "$jar"; then
  mkdir -p "$here/target"
  if command -v flock >/dev/null 2>&1; then
    # Hold the lock while checking again: another start may have built the jar meanwhile.
    exec 9>"$here/target/.run-sh-build.lock"
    flock 9
    jar="$(find_jar)"
    if is_stale "$jar"; then
      build
    fi
    flock -u 9
    exec 9>&-
  else
    echo "run.sh: flock not found; building without a lock" >&2
    build
  fi
  jar="$(find_jar)"
fi
if [[ -z "$jar" ]]; then
  echo "run.sh: no $here/target/sluice-*-cli.jar after the build" >&2
  exit 1
fi

# Starts go through the installed launcher, which also keeps a class-data-sharing snapshot of the
# classes a run loads (src/dist/bin/sluice; SLUICE_CDS=off turns it off): here in target/cds.
# Snapshots of older builds of the jar can never be used again.
export SLUICE_JAR="$jar" SLUICE_CDS_DIR="${SLUICE_CDS_DIR:-$here/target/cds}"
if [[ -d "$SLUICE_CDS_DIR" ]]; then
  find "$SLUICE_CDS_DIR" -name 'sluice-*.jsa*' ! -newer "$jar" -exec rm -f {} + 2>/dev/null || true
fi
launcher="$here/src/dist/bin/sluice"

if [[ $# -eq 0 ]]; then
  # The demo reads the checkout's sample data and writes the checkout's out/ (as
  # sample-data/jobs/demo.job does), wherever it is started from.
  echo "run.sh: running the demo job: $here/sample-data/ -> $here/out/ (shipped orders over 100, emails hashed)" >&2
  # --full: reprocess every file on each demo run (a cron job would skip what an earlier run did).
  demo=(run --input "$here/sample-data/**/*.{csv,csv.gz}" --output "$here/out"
    --filter 'status == SHIPPED' --filter 'amount > 100'
    --select order_id,customer_name,email,country,amount
    --upper country --lower email --hash email --full)
  line="run.sh: sluice"
  for a in "${demo[@]}"; do
    if [[ "$a" =~ [^A-Za-z0-9_.,/=-] ]]; then line+=" '$a'"; else line+=" $a"; fi
  done
  echo "$line" >&2
  status=0
  "$launcher" "${demo[@]}" || status=$?
  if [[ $status -eq 0 ]]; then
    first="$(find "$here/out" -type f -name '*.csv' ! -path '*/.sluice/*' | sort | head -n 1)"
    if [[ -n "$first" ]]; then
      echo
      echo "First lines of $first:"
      head -n 4 "$first"
    fi
    echo
    echo "The same job as a job file: $here/run.sh run --job $here/sample-data/jobs/demo.job"
  fi
  exit $status
fi
exec "$launcher" "$@"
