#!/usr/bin/env bash
# Every benchmark in one pass, with shorter rounds than the per-benchmark scripts, on this machine
# in under 15 minutes. Writes the table between the run-all markers at the top of
# docs/BENCHMARKS.md (the rest of the file, with the detailed runs and their analysis, stays).
# Usage: benchmarks/run-all.sh [JAVA_HOME]
# Needs PostgreSQL on 127.0.0.1:5432 for the wa-jdbc rows (.ci/run starts it), Node for pg-boss and
# the mock WhatsApp server; rows whose tools are missing say so instead of a figure.
set -uo pipefail
cd "$(dirname "$0")/.."
java_home="${1:-}"
java_bin="${java_home:+$java_home/bin/}java"
start=$(date +%s)
out=benchmarks/target/run-all
mkdir -p "$out"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
export WA_BENCH_CP="$cp"
jvm=$("$java_bin" -version 2>&1 | head -n 1)
rows=()

# run NAME ANCHOR COMMAND...: runs the command, keeps its RESULT lines as the row's figure
run() {
  local name="$1" anchor="$2"
  shift 2
  local t0=$(date +%s)
  local file="$out/$(printf '%s' "$name" | tr -c 'A-Za-z0-9._-' '_').txt"
  echo "== $name" >&2
  "$@" > "$file" 2>&1
  local rc=$?
  local figure
  figure=$(grep -E "^RESULT" "$file" | sed 's/^RESULT *//' | sed 's/  */ /g' | sed 's/|/\\|/g' | paste -sd ';' - | sed 's/;/<br>/g')
  if [ -z "$figure" ]; then
    figure="no result (exit $rc; see $file)"
  fi
  rows+=("| $name | $figure | $anchor | $(( $(date +%s) - t0 )) s |")
}

j() { "$java_bin" "$@"; }

run "queue pipeline, in memory (closed loop, 300k x 5)" "BullMQ publishes about 50,000 jobs/s (its own benchmark)" \
  j -Xmx2g -cp "$cp" dev.wagateway.benchmarks.QueuePipelineBenchmark 300000 50 2 5
run "queue latency at 100,000 msg/s offered" "the closed-loop rate above" \
  j -Xmx2g -cp "$cp" dev.wagateway.benchmarks.QueuePipelineBenchmark 300000 50 1 2 latency 100000
run "metrics overhead (ABBA pairs x 10)" "the same pipeline without metrics, same run; target 3 %" \
  j -Xmx2g -cp "$cp" dev.wagateway.benchmarks.QueuePipelineBenchmark 300000 50 2 10 metrics
run "webhook delivery (20k x 3 rounds) and signing" "the raw JDK HttpClient in the same run (the ceiling)" \
  j -Xmx2g -Dsun.net.httpserver.maxIdleConnections=2000 -cp "$cp" dev.wagateway.benchmarks.WebhookDeliveryBenchmark 20000 64 3
run "sessions at scale (10,000 simulated, 60 s idle)" "target 50 KB heap per session" \
  j -Xmx4g -cp "$cp" dev.wagateway.benchmarks.SessionScaleBenchmark 10000 60
if pg_isready -h 127.0.0.1 -p 5432 -q 2>/dev/null; then
  for d in 1 4; do
    run "wa-jdbc queue, PostgreSQL (100k, 64 producers, $d dispatcher(s))" "pg-boss, below; target 10,000 msg/s" \
      j -Xmx2g -cp "$cp" dev.wagateway.benchmarks.JdbcQueueBenchmark postgresql 100000 $d 64
  done
  if command -v node >/dev/null; then
    run "pg-boss on the same PostgreSQL (100k, 64 producers, 4 workers)" "the anchor for the rows above" \
      bash -c "cd benchmarks/pgboss && npm ci --no-audit --no-fund --loglevel=error >/dev/null 2>&1 && node bench.mjs 100000 4 64"
  fi
else
  rows+=("| wa-jdbc queue, PostgreSQL | not run: no PostgreSQL on 127.0.0.1:5432 | pg-boss | 0 s |")
fi
run "wa-jdbc queue, SQLite (100k, 64 producers, 4 dispatchers)" "the PostgreSQL rows" \
  j -Xmx2g -cp "$cp" dev.wagateway.benchmarks.JdbcQueueBenchmark sqlite 100000 4 64
run "wa-web protocol core (2 s x 5 rounds)" "none published for Java; the stage-2 baseline" \
  j -Xmx1g -cp "$cp" dev.wagateway.benchmarks.WebProtocolBenchmark 2 5
run "web sessions, memory (100 against the mock server)" "target 5 MB heap per session" \
  bash benchmarks/run-web-memory.sh 100 ${java_home:+"$java_home"}
if command -v wrk >/dev/null 2>&1 || { [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; }; then
  run "reference server send endpoint (wrk, 50 connections)" "the queue pipeline's rate (no HTTP)" \
    bash benchmarks/run-server.sh ${java_home:+"$java_home"}
else
  rows+=("| reference server send endpoint | not run: wrk is not installed and cannot be (benchmarks/run-server.sh installs it with apt-get as root) | — | 0 s |")
fi

total=$(( $(date +%s) - start ))
table=$(mktemp)
{
  echo "<!-- run-all:begin (written by benchmarks/run-all.sh; do not edit by hand) -->"
  echo "## Latest run of every benchmark"
  echo
  echo "\`benchmarks/run-all.sh\` on $(date -u +%Y-%m-%d), $(nproc) cores, $jvm; $total s in all."
  echo "Shorter rounds than the detailed runs below, so figures are noisier; those sections explain them."
  echo
  echo "| benchmark | ours | anchor | took |"
  echo "|---|---|---|---|"
  printf '%s\n' "${rows[@]}"
  echo "<!-- run-all:end -->"
} > "$table"
python3 - "$table" <<'PY'
import re, sys
table = open(sys.argv[1]).read().rstrip("\n")
path = "docs/BENCHMARKS.md"
doc = open(path).read()
pattern = re.compile(r"<!-- run-all:begin.*?<!-- run-all:end -->", re.S)
if pattern.search(doc):
    doc = pattern.sub(lambda m: table, doc)
else:
    first = doc.index("\n## ")
    doc = doc[:first] + "\n\n" + table + "\n" + doc[first:]
open(path, "w").write(doc)
PY
cat "$table"
rm -f "$table"
echo "wrote docs/BENCHMARKS.md in $total s" >&2
