#!/usr/bin/env bash
# Runs the same fan-out scenario against Tandem and nats-server on loopback, in one run, and prints
# the ratios. Servers are pinned to CPU 0 and the load generator to CPU 1 (taskset).
#
#   scripts/bench-compare.sh                 # release build, default scenario
#   SECONDS_PER_RUN=5 ROOMS=10 scripts/bench-compare.sh
#   BENCH_BIN=.build/debug/tandem scripts/bench-compare.sh   # an existing binary (not for numbers)
set -euo pipefail
cd "$(dirname "$0")/.."

ROOMS=${ROOMS:-50}
MEMBERS=${MEMBERS:-10}
RATE=${RATE:-10}
PAYLOAD=${PAYLOAD:-64}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-2}
OUT=${OUT:-bench-results}

need=()
command -v nats-server >/dev/null || need+=(nats-server)
command -v taskset >/dev/null || need+=(util-linux)
if ((${#need[@]})); then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${need[@]}"
fi
if [[ -z "${BENCH_BIN:-}" ]]; then
    swift build -c release --product tandem >&2
    BENCH_BIN=.build/release/tandem
fi

work=$(mktemp -d)
mkdir -p "$OUT"
cleanup() { kill "${tandem_pid:-}" "${nats_pid:-}" 2>/dev/null || true; [[ -n "${KEEP:-}" ]] || rm -rf "$work"; }
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

http=$(free_port); ws=$(free_port); nats_ws=$(free_port); nats_port=$(free_port)
taskset -c 0 "$BENCH_BIN" serve --no-accounts --set port="$http" --set ws.port="$ws" --set sqlite.path="$work/tandem.db" \
    --set max.clients.per.room=$((MEMBERS + 1)) --set rate.messages.per.second=100000 --set rate.burst=100000 \
    --set log.level=warning >"$work/tandem.log" 2>&1 &
tandem_pid=$!
printf 'listen: "127.0.0.1:%s"\nwebsocket { listen: "127.0.0.1:%s", no_tls: true }\n' "$nats_port" "$nats_ws" >"$work/nats.conf"
taskset -c 0 nats-server -c "$work/nats.conf" >"$work/nats.log" 2>&1 &
nats_pid=$!
wait_port "$ws" || { echo "tandem did not start:" >&2; cat "$work/tandem.log" >&2; exit 1; }
wait_port "$nats_ws" || { echo "nats-server did not start:" >&2; cat "$work/nats.log" >&2; exit 1; }

run() { # target url pid
    taskset -c 1 "$BENCH_BIN" bench fanout --json --target "$1" --url "$2" --server-pid "$3" --rooms "$ROOMS" \
        --members "$MEMBERS" --rate "$RATE" --payload "$PAYLOAD" --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP"
}
run hone "ws://127.0.0.1:$ws/" "$tandem_pid" | tail -1 >"$OUT/fanout-tandem.json"
run nats "ws://127.0.0.1:$nats_ws/" "$nats_pid" | tail -1 >"$OUT/fanout-nats.json"

python3 - "$OUT/fanout-tandem.json" "$OUT/fanout-nats.json" <<'PY'
import json, sys
t, n = (json.load(open(p)) for p in sys.argv[1:3])
def row(name, a, b, unit=""):
    ratio = a / b if b else float("nan")
    print(f"{name:<34} {a:>12.3f} {b:>12.3f} {ratio:>8.2f}  {unit}")
print(f"{'fanout (same offered load)':<34} {'tandem':>12} {'nats':>12} {'ratio':>8}")
row("delivered msg/s", t["deliveredPerSecond"], n["deliveredPerSecond"])
row("lost", t["delivery"]["expected"] - t["delivery"]["delivered"], n["delivery"]["expected"] - n["delivery"]["delivered"])
for p in ["p50", "p99", "p999", "max"]:
    row(f"latency {p}", t["latency"][p], n["latency"][p], "ms")
row("server cpu s / million delivered", t["server"]["cpuSecondsPerMillionDelivered"], n["server"]["cpuSecondsPerMillionDelivered"])
row("server peak rss", t["server"]["peakResidentMiB"], n["server"]["peakResidentMiB"], "MiB")
PY
