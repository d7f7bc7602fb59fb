#!/usr/bin/env bash
# The suite's benchmark: RUNS whole runs of `make e2e` one after another on
# one cluster (cluster-up's, made once if absent and kept), then each
# phase's median and range (stsconform bench). Compare two changes by
# running this for each in one sitting; see docs/performance.md.
#
#   hack/bench.sh              # 3 runs, every spec
#   RUNS=5 hack/bench.sh GINKGO_LABEL_FILTER=Conformance
#
# Extra arguments go to make e2e. Each run's artifacts stay in
# _artifacts/bench/N; a failed run is reported and still measured.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
OUT=${OUT:-$PWD/_artifacts/bench}
KUBECONFIG_FILE=$PWD/_artifacts/kubeconfig

[ -s "$KUBECONFIG_FILE" ] || make cluster-up
rm -rf "$OUT"
dirs=()
for i in $(seq 1 "$RUNS"); do
	dir=$OUT/$i
	start=$SECONDS
	rc=0
	make e2e KUBECONFIG="$KUBECONFIG_FILE" ARTIFACTS="$dir" PROGRESS=never "$@" >"$OUT.$i.log" 2>&1 || rc=$?
	echo "run $i: exit $rc in $((SECONDS - start)) s (log $OUT.$i.log)"
	dirs+=("$dir")
done
go run ./cmd/stsconform bench "${dirs[@]}"
