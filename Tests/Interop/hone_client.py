"""A Hone-protocol client written with Python's `websockets`, run against a live Tandem server.

Usage: python3 hone_client.py ws://127.0.0.1:PORT/path
Exits 0 when every check passes; prints each failure otherwise.
"""
import asyncio
import json
import sys

import websockets

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


async def recv_json(socket):
    return json.loads(await asyncio.wait_for(socket.recv(), timeout=5))


async def main(url):
    room = "python-room"
    a = await websockets.connect(url)
    await a.send(json.dumps({"type": "join", "room": room, "device": "py-a"}))
    joined = await recv_json(a)
    check(joined.get("type") == "joined" and joined.get("isHost") is True, f"a joined as host: {joined}")

    b = await websockets.connect(url)
    await b.send(json.dumps({"type": "join", "room": room, "device": "py-b"}))
    joined = await recv_json(b)
    check(joined.get("host") == "py-a" and joined.get("peers") == ["py-a"], f"b sees a as host: {joined}")
    notice = await recv_json(a)
    check(notice == {"type": "peer-joined", "room": room, "device": "py-b"}, f"a told of b: {notice}")

    await a.send(json.dumps({"from": "py-a", "to": "broadcast", "room": room, "payload": {"text": "héllo ✓", "n": 1.5}}))
    got = await recv_json(b)
    check(got.get("payload") == {"text": "héllo ✓", "n": 1.5} and got.get("seq") == 1, f"broadcast: {got}")

    await b.send(json.dumps({"from": "py-b", "to": "host", "room": room, "payload": [1, 2, 3]}))
    got = await recv_json(a)
    check(got.get("payload") == [1, 2, 3] and got.get("seq") == 2, f"to host: {got}")

    await b.send(json.dumps({"from": "py-a", "to": "broadcast", "room": room, "payload": "spoof"}))
    got = await recv_json(b)
    check(got.get("type") == "error" and got.get("code") == "sender_mismatch", f"spoof refused: {got}")

    c = await websockets.connect(url)
    await c.send(json.dumps({"type": "join", "room": room, "device": "py-c", "lastSeq": 0}))
    joined = await recv_json(c)
    check(joined.get("roomSeq") == 2, f"c joined at seq 2: {joined}")
    deltas = await recv_json(c)
    seqs = [entry["seq"] for entry in deltas.get("deltas", [])]
    check(deltas.get("type") == "deltas" and seqs == [1], f"c caught up with what it may see: {deltas}")
    check(json.loads(deltas["deltas"][0]["payload"])["payload"]["text"] == "héllo ✓", "stored payload intact")

    bad = await websockets.connect(url)
    await bad.send("hello")
    got = await recv_json(bad)
    check(got.get("error") == "First message must be join", f"bad first frame: {got}")
    try:
        await asyncio.wait_for(bad.recv(), timeout=5)
        check(False, "bad connection should close")
    except websockets.ConnectionClosed as closed:
        check(closed.rcvd is not None and closed.rcvd.code == 4400, f"closed with 4400: {closed.rcvd}")

    for socket in (a, b, c):
        await socket.close()
    print(f"{9 - len(failures)} checks passed, {len(failures)} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main(sys.argv[1])))
