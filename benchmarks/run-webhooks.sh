#!/usr/bin/env bash
# Webhook delivery benchmark in a forked JVM: raw JDK HttpClient ceiling, HttpWebhookDeliverer,
# and the gateway path, same receiver, same run; prints the lines docs/BENCHMARKS.md quotes.
# Usage: benchmarks/run-webhooks.sh [JAVA_HOME]
set -euo pipefail
cd "$(dirname "$0")/.."
java_bin="${1:+$1/bin/}java"
. benchmarks/lib.sh
cp=$(benchmark_classpath)
# The receiver is com.sun.net.httpserver: by default it closes idle connections past 200, which the
# clients then meet as "connection closed" on reuse (and the gateway retries 5 s later). A receiver
# that keeps its connections is what this measures; docs/BENCHMARKS.md shows both.
"$java_bin" -Xmx2g -Dsun.net.httpserver.maxIdleConnections=2000 -cp "$cp" dev.wagateway.benchmarks.WebhookDeliveryBenchmark 30000 64 5 | grep -vE "^\["
