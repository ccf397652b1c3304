#!/usr/bin/env bash
# Measures what README's "Sizing" section is made from, on this machine, in one run: for 1, 2 and 4 workers, the
# checks per second that 64 clients get, and the CPU each part spends per check (the API, the workers, the broker),
# from utime + stime in /proc/<pid>/stat over the measured run, as bench/README.md describes.
#
#   bench/sizing.sh [SECONDS]          (default 20 s measured per worker count, after a 30 s warm-up)
#
# The broker is a RabbitMQ node of its own (as root: Debian's rabbitmq-server runs it as the user rabbitmq), so
# that its CPU is Vitals' alone; the API uses an embedded store in a directory of its own. Everything it starts is
# stopped at the end. Needs the packaged modules (bin/vitals build).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
seconds=${1:-20}
[ "$(id -u)" -eq 0 ] || { echo "sizing: run as root (it starts a RabbitMQ node of its own)" >&2; exit 2; }
[ "$seconds" -ge 5 ] && [ "$seconds" -le 300 ] || { echo "sizing: SECONDS must be 5 to 300" >&2; exit 2; }

work=$(mktemp -d /tmp/vitals-sizing-XXXXXX)
node="vitals-sizing-$$@localhost"
amqp_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
dist_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
api_port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
pids=()

cleanup() {
  [ ${#pids[@]} -eq 0 ] || kill "${pids[@]}" 2>/dev/null || true
  [ ${#pids[@]} -eq 0 ] || wait "${pids[@]}" 2>/dev/null || true
  [ -f "$work/rabbit.pid" ] && kill -9 "$(cat "$work/rabbit.pid")" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

printf 'listeners.tcp.1 = 127.0.0.1:%s\nloopback_users = none\n' "$amqp_port" >"$work/rabbitmq.conf"
printf 'ERL_EPMD_ADDRESS=127.0.0.1\n' >"$work/rabbitmq-env.conf"
echo '[].' >"$work/enabled_plugins"
chown -R rabbitmq:rabbitmq "$work"
RABBITMQ_CONF_ENV_FILE="$work/rabbitmq-env.conf" RABBITMQ_NODENAME="$node" RABBITMQ_DIST_PORT="$dist_port" \
  RABBITMQ_MNESIA_BASE="$work/mnesia" RABBITMQ_LOG_BASE="$work/log" RABBITMQ_ENABLED_PLUGINS_FILE="$work/enabled_plugins" \
  RABBITMQ_CONFIG_FILE="$work/rabbitmq.conf" RABBITMQ_PID_FILE="$work/rabbit.pid" \
  rabbitmq-server >"$work/rabbit.out" 2>&1 &
for _ in $(seq 120); do [ -s "$work/rabbit.pid" ] && rabbitmqctl -n "$node" -q await_startup --timeout 5 >/dev/null 2>&1 && break; sleep 0.5; done
rabbitmqctl -n "$node" -q await_startup --timeout 30 >/dev/null
broker_pid=$(cat "$work/rabbit.pid")
export RABBITMQ_URI="amqp://guest:guest@127.0.0.1:$amqp_port/%2f"

ticks() { # pids... -> summed utime+stime in clock ticks
  local total=0 pid fields
  for pid in "$@"; do
    fields=$(sed 's/.*) //' "/proc/$pid/stat")
    total=$((total + $(echo "$fields" | awk '{print $12 + $13}')))
  done
  echo "$total"
}

await_ready() { # port
  for _ in $(seq 120); do
    [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$1/health/ready")" = 200 ] && return 0
    sleep 0.5
  done
  echo "sizing: nothing ready on port $1" >&2; return 1
}

hz=$(getconf CLK_TCK)
idle_lines=()
printf '\n%-8s %10s %9s %9s %14s %16s %14s %s\n' workers checks/s p50_ms p99_ms api_ms/check workers_ms/check broker_ms/check load
for count in 1 2 4; do
  VITALS_API_PORT=$api_port VITALS_DB_URL="jdbc:h2:file:$work/store-$count;MODE=PostgreSQL;DATABASE_TO_LOWER=TRUE;DEFAULT_NULL_ORDERING=HIGH" \
    "$root/bin/vitals" api >"$work/api-$count.log" 2>&1 &
  api_pid=$!
  pids+=("$api_pid")
  worker_pids=()
  for n in $(seq "$count"); do
    HEALTH_PORT=0 VITALS_WORKER_ID="sizing-$count-$n" "$root/bin/vitals" worker >"$work/worker-$count-$n.log" 2>&1 &
    worker_pids+=($!)
    pids+=($!)
  done
  await_ready "$api_port"
  sleep 3
  "$root/bin/vitals" bench throughput --api "http://127.0.0.1:$api_port" --clients 64 --duration 30 >/dev/null
  before_api=$(ticks "$api_pid"); before_workers=$(ticks "${worker_pids[@]}"); before_broker=$(ticks "$broker_pid")
  "$root/bin/vitals" bench throughput --api "http://127.0.0.1:$api_port" --clients 64 --duration "$seconds" \
    --json "$work/run-$count.json" >/dev/null
  after_api=$(ticks "$api_pid"); after_workers=$(ticks "${worker_pids[@]}"); after_broker=$(ticks "$broker_pid")
  python3 - "$work/run-$count.json" "$count" "$hz" "$((after_api - before_api))" "$((after_workers - before_workers))" \
    "$((after_broker - before_broker))" "$(cut -d' ' -f1 /proc/loadavg)" <<'EOF'
import json, sys
run = json.load(open(sys.argv[1]))
count, hz, api, workers, broker, load = sys.argv[2], int(sys.argv[3]), *map(int, sys.argv[4:7]), sys.argv[7]
ok = run["ok"]
per = lambda ticks: ticks / hz * 1000 / max(ok, 1)
print(f'{count:<8} {run["per_second"]:10.0f} {run["p50_ms"]:9.2f} {run["p99_ms"]:9.2f} {per(api):14.3f} {per(workers):16.3f} {per(broker):14.3f} {load}')
EOF
  # Idle: what heartbeats (one per worker every 5 s) and the API's background work cost, with no check asked.
  sleep 5
  before_api=$(ticks "$api_pid"); before_workers=$(ticks "${worker_pids[@]}"); before_broker=$(ticks "$broker_pid")
  sleep "$seconds"
  after_api=$(ticks "$api_pid"); after_workers=$(ticks "${worker_pids[@]}"); after_broker=$(ticks "$broker_pid")
  idle_lines+=("$(awk -v c="$count" -v hz="$hz" -v s="$seconds" -v a="$((after_api - before_api))" \
    -v w="$((after_workers - before_workers))" -v b="$((after_broker - before_broker))" \
    'BEGIN { printf "%-8s %12.2f %16.2f %14.2f", c, a / hz / s * 100, w / hz / s * 100 / c, b / hz / s * 100 }')")
  kill "$api_pid" "${worker_pids[@]}"
  wait "$api_pid" "${worker_pids[@]}" 2>/dev/null || true
  pids=()
done

printf '\nidle, %% of one core:\n%-8s %12s %16s %14s\n' workers api worker_each broker
printf '%s\n' "${idle_lines[@]}"
