import Foundation
import GRDB
import TandemSQLite
import Testing

/// A server with TinyHost on; its passwords use libsodium's minimum Argon2id cost (`TestServer`'s default).
private func startTinyHost(_ settings: [String: String] = [:]) async throws -> TestServer {
    try await TestServer.start(settings)
}

private func signUp(_ url: String, _ namespace: String, _ email: String, _ password: String) async throws
    -> HTTPAnswer
{
    try await http("POST", "\(url)/\(namespace)/sign-up", json: ["email": email, "password": password])
}

private func signIn(_ url: String, _ namespace: String, _ email: String, _ password: String) async throws
    -> HTTPAnswer
{
    try await http("POST", "\(url)/\(namespace)/sign-in", json: ["email": email, "password": password])
}

/// Expects a JSON error with `status` and `code` and a non-empty message.
private func expectError(
    _ answer: HTTPAnswer, _ status: Int, _ code: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    #expect(answer.status == status, "\(answer.body)", sourceLocation: sourceLocation)
    #expect(answer["error"] as? String == code, "\(answer.body)", sourceLocation: sourceLocation)
    #expect((answer["message"] as? String)?.isEmpty == false, sourceLocation: sourceLocation)
    #expect(answer.headers["content-type"]?.hasPrefix("application/json") == true, sourceLocation: sourceLocation)
}

/// Whether `text` is an ISO-8601 UTC time with milliseconds, e.g. `2025-01-01T12:00:00.000Z`.
private func isISOMillis(_ text: Any?) -> Bool {
    guard let text = text as? String else { return false }
    return text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil
}

@Suite("TinyHost accounts over HTTP", .timeLimit(.minutes(2)))
struct TinyHostAccountTests {
    @Test("sign up, sign in, read the session, sign out; the session is then refused")
    func lifecycle() async throws {
        let server = try await startTinyHost()
        let url = server.httpURL
        let created = try await signUp(url, "notes", "Ada@Example.test", "correct horse")
        #expect(created.status == 201, "\(created.body)")
        #expect(created["success"] as? Bool == true)
        #expect(created["message"] as? String == "Account created successfully")

        let signedIn = try await signIn(url, "notes", "ada@example.test", "correct horse")
        #expect(signedIn.status == 200, "\(signedIn.body)")
        let uuid = try #require(signedIn["session_uuid"] as? String)
        #expect(UUID(uuidString: uuid) != nil)
        let user = try #require(signedIn["user"] as? [String: Any])
        #expect(user["email"] as? String == "ada@example.test")
        #expect(isISOMillis(user["created_at"]) && isISOMillis(user["login_time"]))

        let session = try await http("GET", "\(url)/api/session", bearer: uuid)
        #expect(session.status == 200, "\(session.body)")
        let info = try #require(session["session"] as? [String: Any])
        #expect(info["uuid"] as? String == uuid)
        #expect(isISOMillis(info["created_at"]) && isISOMillis(info["expires_at"]))
        #expect(info["data"] is NSNull, "data is present and null: \(session.body)")
        let owner = try #require(session["user"] as? [String: Any])
        #expect(owner["email"] as? String == "ada@example.test")
        #expect(UUID(uuidString: owner["durable_object_name"] as? String ?? "") != nil)
        #expect(owner["created_at"] as? String == user["created_at"] as? String)

        let out = try await http("POST", "\(url)/notes/sign-out", bearer: uuid)
        #expect(out.status == 200, "\(out.body)")
        #expect(out["success"] as? Bool == true)
        #expect(out["message"] as? String == "Signed out successfully")
        expectError(try await http("GET", "\(url)/api/session", bearer: uuid), 401, "invalid_session")
        expectError(try await http("POST", "\(url)/notes/sign-out", bearer: uuid), 401, "invalid_session")
        try await server.stop()
    }

