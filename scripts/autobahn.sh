#!/usr/bin/env bash
# Runs the Autobahn WebSocket test suite (wstest -m fuzzingclient) against every WebSocket listener
# of `tandem serve` (the HTTP port, the WebSocket port, the LAN port), each through its
# conformance echo (conformance.echo=true, loopback only). See docs/conformance.md.
#
#   scripts/autobahn.sh            every case but compression (12.*, 13.*: not negotiated); ~4 min
#   scripts/autobahn.sh --quick    framing, pings, fragmentation, UTF-8, close handling (1.* to 7.*)
#   scripts/autobahn.sh --install  first installs autobahntestsuite into pyenv's Python 2.7
#
# TANDEM=path picks the binary (default: a debug build, built if missing); WSTEST=path the suite;
# AUTOBAHN_OUT=dir where the report goes (default: .build/autobahn). Exits 1 if a case failed.
set -euo pipefail
cd "$(dirname "$0")/.."

cases='"*"'
install=false
for argument in "$@"; do
    case "$argument" in
    --quick) cases='"1.*", "2.*", "3.*", "4.*", "5.*", "6.*", "7.*"' ;;
    --install) install=true ;;
    *) echo "usage: $0 [--quick] [--install]" >&2 && exit 2 ;;
    esac
done

python2="$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")/versions/2.7.18/bin"
if $install && [[ -z "${WSTEST:-}" ]] && [[ ! -x "$python2/wstest" ]]; then
    "$python2/pip" install --quiet --disable-pip-version-check autobahntestsuite
fi
wstest="${WSTEST:-}"
[[ -z "$wstest" && -x "$python2/wstest" ]] && wstest="$python2/wstest"
[[ -z "$wstest" ]] && wstest="$(command -v wstest || true)"
if [[ -z "$wstest" ]]; then
    echo "wstest not found: run $0 --install (needs pyenv's Python 2.7.18) or set WSTEST" >&2
    exit 2
fi

tandem="${TANDEM:-.build/debug/tandem}"
[[ -x "$tandem" ]] || swift build --product tandem
out="${AUTOBAHN_OUT:-.build/autobahn}"
work="$(mktemp -d)"
rm -rf "$out" && mkdir -p "$out"

# Messages up to 16 MiB (cases 9.*) must fit: max.message.bytes sets the relay ports' frame bound.
# The suite opens a connection per case from 127.0.0.1, faster than rate.connections.per.second.
"$tandem" serve --no-accounts --port 0 \
    --set conformance.echo=true --set max.message.bytes=20000000 --set ping.interval.seconds=0 \
    --set rate.connections.per.second=0 \
    --set lan.enabled=true --set lan.host=127.0.0.1 \
    --set sqlite.path="$work/relay.db" --set lan.files.path="$work/files" >"$work/server.log" 2>&1 &
server=$!
trap 'kill $server 2>/dev/null; wait $server 2>/dev/null; rm -rf "$work"' EXIT

port() { sed -n "s|^  $1 *[a-z]*://127.0.0.1:\([0-9]*\)/.*|\1|p" "$work/server.log" | head -1; }
for _ in $(seq 300); do
    [[ -n "$(port LAN)" ]] && break
    kill -0 $server 2>/dev/null || { cat "$work/server.log" >&2; exit 1; }
    sleep 0.1
done
[[ -n "$(port LAN)" ]] || { cat "$work/server.log" >&2; echo "tandem serve did not start" >&2; exit 1; }

cat >"$work/spec.json" <<SPEC
{
  "outdir": "$(cd "$out" && pwd)",
  "servers": [
    {"agent": "http", "url": "ws://127.0.0.1:$(port HTTP)/conformance/echo"},
    {"agent": "websocket", "url": "ws://127.0.0.1:$(port WebSocket)/conformance/echo"},
    {"agent": "lan", "url": "ws://127.0.0.1:$(port LAN)/conformance/echo"}
  ],
  "cases": [$cases],
  "exclude-cases": ["12.*", "13.*"],
  "exclude-agent-cases": {}
}
SPEC
echo "Autobahn: $wstest against $tandem (report: $out/index.html)"
(cd "$work" && "$wstest" -m fuzzingclient -s spec.json >"$work/wstest.log" 2>&1) || {
    tail -20 "$work/wstest.log" >&2
    exit 1
}
python3 scripts/autobahn_summary.py "$out/index.json"
