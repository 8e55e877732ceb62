#!/bin/sh
# Runs the optimistic rollup of manifests/optimistic.yaml and a challenger beside it (development
# account 1, its derived chain under .keel/optimistic/challenger). Ctrl-C (or SIGTERM) stops the
# node, then the challenger, each cleanly.
# Usage: scripts/optimistic.sh [KEEL]   (default .build/release/keel; `make optimistic` builds it first)
set -eu

KEEL=${1:-.build/release/keel}
STATE=.keel/optimistic
NODE=""
CHALLENGER=""

stop_all() {
	for pid in $NODE $CHALLENGER; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in $NODE $CHALLENGER; do wait "$pid" 2>/dev/null || true; done
	exit 130
}
trap stop_all INT TERM

"$KEEL" up manifests/optimistic.yaml &
NODE=$!
"$KEEL" challenge manifests/optimistic.yaml --key-file "$STATE/keys/challenger.key" --data-dir "$STATE/challenger" \
	>"$STATE/challenger.log" 2>&1 &
CHALLENGER=$!
echo "optimistic: challenger running (log in $STATE/challenger.log; \`keel disputes list manifests/optimistic.yaml\` shows games)"
status=0
wait "$NODE" || status=$?
kill -TERM "$CHALLENGER" 2>/dev/null || true
wait "$CHALLENGER" 2>/dev/null || true
exit "$status"