    @Test("duplicate email 409, bad JSON 400, missing fields 400, short password 400, wrong password 401")
    func refusals() async throws {
        let server = try await startTinyHost()
        let url = server.httpURL
        #expect(try await signUp(url, "app", "bob@example.test", "password1").status == 201)
        expectError(try await signUp(url, "app", " BOB@example.test", "password2"), 409, "email_taken")
        expectError(try await http("POST", "\(url)/app/sign-up", body: "{not json"), 400, "invalid_json")
        expectError(try await http("POST", "\(url)/app/sign-up", body: "[1, 2]"), 400, "invalid_json")
        expectError(try await http("POST", "\(url)/app/sign-in", body: ""), 400, "invalid_json")
        expectError(
            try await http("POST", "\(url)/app/sign-up", json: ["email": "x@example.test"]), 400, "missing_field")
        expectError(try await http("POST", "\(url)/app/sign-in", json: ["password": "password1"]), 400, "missing_field")
        expectError(
            try await http("POST", "\(url)/app/sign-up", json: ["email": 42, "password": "password1"]), 400,
            "invalid_field")
        expectError(try await signUp(url, "app", "carol@example.test", "short"), 400, "password_too_short")
        expectError(try await signUp(url, "app", "not-an-email", "password1"), 400, "invalid_email")
        expectError(try await signIn(url, "app", "bob@example.test", "password2"), 401, "invalid_credentials")
        expectError(try await signIn(url, "app", "nobody@example.test", "password1"), 401, "invalid_credentials")
        expectError(try await http("GET", "\(url)/api/session"), 401, "session_required")
        expectError(try await http("GET", "\(url)/api/session", bearer: "garbage"), 401, "invalid_session")
        expectError(
            try await http("GET", "\(url)/api/session", bearer: UUID().uuidString), 401, "invalid_session")
        expectError(try await http("POST", "\(url)/app/sign-out"), 401, "session_required")
        let huge = String(repeating: "x", count: 70_000)
        expectError(
            try await http("POST", "\(url)/app/sign-up", json: ["email": "big@example.test", "password": huge]), 413,
            "body_too_large")
        expectError(try await signUp(url, "auth", "d@example.test", "password1"), 404, "unknown_namespace")
        expectError(try await signUp(url, "API", "d@example.test", "password1"), 404, "unknown_namespace")
        expectError(try await signUp(url, "a.b", "d@example.test", "password1"), 404, "unknown_namespace")
        // `ws` is the SDS route's first segment, which answers instead; it never creates an account.
        #expect([404, 405].contains(try await signUp(url, "ws", "d@example.test", "password1").status))
        let wrongMethod = try await http("GET", "\(url)/app/sign-in")
        expectError(wrongMethod, 405, "method_not_allowed")
        #expect(wrongMethod.headers["allow"] == "POST")
        expectError(try await http("DELETE", "\(url)/api/session"), 405, "method_not_allowed")
        #expect(try await signIn(url, "app", "bob@example.test", "password1").status == 200, "nothing was corrupted")
        try await server.stop()
    }

    @Test("an expired session is refused with session_expired, then forgotten")
    func expiredSession() async throws {
        let server = try await startTinyHost()
        let url = server.httpURL
        #expect(try await signUp(url, "app", "e@example.test", "password1").status == 201)
        let uuid = try #require(try await signIn(url, "app", "e@example.test", "password1")["session_uuid"] as? String)
        #expect(try await http("GET", "\(url)/api/session", bearer: uuid).status == 200)
        // Age the session in the server's own file rather than waiting a lifetime.
        let pool = try SQLiteDatabase.open(path: server.databasePath, migrations: [])
        try await pool.write { db in try db.execute(sql: "UPDATE tinyhost_sessions SET expiresAt = 1") }
        expectError(try await http("GET", "\(url)/api/session", bearer: uuid), 401, "session_expired")
        expectError(try await http("GET", "\(url)/api/session", bearer: uuid), 401, "invalid_session")
        try await server.stop()
    }

