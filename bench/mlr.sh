#!/usr/bin/env bash
# Miller peer for bench/run.sh: the T1/T2 job, one mlr process per input file (THREADS at a time),
# each writing the CSV output for its file under OUT with the same relative name.
#   bench/mlr.sh T1|T2 THREADS IN OUT
set -euo pipefail
transform=$1 threads=$2 in=${3%/} out=${4%/}
email='tolower($email)'
[[ $transform == T2 ]] && email='sha256(tolower($email))'
export MLR_PUT="\$country = toupper(\$country); \$email = $email" IN_DIR=$in OUT_DIR_=$out
find "$in" -name '*.csv' -print0 | sort -z | xargs -0 -r -n 1 -P "$threads" bash -c '
  f=$1; o="$OUT_DIR_/${f#"$IN_DIR"/}"
  mkdir -p "$(dirname "$o")"
  mlr --icsv --ocsv filter '\''$status == "SHIPPED" && $amount > 100'\'' \
    then cut -o -f order_id,customer_name,email,country,amount \
    then put "$MLR_PUT" "$f" >"$o"' _
