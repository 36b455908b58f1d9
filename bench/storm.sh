#!/usr/bin/env bash
# Storm benchmark: 10,000 alerts in 500 groups within 60 s to one DingTalk robot limited to 20/min.
# Usage: bench/storm.sh [groups=500] [alerts-per-group=20] [seconds=60]
set -euo pipefail
cd "$(dirname "$0")/.."
./mvnw -q -B -DskipTests test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.alertrelay.bench.StormBenchmark "$@"
