#!/usr/bin/env bash
# The whole benchmark in one command: footprint and start-up, ingest against Debian's Alertmanager
# (wrk, 50 connections), end-to-end latency, the storm, the flood (issue 12), growth with 1k/10k/100k active alerts, and
# cluster mode on PostgreSQL (ingest on PostgreSQL, the storm with two replicas, takeover after kill -9).
# Prints the figures and writes them to target/bench/report.md.
#
#   bench/run.sh                  full run (about 12 minutes on 2 cores, the cluster part about 6)
#   bench/run.sh --update-docs    full run, and the report goes into docs/benchmarks.md
#   bench/run.sh --smoke          every part for a few seconds; fails when a figure is missing (CI)
#   bench/run.sh --only growth    one part: ingest, e2e, storm, flood, growth or cluster
#
# Needs wrk and prometheus-alertmanager (Debian: apt-get install wrk prometheus-alertmanager), and
# for the cluster part PostgreSQL's server binaries (apt-get install postgresql; POSTGRES_BIN_DIR).
set -euo pipefail
cd "$(dirname "$0")/.."
for tool in wrk prometheus-alertmanager; do
  command -v "$tool" >/dev/null || { echo "bench/run.sh needs $tool (apt-get install $tool)" >&2; exit 2; }
done
./mvnw -q -B -DskipTests package dependency:build-classpath \
  -Dmdep.outputFile=target/bench.classpath -Dmdep.includeScope=test
# the relay runs as documented: the jar extracted, with a class-data sharing archive from a training
# run (start-up in about half the time)
rm -rf target/bench/app target/bench/app.jsa target/bench/cds-data
java -Djarmode=tools -jar "$(ls target/alert-relay-*.jar | grep -v -- -plain.jar | head -1)" extract --destination target/bench/app >/dev/null
java -XX:ArchiveClassesAtExit=target/bench/app.jsa -Dspring.context.exit=onRefresh -Xlog:cds=off -Xlog:cds+dynamic=off \
  -jar target/bench/app/alert-relay-*.jar --server.port=0 --relay.data-dir="$PWD/target/bench/cds-data" \
  --spring.main.banner-mode=off --logging.level.root=WARN >/dev/null
exec java -Xmx512m -cp "target/test-classes:target/classes:$(cat target/bench.classpath)" \
  io.alertrelay.bench.BenchmarkSuite "$@"
