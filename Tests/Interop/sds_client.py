"""An SDS-protocol client written with Python's `websockets`, run against a live Tandem server.

Usage: TOKENS='{"write":..,"read":..,"other":..,"forged":..,"expired":..,"unsigned":..}' \
       python3 sds_client.py ws://127.0.0.1:PORT
The tokens are for store "py-store" (except "other", for another store).
Exits 0 when every check passes; prints each failure otherwise.
"""
import asyncio
import json
import os
import sys

import websockets

failures = []


def check(condition, what):
    if not condition:
        failures.append(what)
        print("FAIL:", what)


async def close_of(url):
    """Connects and returns the (code, reason) the server closes with."""
    async with websockets.connect(url) as socket:
        try:
            await asyncio.wait_for(socket.recv(), timeout=5)
        except websockets.ConnectionClosed as closed:
            return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, None)
    return ("open", None)


async def silent(socket, window=0.3):
    try:
        await asyncio.wait_for(socket.recv(), timeout=window)
        return False
    except asyncio.TimeoutError:
        return True


async def main(base):
    tokens = json.loads(os.environ["TOKENS"])
    store = f"{base}/ws/py-store"
    for name in ["forged", "expired", "unsigned"]:
        code = await close_of(f"{store}?token={tokens[name]}")
        check(code == (4001, "Unauthorized"), f"{name} token closes 4001 Unauthorized: {code}")
    code = await close_of(store)
    check(code == (4001, "Unauthorized"), f"missing token closes 4001: {code}")
    code = await close_of(f"{store}?token={tokens['other']}")
    check(code == (4003, "Forbidden"), f"another store's token closes 4003 Forbidden: {code}")

    a = await websockets.connect(f"{store}?token={tokens['write']}")
    b = await websockets.connect(f"{store}?token={tokens['write']}")
    reader = await websockets.connect(f"{store}?token={tokens['read']}")
    patch = b"\x01python-patch"
    await a.send(patch)
    check(await asyncio.wait_for(b.recv(), 5) == patch, "b receives a's patch")
    check(await asyncio.wait_for(reader.recv(), 5) == patch, "the reader receives a's patch")
    check(await silent(a), "the sender does not get its own patch back")

    await reader.send(b"\x01from-a-reader")
    presence = b"\x04" + json.dumps({"PeerId": "py-reader"}).encode()
    await reader.send(presence)
    check(await asyncio.wait_for(a.recv(), 5) == presence, "a reader's presence reaches a (its patch does not)")
    check(await asyncio.wait_for(b.recv(), 5) == presence, "a reader's presence reaches b")

    late = await websockets.connect(f"{store}?token={tokens['read']}")
    check(await asyncio.wait_for(late.recv(), 5) == patch, "a late joiner gets the stored patch")
    check(await silent(late), "and nothing the reader tried to write")
    for socket in [a, b, reader, late]:
        await socket.close()


asyncio.run(main(sys.argv[1]))
sys.exit(1 if failures else 0)
