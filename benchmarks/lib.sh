# Shared by the run-*.sh scripts: builds the modules and prints the benchmark class path.
# Usage: cp=$(benchmark_classpath)
benchmark_classpath() {
  mvn -B -q -pl benchmarks -am -DskipTests install >&2
  mvn -B -q -pl benchmarks dependency:build-classpath -Dmdep.outputFile=target/cp.txt >/dev/null
  echo "benchmarks/target/classes:$(cat benchmarks/target/cp.txt)"
}
