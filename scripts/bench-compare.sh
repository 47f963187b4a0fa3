#!/usr/bin/env bash
# Runs Tandem and nats-server side by side on loopback and writes every JSON report to $OUT:
#   fanout   the same fixed offered load against both (the issue's point: 50 rooms x 10 members,
#            64-byte payloads), Tandem storing every message before delivering it
#   ramp     the offered load raised step by step against both, until p99 passes the bound or a
#            message is lost (one JSON line per step)
#   idle     server memory per held connection, against both
#   durable  Tandem only: acknowledged messages/s with durability=commit, then with durability=fsync
#   catchup  Tandem only: a joiner replaying a room of CATCHUP_MESSAGES stored messages, and the
#            p99 of a live fan-out in LIVE_ROOMS other rooms (at RATE) alone and during the replay;
#            CATCHUP_RUNS times (3), each on a fresh server, the median in the summary
# Servers are pinned to CPU 0 and the load generator to CPU 1 (taskset). Each Tandem scenario
# group gets a fresh server and database. A summary with the ratios (Tandem / nats) ends the run.
#
#   scripts/bench-compare.sh                         # everything, release build
#   SCENARIOS="fanout ramp" RATE=4 scripts/bench-compare.sh
#   BENCH_BIN=.build/debug/tandem SECONDS_PER_RUN=2 scripts/bench-compare.sh   # an existing binary (not for numbers)
set -euo pipefail
cd "$(dirname "$0")/.."

SCENARIOS=${SCENARIOS:-"fanout ramp idle durable catchup"}
ROOMS=${ROOMS:-50}
MEMBERS=${MEMBERS:-10}
RATE=${RATE:-4}
PAYLOAD=${PAYLOAD:-64}
SECONDS_PER_RUN=${SECONDS_PER_RUN:-10}
WARMUP=${WARMUP:-2}
RAMP_RATE=${RAMP_RATE:-1}
RAMP_FACTOR=${RAMP_FACTOR:-1.5}
RAMP_SECONDS=${RAMP_SECONDS:-4}
P99_BOUND=${P99_BOUND:-50}
IDLE_CONNECTIONS=${IDLE_CONNECTIONS:-10000}
DURABLE_SENDERS=${DURABLE_SENDERS:-4}
DURABLE_WINDOW=${DURABLE_WINDOW:-64}
CATCHUP_MESSAGES=${CATCHUP_MESSAGES:-100000}
LIVE_ROOMS=${LIVE_ROOMS:-$ROOMS}
CATCHUP_RUNS=${CATCHUP_RUNS:-3}
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
# 10,000 connections need as many descriptors in the load generator and in the server.
ulimit -n "$(ulimit -Hn)" 2>/dev/null || true

