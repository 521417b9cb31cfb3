#!/usr/bin/env bash
# Sessions at scale (issue 12): 10,000 simulated sessions, connected, idle for 60 s; prints heap per
# session, start-up time and idle CPU. Usage: benchmarks/run-scale.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -Xmx4g -cp "$cp" dev.wagateway.benchmarks.SessionScaleBenchmark 10000 60 | grep -E "machine|RESULT"
