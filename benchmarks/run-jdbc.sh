#!/usr/bin/env bash
# The wa-jdbc queue benchmark (enqueue -> claim -> complete) on PostgreSQL and SQLite with 1 and 4
# dispatchers, then pg-boss doing the same work on the same PostgreSQL (Node.js; the pinned
# pg-boss is installed into benchmarks/pgboss by npm ci). Prints the lines docs/BENCHMARKS.md quotes.
# Needs PostgreSQL on 127.0.0.1:5432 (database test, trust auth); .ci/run starts it.
# Usage: benchmarks/run-jdbc.sh [MESSAGES] [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
messages="${1:-100000}"
java_bin="${2:+$2/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -version 2>&1 | head -n 1
for producers in 2 64; do
  for db in postgresql sqlite; do
    for dispatchers in 1 4; do
      "$java_bin" -Xmx2g -cp "$cp" dev.wagateway.benchmarks.JdbcQueueBenchmark "$db" "$messages" "$dispatchers" "$producers" \
        | grep RESULT
    done
  done
done
if command -v node >/dev/null; then
  (cd benchmarks/pgboss && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 && \
    for producers in 2 64; do for workers in 1 4; do node bench.mjs "$messages" "$workers" "$producers" | grep RESULT; done; done)
else
  echo "node is not installed: no pg-boss baseline"
fi