work=$(mktemp -d)
mkdir -p "$OUT"
tandem_pid=""
nats_pid=""
cleanup() {
    [[ -n "$tandem_pid" ]] && kill "$tandem_pid" 2>/dev/null
    [[ -n "$nats_pid" ]] && kill "$nats_pid" 2>/dev/null
    [[ -n "${KEEP:-}" ]] || rm -rf "$work"
}
trap cleanup EXIT

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }
wait_port() { for _ in $(seq 100); do (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null && return 0; sleep 0.1; done; return 1; }

# start_tandem NAME [--set key=value ...]: a fresh server with its own database; sets tandem_pid, tandem_ws.
start_tandem() {
    local name=$1
    shift
    stop_tandem
    local http
    http=$(free_port)
    tandem_ws=$(free_port)
    taskset -c 0 "$BENCH_BIN" serve --no-accounts --set port="$http" --set ws.port="$tandem_ws" \
        --set sqlite.path="$work/$name.db" --set max.clients.per.room=$((MEMBERS + 1)) \
        --set rate.messages.per.second=100000 --set rate.burst=100000 --set max.connections.per.address=0 \
        --set rate.connections.per.second=0 --set log.level=warning "$@" \
        >"$work/tandem-$name.log" 2>&1 &
    tandem_pid=$!
    wait_port "$tandem_ws" || { echo "tandem did not start:" >&2; cat "$work/tandem-$name.log" >&2; exit 1; }
}
stop_tandem() {
    if [[ -n "$tandem_pid" ]]; then
        kill "$tandem_pid" 2>/dev/null || true
        wait "$tandem_pid" 2>/dev/null || true
        tandem_pid=""
    fi
}
start_nats() {
    local nats_port
    nats_port=$(free_port)
    nats_ws=$(free_port)
    printf 'listen: "127.0.0.1:%s"\nwebsocket { listen: "127.0.0.1:%s", no_tls: true }\n' "$nats_port" "$nats_ws" \
        >"$work/nats.conf"
    taskset -c 0 nats-server -c "$work/nats.conf" >"$work/nats.log" 2>&1 &
    nats_pid=$!
    wait_port "$nats_ws" || { echo "nats-server did not start:" >&2; cat "$work/nats.log" >&2; exit 1; }
}

bench() { # scenario target url pid [options...]
    local scenario=$1 target=$2 url=$3 pid=$4
    shift 4
    taskset -c 1 "$BENCH_BIN" bench "$scenario" --json --target "$target" --url "$url" --server-pid "$pid" "$@"
}
fanout_options=(--rooms "$ROOMS" --members "$MEMBERS" --payload "$PAYLOAD")

wants() { [[ " $SCENARIOS " == *" $1 "* ]]; }

if wants fanout || wants ramp; then
    start_tandem relay
    start_nats
    if wants fanout; then
        echo "fanout: ${ROOMS} rooms x ${MEMBERS} members, ${RATE} msg/s each, ${PAYLOAD}-byte payloads" >&2
        bench fanout hone "ws://127.0.0.1:$tandem_ws/" "$tandem_pid" "${fanout_options[@]}" --rate "$RATE" \
            --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" | tail -1 >"$OUT/fanout-tandem.json"
        bench fanout nats "ws://127.0.0.1:$nats_ws/" "$nats_pid" "${fanout_options[@]}" --rate "$RATE" \
            --seconds "$SECONDS_PER_RUN" --warmup "$WARMUP" | tail -1 >"$OUT/fanout-nats.json"
    fi
    if wants ramp; then
        echo "ramp: from ${RAMP_RATE} msg/s per member, x${RAMP_FACTOR} per step, p99 bound ${P99_BOUND} ms" >&2
        ramp_options=("${fanout_options[@]}" --rate "$RAMP_RATE" --factor "$RAMP_FACTOR" --p99-bound "$P99_BOUND"
            --seconds "$RAMP_SECONDS" --warmup 2)
        bench ramp hone "ws://127.0.0.1:$tandem_ws/" "$tandem_pid" "${ramp_options[@]}" >"$OUT/ramp-tandem.jsonl"
        bench ramp nats "ws://127.0.0.1:$nats_ws/" "$nats_pid" "${ramp_options[@]}" >"$OUT/ramp-nats.jsonl"
    fi
    kill "$nats_pid" 2>/dev/null || true
    nats_pid=""
fi
if wants idle; then
    echo "idle: ${IDLE_CONNECTIONS} connections, ${MEMBERS} per room" >&2
    start_tandem idle --set max.rooms=$((IDLE_CONNECTIONS / MEMBERS + 100))
    bench idle hone "ws://127.0.0.1:$tandem_ws/" "$tandem_pid" --connections "$IDLE_CONNECTIONS" \
        --members "$MEMBERS" | tail -1 >"$OUT/idle-tandem.json"
    stop_tandem
    start_nats
    bench idle nats "ws://127.0.0.1:$nats_ws/" "$nats_pid" --connections "$IDLE_CONNECTIONS" \
        --members "$MEMBERS" | tail -1 >"$OUT/idle-nats.json"
    kill "$nats_pid" 2>/dev/null || true
    nats_pid=""
fi
if wants durable; then
    for durability in commit fsync; do
        echo "durable: ${DURABLE_SENDERS} senders x ${DURABLE_WINDOW} in flight, durability=${durability}" >&2
        start_tandem "durable-$durability" --set durability="$durability"
        bench durable hone "ws://127.0.0.1:$tandem_ws/" "$tandem_pid" --senders "$DURABLE_SENDERS" \
            --window "$DURABLE_WINDOW" --payload "$PAYLOAD" --seconds "$SECONDS_PER_RUN" --warmup 1 |
            tail -1 >"$OUT/durable-$durability-tandem.json"
    done
fi
if wants catchup; then
    # A replay lasts about a second, so single runs scatter: CATCHUP_RUNS fresh servers, median reported.
    for run in $(seq "$CATCHUP_RUNS"); do
        echo "catchup ${run}/${CATCHUP_RUNS}: ${CATCHUP_MESSAGES} stored messages, live fan-out in ${LIVE_ROOMS} other rooms" >&2
        start_tandem "catchup-$run"
        bench catchup hone "ws://127.0.0.1:$tandem_ws/" "$tandem_pid" --messages "$CATCHUP_MESSAGES" \
            --payload "$PAYLOAD" --live-rooms "$LIVE_ROOMS" --members "$MEMBERS" --rate "$RATE" |
            tail -1 >"$OUT/catchup-$run-tandem.json"
    done
fi
stop_tandem

python3 - "$OUT" <<'PY'
import json, os, sys
out = sys.argv[1]
def load(name):
    path = os.path.join(out, name)
    if not os.path.exists(path) or os.path.getsize(path) == 0:
        return None
    lines = [json.loads(line) for line in open(path) if line.strip()]
    return lines if name.endswith(".jsonl") else lines[-1]
def row(name, a, b=None, unit=""):
    ratio = f"{a / b:8.2f}" if b else "        "
    nats = f"{b:12.3f}" if b is not None else " " * 12
    print(f"{name:<40} {a:>12.3f} {nats} {ratio}  {unit}")
print(f"{'':<40} {'tandem':>12} {'nats':>12} {'ratio':>8}")
t, n = load("fanout-tandem.json"), load("fanout-nats.json")
if t and n:
    print("fanout (same offered load)")
    row("  offered msg/s", t["offeredPerSecond"], n["offeredPerSecond"])
    row("  delivered msg/s", t["deliveredPerSecond"], n["deliveredPerSecond"])
    lost = lambda r: max(0, r["delivery"]["expected"] - r["delivery"]["delivered"])
    row("  lost", lost(t), lost(n))
    for p in ["p50", "p99", "p999", "max"]:
        row(f"  latency {p}", t["latency"][p], n["latency"][p], "ms")
    row("  server cpu s / million delivered", t["server"]["cpuSecondsPerMillionDelivered"],
        n["server"]["cpuSecondsPerMillionDelivered"])
    row("  server peak rss", t["server"]["peakResidentMiB"], n["server"]["peakResidentMiB"], "MiB")
t, n = load("ramp-tandem.jsonl"), load("ramp-nats.jsonl")
if t and n:
    print("ramp")
    row("  highest clean delivered msg/s", t[-1]["figures"]["highest_clean_delivered_per_second"],
        n[-1]["figures"]["highest_clean_delivered_per_second"])
t, n = load("idle-tandem.json"), load("idle-nats.json")
if t:
    print("idle")
    row("  server KiB per connection", t["figures"]["server_kib_per_connection"],
        n["figures"]["server_kib_per_connection"] if n else None)
for durability in ["commit", "fsync"]:
    t = load(f"durable-{durability}-tandem.json")
    if t:
        print(f"durable ({durability})")
        row("  acked msg/s", t["figures"]["acked_per_second"])
        row("  ack latency p50", t["latency"]["p50"], unit="ms")
        row("  ack latency p99", t["latency"]["p99"], unit="ms")
runs = sorted(
    (r for r in (load(name) for name in os.listdir(out) if name.startswith("catchup-") and name.endswith("-tandem.json")) if r),
    key=lambda r: r["figures"]["replayed_per_second"])
if runs:
    t = runs[len(runs) // 2]
    print(f"catchup (median of {len(runs)} runs by replay rate)")
    row("  replayed msg/s", t["figures"]["replayed_per_second"])
    row("    lowest run", runs[0]["figures"]["replayed_per_second"])
    row("    highest run", runs[-1]["figures"]["replayed_per_second"])
    if "live_p99_ratio" in t["figures"]:
        row("  live p99 alone", t["figures"]["live_p99_alone_ms"], unit="ms")
        row("  live p99 during the replay", t["figures"]["live_p99_during_replay_ms"], unit="ms")
        row("  live p99 ratio (during / alone)", t["figures"]["live_p99_ratio"])
        row("    highest ratio of all runs", max(r["figures"]["live_p99_ratio"] for r in runs))
PY
