#!/usr/bin/env bash
# Metrics overhead: queue pipeline rounds without and with WaGatewayMetrics bound to a Prometheus
# registry, in ABBA pairs in one JVM, plus the tracker's own cost per message; prints the RESULT
# lines docs/BENCHMARKS.md quotes. Usage: benchmarks/run-metrics.sh [JAVA_HOME] [PAIRS]
# PAIRS defaults to 60 (about 15 minutes): single pairs spread by +-20 % on 2 cores, and 60 of them
# put the medians within about 1.5 points, 10 within about 4 (docs/BENCHMARKS.md, 2026-12-04).
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
pairs="${2:-60}"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -version 2>&1 | head -n 1
"$java_bin" -Xmx2g -cp "$cp" dev.wagateway.benchmarks.QueuePipelineBenchmark 600000 50 2 "$pairs" metrics | grep -E "pair|RESULT|metrics samples"
