#!/usr/bin/env bash
# Runs the queue pipeline benchmark in forked JVMs (default G1 and ParallelGC; closed loop and
# open loop at fixed rates) and prints the RESULT lines that docs/BENCHMARKS.md quotes.
# Usage: benchmarks/run-queue.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
main=dev.wagateway.benchmarks.QueuePipelineBenchmark
"$java_bin" -version 2>&1 | head -n 1
echo "## closed loop, 500,000 messages x 5 rounds, 50 sessions, 2 producers"
for gc in "-XX:+UseG1GC" "-XX:+UseParallelGC"; do
  echo "# $gc"
  "$java_bin" -Xmx2g "$gc" -cp "$cp" "$main" 500000 50 2 5 | grep -E "RESULT|machine"
done
echo "## open loop (1 producer), 300,000 messages x 3 rounds, 50 sessions, default G1"
for rate in 50000 100000 150000; do
  "$java_bin" -Xmx2g -cp "$cp" "$main" 300000 50 1 3 latency "$rate" | grep RESULT
done