    @Test("with an allow-list, other namespaces are 404; users are separate per namespace")
    func namespaces() async throws {
        let server = try await startTinyHost(["tinyhost.namespaces": "notes,todo"])
        let url = server.httpURL
        expectError(try await signUp(url, "other", "n@example.test", "password1"), 404, "unknown_namespace")
        expectError(try await signIn(url, "other", "n@example.test", "password1"), 404, "unknown_namespace")
        #expect(try await signUp(url, "notes", "n@example.test", "password-notes").status == 201)
        #expect(try await signUp(url, "todo", "n@example.test", "password-todo").status == 201)
        expectError(try await signIn(url, "todo", "n@example.test", "password-notes"), 401, "invalid_credentials")
        let notes = try #require(
            try await signIn(url, "notes", "n@example.test", "password-notes")["session_uuid"] as? String)
        let todo = try #require(
            try await signIn(url, "todo", "n@example.test", "password-todo")["session_uuid"] as? String)
        let notesStore = try await http("GET", "\(url)/api/session", bearer: notes)
        let todoStore = try await http("GET", "\(url)/api/session", bearer: todo)
        let a = (notesStore["user"] as? [String: Any])?["durable_object_name"] as? String
        let b = (todoStore["user"] as? [String: Any])?["durable_object_name"] as? String
        #expect(a != nil && b != nil && a != b)
        expectError(try await http("POST", "\(url)/todo/sign-out", bearer: notes), 401, "invalid_session")
        #expect(try await http("POST", "\(url)/notes/sign-out", bearer: notes).status == 200)
        try await server.stop()
    }

    @Test("too many sign-ins get 429 with Retry-After")
    func rateLimit() async throws {
        let server = try await startTinyHost(["tinyhost.rate.signin.per.email": "3"])
        let url = server.httpURL
        #expect(try await signUp(url, "app", "r@example.test", "password1").status == 201)
        for _ in 0..<3 {
            expectError(try await signIn(url, "app", "r@example.test", "wrong-password"), 401, "invalid_credentials")
        }
        let limited = try await signIn(url, "app", "r@example.test", "password1")
        expectError(limited, 429, "rate_limited")
        #expect(Int(limited.headers["retry-after"] ?? "") ?? 0 > 0)
        try await server.stop()
    }

    @Test("behind a trusted proxy the per-address limit counts each client the proxy names")
    func rateLimitBehindProxy() async throws {
        let server = try await startTinyHost([
            "tinyhost.rate.signin.per.address": "2", "proxy.trusted": "127.0.0.1", "proxy.header": "forwarded",
        ])
        let url = "\(server.httpURL)/app/sign-in"
        let body: [String: Any] = ["email": "p@example.test", "password": "password1"]
        func signIn(as client: String) async throws -> HTTPAnswer {
            try await http("POST", url, json: body, headers: ["Forwarded": "for=\(client)"])
        }
        for _ in 0..<2 { #expect(try await signIn(as: "203.0.113.1").status == 401) }
        expectError(try await signIn(as: "203.0.113.1"), 429, "rate_limited")
        #expect(try await signIn(as: "203.0.113.2").status == 401)
        try await server.stop()
    }

    @Test("GET /health has a status and an ISO-8601 timestamp; TinyHost can be turned off")
    func healthAndDisabled() async throws {
        let server = try await TestServer.start(["tinyhost.enabled": "false"])
        let health = try await http("GET", "\(server.httpURL)/health")
        #expect(health["status"] as? String == "ok")
        #expect(isISOMillis(health["timestamp"]), "\(health.body)")
        #expect(health["version"] is String && health["uptime"] is Int)
        #expect(try await signUp(server.httpURL, "app", "x@example.test", "password1").status == 404)
        try await server.stop()
    }

    @Test("a Python client using only the standard library gets the documented shapes")
    func pythonClient() async throws {
        let server = try await startTinyHost()
        let script = PythonInteropTests.interop.appendingPathComponent("tinyhost_client.py").path
        let (status, output) = try await PythonInteropTests.run(["python3", script, server.httpURL, "py-app"])
        #expect(status == 0, "\(output)")
        try await server.stop()
    }
}
