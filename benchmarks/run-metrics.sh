#!/usr/bin/env bash
# Metrics overhead: queue pipeline rounds without and with WaGatewayMetrics bound to a Prometheus
# registry, in ABBA pairs in one JVM, plus the tracker's own cost per message; prints the RESULT
# lines docs/BENCHMARKS.md quotes. Usage: benchmarks/run-metrics.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -version 2>&1 | head -n 1
"$java_bin" -Xmx2g -cp "$cp" dev.wagateway.benchmarks.QueuePipelineBenchmark 600000 50 2 10 metrics | grep -E "pair|RESULT|metrics samples"
