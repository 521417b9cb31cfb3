#!/usr/bin/env bash
# Heap per connected web session: starts the mock WhatsApp server (installed by
# .ci/install-mock-server from ../shared/protocol/mock-server), pairs N sessions through it and
# prints the RESULT line docs/BENCHMARKS.md quotes.
# Usage: benchmarks/run-web-memory.sh [sessions] [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
n="${1:-100}"
java_bin="${2:+$2/bin/}java"
bash .ci/install-mock-server
. benchmarks/lib.sh
cp=$(benchmark_classpath)
log=$(mktemp)
(cd .ci/mock-server && LOG_LEVEL=warn MAX_LIFETIME_S=600 exec node server.mjs --port 0) > "$log" 2>&1 &
mock=$!
trap 'kill $mock 2>/dev/null || true; rm -f "$log"' EXIT
for _ in $(seq 1 50); do grep -q MOCK_SERVER_READY "$log" && break; sleep 0.2; done
ready=$(grep MOCK_SERVER_READY "$log" | head -n 1 | sed 's/^MOCK_SERVER_READY //')
url=$(echo "$ready" | python3 -c 'import sys,json; print(json.load(sys.stdin)["url"])')
ctl=$(echo "$ready" | python3 -c 'import sys,json; print(json.load(sys.stdin)["controlUrl"])')
root=$(echo "$ready" | python3 -c 'import sys,json; print(json.load(sys.stdin)["testRootPublicHex"])')
"$java_bin" -version 2>&1 | head -n 1
"$java_bin" -Xmx1g -cp "$cp" dev.wagateway.benchmarks.WebSessionsMemoryBenchmark "$url" "$ctl" "$root" "$n" \
  | grep -E "RESULT|machine"
