# Shared by bench/run.sh and bench/sweep.sh (sourced, not run): the jar, the generated workloads,
# timing a case with its largest live heap after a GC and its peak RSS, and medians.
# Expects: dir (data directory), scale; jar when the caller brings its own (bench/identity.sh).

if [[ -z ${jar:-} ]]; then
  ./run.sh --version >/dev/null
  jar=$(ls -t target/sluice-*-cli.jar | head -n 1)
fi
cores=$(nproc)

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

declare -A times heap rss
have_time=false; [[ -x /usr/bin/time ]] && have_time=true
# run_case LABEL OUTDIR COMMAND...: empties OUTDIR, times COMMAND; for a java command, also reads the
# largest heap after a GC from its GC log (other programs get "-"); for every command, its peak RSS
# in MB (/usr/bin/time's %M, max resident set size; for a command that runs several processes, such
# as bench/mlr.sh, the largest single process: "-" without GNU time).
run_case() {
  local label=$1 out=$2; shift 2
  rm -rf "$out"; mkdir -p "$out"
  local gc="$dir/gc-$$.log"; rm -f "$gc"
  local cmd=("$@")
  [[ $1 == java ]] && cmd=(java "-Xlog:gc:file=$gc" "${@:2}")
  # `sluice ARGS`: the CLI as users start it, through the launcher (src/dist/bin/sluice: its heap
  # ergonomics and class-data-sharing snapshot), on $jar; SLUICE_OPTS adds JVM options.
  [[ $1 == sluice ]] && cmd=(env SLUICE_JAR="$jar" SLUICE_CDS_DIR="$dir/cds"
    SLUICE_JAVA_OPTS="-Xlog:gc:file=$gc ${SLUICE_OPTS:-}" src/dist/bin/sluice "${@:2}")
  local rf="$dir/gc-$$-rss.log"; rm -f "$rf" # gc-*.log: removed with the GC logs
  $have_time && cmd=(/usr/bin/time -f %M -o "$rf" "${cmd[@]}")
  local s e
  s=$(date +%s.%N)
  "${cmd[@]}" >"$dir/last.out" 2>&1 || { echo "case $label failed:" >&2; tail -5 "$dir/last.out" >&2; return 1; }
  e=$(date +%s.%N)
  times[$label]+="$(echo "$e - $s" | bc) "
  local h=-
  if [[ $1 == java || $1 == sluice ]]; then
    h=$( (grep -oE '[0-9]+M->[0-9]+M' "$gc" 2>/dev/null || true) | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
    h=${h:-0}
  fi
  heap[$label]+="$h "
  local r=-
  [[ -s $rf ]] && r=$(tail -n 1 "$rf" | awk '{ printf "%.0f", $1 / 1024 }')
  rss[$label]+="$r "
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minv() { tr ' ' '\n' | grep -v '^$' | sort -g | head -1; }
maxv() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
