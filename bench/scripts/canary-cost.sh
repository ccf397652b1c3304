#!/bin/bash
# The canary's cost (bench/README.md, "Canary"): the CPU of an idle API (and of one idle worker) over DUR seconds,
# with canaries off (A) and one every INTERVAL (B), alternating A B B A, each API fresh on an empty embedded store and
# measured from 20 s after it started. Prints utime+stime from /proc/<pid>/stat (in seconds) and the canary metrics;
# keeps each B run's canaries (GET ?canary=true) for their round trips. Needs bin/vitals build, and a vhost of its own:
#   rabbitmqctl add_vhost vitals-bench && rabbitmqctl set_permissions -p vitals-bench guest '.*' '.*' '.*'
# usage: flock /tmp/vitals-bench.lock bench/scripts/canary-cost.sh [DUR=90] [INTERVAL=1s]
set -u
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
DUR=${1:-90}
INTERVAL=${2:-1s}
export RABBITMQ_URI=${RABBITMQ_URI:-amqp://guest:guest@127.0.0.1:5672/vitals-bench}
APIPORT=${APIPORT:-18923}
DATA=$(mktemp -d /tmp/vitals-canary-cost.XXXX)
ticks() { awk '{print $14+$15}' /proc/$1/stat; }
metric() { curl -s localhost:$APIPORT/metrics | awk -v n="$1" '$1==n {print $2}'; }
HEALTH_PORT=${HEALTH_PORT:-18924} VITALS_WORKER_ID=bench-w1 "$ROOT/bin/vitals" worker > "$DATA/worker.log" 2>&1 &
WPID=$!
sleep 5
run() { # $1 label, $2 interval
  VITALS_API_PORT=$APIPORT VITALS_DB_URL="jdbc:h2:file:$DATA/vitals-$1;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    JAVA_OPTS="-Dvitals.api.canary.interval=$2" "$ROOT/bin/vitals" api > "$DATA/api-$1.log" 2>&1 &
  local apid=$!
  for _ in $(seq 1 120); do curl -sf localhost:$APIPORT/health/startup >/dev/null && break; sleep 0.5; done
  sleep 20
  local c0; c0=$(metric vitals_api_canary_round_trip_seconds_count)
  local a0 w0 a1 w1
  a0=$(ticks $apid); w0=$(ticks $WPID)
  sleep "$DUR"
  a1=$(ticks $apid); w1=$(ticks $WPID)
  local c1; c1=$(metric vitals_api_canary_round_trip_seconds_count)
  local sum; sum=$(metric vitals_api_canary_round_trip_seconds_sum)
  local fails; fails=$(metric vitals_api_canary_failures_total)
  if [ "$2" != "0" ]; then
    curl -s "localhost:$APIPORT/api/v1/health-checks?canary=true&limit=1000" > "$DATA/canaries-$1.json"
  fi
  echo "$1 interval=$2 dur=${DUR}s api_cpu_s=$(echo "scale=2; ($a1-$a0)/100" | bc) worker_cpu_s=$(echo "scale=2; ($w1-$w0)/100" | bc) canaries_in_window=$(echo "${c1:-0}-${c0:-0}" | bc) rt_count=${c1:-0} rt_sum=${sum:-0} failures=${fails:-0} load=$(cut -d' ' -f1-3 /proc/loadavg)"
  kill $apid; wait $apid 2>/dev/null
}
run A1 0
run B1 "$INTERVAL"
run B2 "$INTERVAL"
run A2 0
kill $WPID; wait $WPID 2>/dev/null
echo "data: $DATA"
