#!/usr/bin/env bash
# Loopback load test of the reference server's send endpoint: the server jar in its own JVM on the
# simulated engine (pacing off, 4 paired sessions), wrk (Debian package, installed when absent) with
# 50 connections for 20 s after a 5 s warm-up. Bounded in time, 127.0.0.1 only. Prints the RESULT
# line docs/BENCHMARKS.md quotes. Usage: benchmarks/run-server.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
if ! command -v wrk >/dev/null 2>&1; then
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq wrk >/dev/null
fi
mvn -B -q -pl examples/reference-server -am -DskipTests package >&2
export WA_BENCH_KEY="benchmark-admin-key-0001"
port=18480
WA_PORT=$port WA_WS_PORT=$((port + 1)) WA_HOST=127.0.0.1 WA_API_KEYS="admin:$WA_BENCH_KEY" WA_PACING_RATE=0 \
  WA_RECIPIENT_GAP=0s WA_RATE_LIMIT=1000000 WA_RATE_LIMIT_BURST=1000000 \
  "$java_bin" -Xmx2g -jar examples/reference-server/target/wa-reference-server.jar >/tmp/wa-server-bench.log 2>&1 &
server=$!
trap 'kill $server 2>/dev/null || true; wait $server 2>/dev/null || true' EXIT
for _ in $(seq 1 60); do
  curl -sf "http://127.0.0.1:$port/health/live" >/dev/null && break
  sleep 0.5
done
api() { curl -sf -X POST "http://127.0.0.1:$port$1" -H "Authorization: Bearer $WA_BENCH_KEY" -H 'Content-Type: application/json' -d "$2" >/dev/null; }
for i in 0 1 2 3; do api /api/sessions "{\"id\":\"s$i\"}"; done
sleep 1
for i in 0 1 2 3; do api "/api/dev/sessions/s$i/scan" "{\"phoneNumber\":\"+4917100000$((10 + i))\"}"; done
sleep 1
"$java_bin" -version 2>&1 | head -n 1
echo "wrk -t2 -c50, 20 s after a 5 s warm-up, server: $(nproc) cores shared with wrk"
wrk -t2 -c50 -d5s -s benchmarks/server-load.lua "http://127.0.0.1:$port" >/dev/null
wrk -t2 -c50 -d20s -s benchmarks/server-load.lua "http://127.0.0.1:$port" | grep RESULT
curl -sf "http://127.0.0.1:$port/metrics" | grep -E '^http_server_requests_seconds_count\{.*messages.*\}' || true
