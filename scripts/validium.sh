#!/bin/sh
# Runs the validium of manifests/validium.yaml: three data availability committee members
# (development accounts 1-3 on 127.0.0.1:7101-7103, batches under .keel/validium/dac-N) and the node
# beside them. Ctrl-C (or SIGTERM) stops the node, then the members, each cleanly.
# Usage: scripts/validium.sh [KEEL]   (default .build/release/keel; `make validium` builds it first)
set -eu

KEEL=${1:-.build/release/keel}
STATE=.keel/validium
KEYS=$STATE/keys
MEMBER_PIDS=""
NODE=""

stop_members() {
	for pid in $MEMBER_PIDS; do kill -TERM "$pid" 2>/dev/null || true; done
	for pid in $MEMBER_PIDS; do wait "$pid" 2>/dev/null || true; done
	MEMBER_PIDS=""
}
trap stop_members EXIT
# Background jobs of a script ignore SIGINT, so the signal is passed on as SIGTERM: node first.
stop_all() {
	if [ -n "$NODE" ]; then kill -TERM "$NODE" 2>/dev/null || true; wait "$NODE" 2>/dev/null || true; fi
	exit 130
}
trap stop_all INT TERM

for n in 1 2 3; do
	"$KEEL" dac-member --key-file "$KEYS/member-$n.key" --dir "$STATE/dac-$n" --port "710$n" --chain-id 903 \
		>"$STATE/dac-$n.log" 2>&1 &
	MEMBER_PIDS="$MEMBER_PIDS $!"
done

# Wait (up to 30 s) until every member answers /health, so the first batch finds the committee.
tries=0
for n in 1 2 3; do
	until curl -fs "http://127.0.0.1:710$n/health" >/dev/null 2>&1; do
		tries=$((tries + 1))
		if [ "$tries" -gt 300 ]; then
			echo "validium: member $n did not start; see $STATE/dac-$n.log" >&2
			exit 1
		fi
		sleep 0.1
	done
done
echo "validium: committee up on http://127.0.0.1:7101-7103 (logs in $STATE/dac-N.log)"

# The node runs until it stops or the script is signalled.
"$KEEL" up manifests/validium.yaml &
NODE=$!
status=0
wait "$NODE" || status=$?
NODE=""
exit "$status"
