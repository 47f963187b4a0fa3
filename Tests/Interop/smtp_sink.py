#!/usr/bin/env python3
"""A real SMTP server (aiosmtpd) for Tandem's tests.

Listens on 127.0.0.1 at a free port, prints "PORT <n>", then one JSON line per message received:
{"from": ..., "to": [...], "data": "<message after dot-unstuffing>", "tls": bool, "auth": user or null}.

Options:
  --tls CERT KEY        offer STARTTLS with this certificate
  --auth USER:PASSWORD  require AUTH (PLAIN or LOGIN, over TLS only) with these credentials
  --reject TEXT         answer RCPT TO with 550 for addresses containing TEXT
  --silent              accept connections and never answer (for timeout tests)
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import sys
import threading

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, reject):
        self.reject = reject

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.reject and self.reject in address:
            return "550 5.1.1 No such user here"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        login = session.auth_data
        user = login.login.decode() if isinstance(login, LoginPassword) else None
        print(json.dumps({
            "from": envelope.mail_from,
            "to": envelope.rcpt_tos,
            "data": envelope.content.decode("utf-8", "replace"),
            "tls": session.ssl is not None,
            "auth": user,
        }), flush=True)
        return "250 Message accepted for delivery"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tls", nargs=2, metavar=("CERT", "KEY"))
    parser.add_argument("--auth")
    parser.add_argument("--reject")
    parser.add_argument("--silent", action="store_true")
    args = parser.parse_args()

    # A parent that ignores SIGTERM passes that on; restore the default so terminate() works, and
    # exit when the parent closes our stdin (or dies), so no server outlives its test.
    signal.signal(signal.SIGTERM, signal.SIG_DFL)

    def watch_stdin():
        sys.stdin.read()
        os._exit(0)

    threading.Thread(target=watch_stdin, daemon=True).start()

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)

    if args.silent:
        async def hold(reader, writer):
            await asyncio.sleep(3600)
        server = loop.run_until_complete(asyncio.start_server(hold, "127.0.0.1", 0))
    else:
        context = None
        if args.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(args.tls[0], args.tls[1])
        authenticator = None
        if args.auth:
            expected_user, expected_password = args.auth.split(":", 1)

            def authenticator(server, session, envelope, mechanism, auth_data):
                ok = (isinstance(auth_data, LoginPassword)
                      and auth_data.login.decode() == expected_user
                      and auth_data.password.decode() == expected_password)
                return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

        handler = Sink(args.reject)

        def factory():
            return SMTP(handler, hostname="localhost", tls_context=context, require_starttls=False,
                        authenticator=authenticator, auth_required=bool(args.auth), auth_require_tls=True)

        server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", 0))

    print(f"PORT {server.sockets[0].getsockname()[1]}", flush=True)
    try:
        loop.run_forever()
    except KeyboardInterrupt:
        pass


if __name__ == "__main__":
    sys.exit(main())
