"""A TinyHost web app's account calls, made with Python's standard library only.

Usage: tinyhost_client.py BASE_URL NAMESPACE
Signs up, signs in, reads the session, signs out, and checks the documented refusals.
Exits non-zero with a message at the first answer that differs from docs/tinyhost-api.md.
"""

import json
import re
import sys
import urllib.error
import urllib.request

ISO_MILLIS = re.compile(r"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z$")


def call(method, url, body=None, session=None, raw=None):
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    request = urllib.request.Request(url, data=data, method=method)
    if data is not None:
        request.add_header("Content-Type", "application/json")
    if session:
        request.add_header("Authorization", "Bearer " + session)
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read() or b"{}"), response.headers
    except urllib.error.HTTPError as error:
        return error.code, json.loads(error.read() or b"{}"), error.headers


def expect(condition, what):
    if not condition:
        sys.exit("FAILED: " + what)


def main():
    base, namespace = sys.argv[1], sys.argv[2]
    account = {"email": "py@example.test", "password": "from python"}

    status, body, _ = call("POST", f"{base}/{namespace}/sign-up", account)
    expect(status == 201 and body == {"success": True, "message": "Account created successfully"}, f"sign-up {status} {body}")

    status, body, _ = call("POST", f"{base}/{namespace}/sign-up", account)
    expect(status == 409 and body.get("error") == "email_taken", f"duplicate {status} {body}")

    status, body, _ = call("POST", f"{base}/{namespace}/sign-in", account)
    expect(status == 200 and set(body) == {"session_uuid", "user"}, f"sign-in {status} {body}")
    session = body["session_uuid"]
    expect(set(body["user"]) == {"email", "created_at", "login_time"}, f"sign-in user {body['user']}")
    expect(all(ISO_MILLIS.match(body["user"][k]) for k in ("created_at", "login_time")), f"times {body['user']}")

    status, body, _ = call("GET", f"{base}/api/session", session=session)
    expect(status == 200 and set(body) == {"session", "user"}, f"session {status} {body}")
    expect(body["session"]["uuid"] == session and body["session"]["data"] is None, f"session {body['session']}")
    expect(set(body["user"]) == {"email", "created_at", "durable_object_name"}, f"session user {body['user']}")

    status, body, _ = call("POST", f"{base}/{namespace}/sign-in", {"email": "py@example.test", "password": "wrong one"})
    expect(status == 401 and body.get("error") == "invalid_credentials", f"wrong password {status} {body}")

    status, body, _ = call("POST", f"{base}/{namespace}/sign-in", raw=b"{oops")
    expect(status == 400 and body.get("error") == "invalid_json", f"bad json {status} {body}")

    status, body, _ = call("POST", f"{base}/{namespace}/sign-out", session=session)
    expect(status == 200 and body == {"success": True, "message": "Signed out successfully"}, f"sign-out {status} {body}")

    status, body, headers = call("GET", f"{base}/api/session", session=session)
    expect(status == 401 and body.get("error") == "invalid_session", f"after sign-out {status} {body}")
    expect(headers.get("WWW-Authenticate", "").startswith("Bearer"), f"WWW-Authenticate {headers}")

    status, body, _ = call("GET", f"{base}/health")
    expect(status == 200 and body.get("status") == "ok" and ISO_MILLIS.match(body.get("timestamp", "")), f"health {body}")
    print("ok")


if __name__ == "__main__":
    main()
