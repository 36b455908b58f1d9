#!/usr/bin/env bash
# Ingest benchmark: 50 connections posting 10-alert payloads for a fixed time, against the relay's
# webhook (durable accept into the embedded H2) and, in the same run, against the real Alertmanager's
# POST /api/v2/alerts (Debian's prometheus-alertmanager), for the ratio.
# Usage: bench/ingest.sh [seconds=20] [connections=50]
set -euo pipefail
cd "$(dirname "$0")/.."
seconds=${1:-20}
connections=${2:-50}
command -v wrk >/dev/null || { echo "needs wrk (apt-get install wrk)" >&2; exit 2; }
command -v prometheus-alertmanager >/dev/null || { echo "needs prometheus-alertmanager" >&2; exit 2; }

./mvnw -q -B -DskipTests package
work=$(mktemp -d)
trap 'kill $(jobs -p) 2>/dev/null || true; rm -rf "$work"' EXIT

cat > "$work/relay.yaml" <<'YAML'
receivers:
  - name: log
    type: log
route:
  receiver: log
YAML
java -Xmx256m -XX:+UseSerialGC -jar target/alert-relay-*.jar --server.port=18080 \
  --relay.data-dir="$work/data" --relay.config-file="$work/relay.yaml" \
  --logging.level.root=WARN --logging.level.io.alertrelay=WARN > "$work/relay.log" 2>&1 &

cat > "$work/am.yml" <<'YAML'
route:
  receiver: blackhole
receivers:
  - name: blackhole
YAML
prometheus-alertmanager --config.file="$work/am.yml" --storage.path="$work/am" \
  --web.listen-address=127.0.0.1:19093 --cluster.listen-address= > "$work/am.log" 2>&1 &

for url in http://127.0.0.1:18080/actuator/health http://127.0.0.1:19093/-/ready; do
  for _ in $(seq 1 120); do curl -sf "$url" >/dev/null && break; sleep 0.5; done
done

run() { # name url script
  echo "== $1: $connections connections, ${seconds}s, 10 alerts per request"
  wrk -t2 -c"$connections" -d"${seconds}s" --latency -s "bench/$3" "$2" > "$work/$1.txt"
  local rps p50 p99 errors
  rps=$(awk '/Requests\/sec/ {print $2}' "$work/$1.txt")
  p50=$(awk '$1=="50%" {print $2}' "$work/$1.txt")
  p99=$(awk '$1=="99%" {print $2}' "$work/$1.txt")
  errors=$(awk '/Non-2xx|Socket errors/ {print}' "$work/$1.txt" | tr '\n' ' ')
  printf 'requests/s %s  alerts/s %.0f  p50 %s  p99 %s  errors: %s\n' "$rps" "$(echo "$rps * 10" | bc)" "$p50" "$p99" "${errors:-none}"
  echo "$rps" > "$work/$1.rps"
}
run relay http://127.0.0.1:18080/webhook/alertmanager webhook.lua
run alertmanager http://127.0.0.1:19093/api/v2/alerts alerts.lua
printf 'ratio relay/alertmanager: %.2f\n' "$(echo "$(cat "$work/relay.rps") / $(cat "$work/alertmanager.rps")" | bc -l)"
echo "relay resident memory after the run: $(ps -o rss= -p "$(pgrep -f 'alert-relay-.*jar' | head -1)" | awk '{printf "%.0f MB", $1/1024}')"
