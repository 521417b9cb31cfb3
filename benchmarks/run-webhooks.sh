#!/usr/bin/env bash
# Webhook delivery benchmark in a forked JVM: raw JDK HttpClient ceiling, HttpWebhookDeliverer,
# and the gateway path, same receiver, same run; prints the lines docs/BENCHMARKS.md quotes.
# Usage: benchmarks/run-webhooks.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
"$java_bin" -Xmx2g -cp "$cp" dev.wagateway.benchmarks.WebhookDeliveryBenchmark 30000 64 3 | grep -vE "^\["
