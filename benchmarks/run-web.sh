#!/usr/bin/env bash
# Runs the wa-web protocol benchmark (binary nodes, Signal, XEdDSA) on one thread and prints the
# RESULT lines that docs/BENCHMARKS.md quotes.
# Usage: benchmarks/run-web.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -version 2>&1 | head -n 1
"$java_bin" -Xmx1g -cp "$cp" dev.wagateway.benchmarks.WebProtocolBenchmark 2 5 | grep -E "RESULT|machine"
