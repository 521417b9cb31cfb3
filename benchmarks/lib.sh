# Shared by the run-*.sh scripts: builds the modules and prints the benchmark class path.
# Usage: cp=$(benchmark_classpath)
benchmark_classpath() {
  if [ -n "${WA_BENCH_CP:-}" ]; then
    echo "$WA_BENCH_CP" # built once already (benchmarks/run-all.sh)
    return
  fi
  mvn -B -q -pl benchmarks -am -DskipTests install >&2
  mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
  echo "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"
}
