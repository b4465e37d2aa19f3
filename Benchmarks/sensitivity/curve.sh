#!/usr/bin/env bash
# The 64-specification curve on the peers' 1e6-row PPML problem against one fit of the
# same problem, in the same run (issue 12's target: the curve in under 10 fits).
#
#   Benchmarks/sensitivity/curve.sh [REPETITIONS]
#
# Needs the peers' data (python3 Benchmarks/peers/run_peers.py generates it) and a release
# build (swift build -c release). One BLAS thread, as the tests; the OpenBLAS kernel is printed.
set -euo pipefail
cd "$(dirname "$0")/../.."
reps=${1:-3}
data=${CURVE_DATA:-Benchmarks/peers/data/ppml_1.csv}
steppe=.build/release/steppe
[ -f "$data" ] || { echo "no $data: run python3 Benchmarks/peers/run_peers.py first" >&2; exit 1; }
[ -x "$steppe" ] || { echo "no $steppe: run swift build -c release first" >&2; exit 1; }
export OPENBLAS_NUM_THREADS=1
fit_json=$($steppe bench --data "$data" -f "flow ~ log_dist + push1 + push2 | origin + destination" -m ppml \
  --vcov cluster:origin --repetitions "$reps" --format json)
fit_seconds=$(echo "$fit_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["run"]["fitSeconds"])')
echo "OpenBLAS kernel: $(echo "$fit_json" | python3 -c 'import json,sys; print(json.load(sys.stdin)["machine"]["blasCore"])')"
echo "one PPML fit (2 fixed effects of 1,000 levels, 3 regressors, fit only): $fit_seconds s"
best=""
for r in $(seq "$reps"); do
  start=$(date +%s.%N)
  $steppe sensitivity curve "$data" -f "flow ~ log_dist | origin + destination" -m ppml --vcov cluster:origin \
    --term log_dist --vary "controls=|push1|push2|push1+push2" --vary "fe=origin+destination|origin|destination|" \
    --vary "model=ppml|ols-log|ols-log1p|ols" --top 3 -o /dev/null
  end=$(date +%s.%N)
  t=$(python3 -c "print(round($end - $start, 2))")
  echo "curve run $r: $t s (end to end: read, frames, 64 fits)"
  best=$(python3 -c "print(min(x for x in [$t, ${best:-1e9}]))")
done
python3 -c "print('best curve %.2f s = %.1f one-fit times' % ($best, $best / $fit_seconds))"
