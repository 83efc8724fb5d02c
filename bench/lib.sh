# Shared by bench/run.sh and bench/sweep.sh (sourced, not run): the jar, the generated workloads,
# timing a case with its largest live heap after a GC, and medians.
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

declare -A times heap
# run_case LABEL OUTDIR COMMAND...: empties OUTDIR, times COMMAND; for a java command, also reads the
# largest heap after a GC from its GC log (other programs get "-").
run_case() {
  local label=$1 out=$2; shift 2
  rm -rf "$out"; mkdir -p "$out"
  local gc="$dir/gc-$$.log"; rm -f "$gc"
  local cmd=("$@")
  [[ $1 == java ]] && cmd=(java "-Xlog:gc:file=$gc" "${@:2}")
  local s e
  s=$(date +%s.%N)
  "${cmd[@]}" >"$dir/last.out" 2>&1 || { echo "case $label failed:" >&2; tail -5 "$dir/last.out" >&2; return 1; }
  e=$(date +%s.%N)
  times[$label]+="$(echo "$e - $s" | bc) "
  local h=-
  if [[ $1 == java ]]; then
    h=$( (grep -oE '[0-9]+M->[0-9]+M' "$gc" 2>/dev/null || true) | sed -E 's/.*->([0-9]+)M/\1/' | sort -n | tail -1)
    h=${h:-0}
  fi
  heap[$label]+="$h "
}

median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR%2 ? a[(NR+1)/2] : (a[NR/2]+a[NR/2+1])/2)}'; }
minv() { tr ' ' '\n' | grep -v '^$' | sort -g | head -1; }
maxv() { tr ' ' '\n' | grep -v '^$' | sort -g | tail -1; }
