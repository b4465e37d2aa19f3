#!/usr/bin/env bash
# Same-run A/B of two or more Steppe builds on the peers' files: runs each binary in turn,
# ROUNDS times, and prints each binary's times sorted (the median is the middle one).
# The machine this project runs on is shared and its speed drifts by ±30% over minutes,
# so only builds alternated in one run can be compared.
#
# Usage, from the repository root, after run_peers.py has written the data:
#   Benchmarks/peers/ab.sh PROBLEM ROUNDS BINARY [BINARY ...]
#   PROBLEM: ols | ols200 | glm | ppml | panel (fit seconds, median of 3 fits per run)
#            csv-ols | csv-glm | csv-ppml | csv-panel (read seconds, median of 3 reads)
# Example: cp .build/release/steppe /tmp/steppe-before   (then change, rebuild)
#          Benchmarks/peers/ab.sh glm 5 /tmp/steppe-before .build/release/steppe
set -euo pipefail
data="$(cd "$(dirname "$0")" && pwd)/data"
problem=${1:?problem}; rounds=${2:?rounds}; shift 2
[ $# -ge 1 ] || { echo "ab.sh: give at least one binary" >&2; exit 64; }
field=fitSeconds
case $problem in
  ols)    args=(--data "$data/ols_1e6x20_1.csv" --least-squares y) ;;
  ols200) args=(--data "$data/ols_1e5x200_1.csv" --least-squares y) ;;
  glm)    args=(--data "$data/glm_1.csv" -f "y ~ x1 + x2 + x3 + x4 + x5 + x6 + x7 + x8 + x9 + x10" -m poisson --vcov iid) ;;
  ppml)   args=(--data "$data/ppml_1.csv" -f "flow ~ log_dist + push1 + push2 | origin + destination" -m ppml --vcov cluster:origin) ;;
  panel)  args=(--data "$data/panel_1.csv" -f "trade ~ agreement + tariff + border | exporter_year + importer_year + pair" -m ppml --vcov cluster:pair) ;;
  csv-ols)   field=readSeconds; args=(--data "$data/ols_1e6x20_1.csv" --least-squares y --read-repetitions 3 --repetitions 1) ;;
  csv-glm)   field=readSeconds; args=(--data "$data/glm_1.csv" --least-squares y --read-repetitions 3 --repetitions 1) ;;
  csv-ppml)  field=readSeconds; args=(--data "$data/ppml_1.csv" --least-squares flow --read-repetitions 3 --repetitions 1) ;;
  csv-panel) field=readSeconds; args=(--data "$data/panel_1.csv" --least-squares trade --read-repetitions 3 --repetitions 1) ;;
  *) echo "ab.sh: unknown problem '$problem'" >&2; exit 64 ;;
esac
[ -e "${args[1]}" ] || { echo "ab.sh: ${args[1]} is missing: run Benchmarks/peers/run_peers.py first" >&2; exit 1; }
[[ $field == fitSeconds ]] && args+=(--repetitions 3)
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
for ((r = 0; r < rounds; r++)); do
  for ((b = 1; b <= $#; b++)); do
    "${!b}" bench "${args[@]}" --format json \
      | python3 -c "import json, sys; d = json.load(sys.stdin); print(d.get('run', d)['$field'])" >> "$out/$b"
  done
done
for ((b = 1; b <= $#; b++)); do
  echo "${!b}: $(sort -g "$out/$b" | tr '\n' ' ')"
done
