import Foundation
import GRDB
import TandemSQLite
import TandemTinyHostSQLite
import Testing

@testable import TandemTinyHost

@Suite("TinyHost accounts")
struct TinyHostAccountsTests {
    @Test("sign up, sign in, authenticate, sign out; the session then stops working")
    func lifecycle() async throws {
        let fixture = try TinyHostFixture()
        let accounts = fixture.accounts
        try await accounts.signUp(
            namespace: "notes", email: "  Ada@Example.TEST ", password: "long enough", clientAddress: "a")
        let signedIn = try await accounts.signIn(
            namespace: "notes", email: "ada@example.test", password: "long enough", clientAddress: "a")
        #expect(signedIn.user.email == "ada@example.test")
        #expect(signedIn.user.namespace == "notes")
        #expect(UUID(uuidString: signedIn.user.storeName) != nil)
        #expect(signedIn.session.expiresAt.timeIntervalSince(signedIn.session.createdAt) == 365 * 86_400)
        let found = try await accounts.authenticate(sessionUUID: signedIn.sessionUUID, namespace: "notes")
        #expect(found.user == signedIn.user)
        #expect(found.session == signedIn.session)
        #expect(
            try await accounts.authenticate(sessionUUID: signedIn.sessionUUID.uppercased(), namespace: nil).user.id
                == signedIn.user.id)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: signedIn.sessionUUID, namespace: "other") }
                == .invalidSession)
        try await accounts.signOut(sessionUUID: signedIn.sessionUUID)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: signedIn.sessionUUID, namespace: nil) }
                == .invalidSession)
        #expect(await refusal { try await accounts.signOut(sessionUUID: signedIn.sessionUUID) } == .invalidSession)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: "", namespace: nil) } == .sessionRequired)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: "x", namespace: nil) } == .invalidSession)
    }

    @Test("a session expires after its lifetime, is refused as expired, and is deleted")
    func expiry() async throws {
        let fixture = try TinyHostFixture { $0.sessionLifetimeMillis = 60_000 }
        let accounts = fixture.accounts
        try await accounts.signUp(namespace: "n", email: "e@x.test", password: "password1", clientAddress: "a")
        let first = try await accounts.signIn(
            namespace: "n", email: "e@x.test", password: "password1", clientAddress: "a")
        fixture.clock.advance(seconds: 30)
        let second = try await accounts.signIn(
            namespace: "n", email: "e@x.test", password: "password1", clientAddress: "a")
        fixture.clock.advance(seconds: 31)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: first.sessionUUID, namespace: nil) }
                == .sessionExpired)
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: first.sessionUUID, namespace: nil) }
                == .invalidSession, "the expired session was deleted")
        _ = try await accounts.authenticate(sessionUUID: second.sessionUUID, namespace: nil)
        fixture.clock.advance(seconds: 30)
        #expect(try await accounts.purgeExpiredSessions() == 1)
        let left = try await fixture.pool.read { db in
            try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM tinyhost_sessions")
        }
        #expect(left == 0)
    }

    @Test("emails are unique per namespace, ignoring case and spaces; namespaces are separate")
    func uniqueness() async throws {
        let accounts = try TinyHostFixture().accounts
        try await accounts.signUp(namespace: "a", email: "same@x.test", password: "password1", clientAddress: "c")
        #expect(
            await refusal {
                try await accounts.signUp(
                    namespace: "a", email: " SAME@x.test", password: "password2", clientAddress: "c")
            } == .emailTaken)
        try await accounts.signUp(namespace: "b", email: "same@x.test", password: "password2", clientAddress: "c")
        let inA = try await accounts.signIn(
            namespace: "a", email: "same@x.test", password: "password1", clientAddress: "c")
        let inB = try await accounts.signIn(
            namespace: "b", email: "same@x.test", password: "password2", clientAddress: "c")
        #expect(inA.user.id != inB.user.id)
        #expect(inA.user.storeName != inB.user.storeName)
        #expect(
            await refusal {
                _ = try await accounts.signIn(
                    namespace: "b", email: "same@x.test", password: "password1", clientAddress: "c")
            } == .invalidCredentials)
    }

    @Test("wrong password and unknown email get the same answer; input is checked")
    func refusals() async throws {
        let accounts = try TinyHostFixture { $0.password.minLength = 10 }.accounts
        try await accounts.signUp(namespace: "n", email: "u@x.test", password: "0123456789", clientAddress: "c")
        let wrong = await refusal {
            _ = try await accounts.signIn(namespace: "n", email: "u@x.test", password: "9876543210", clientAddress: "c")
        }
        let unknown = await refusal {
            _ = try await accounts.signIn(
                namespace: "n", email: "nobody@x.test", password: "0123456789", clientAddress: "c")
        }
        #expect(wrong == .invalidCredentials && unknown == .invalidCredentials)
        let cases: [(String?, String?, TinyHostError)] = [
            (nil, "0123456789", .missingField("email")),
            ("u2@x.test", nil, .missingField("password")),
            ("not-an-email", "0123456789", .invalidEmail),
            ("a b@x.test", "0123456789", .invalidEmail),
            ("u2@x.test", "short", .passwordTooShort(minimum: 10)),
            ("u2@x.test", String(repeating: "p", count: 1025), .passwordTooLong(maximumBytes: 1024)),
        ]
        for (email, password, expected) in cases {
            #expect(
                await refusal {
                    try await accounts.signUp(namespace: "n", email: email, password: password, clientAddress: "c")
                } == expected)
        }
        #expect(
            await refusal {
                try await accounts.signUp(
                    namespace: "api", email: "u@x.test", password: "0123456789", clientAddress: "c")
            } == .unknownNamespace("api"))
    }

    @Test("sign-ins are limited per address and per email within the window")
    func rateLimits() async throws {
        let fixture = try TinyHostFixture {
            $0.rateLimits.signInsPerEmail = 2
            $0.rateLimits.signInsPerAddress = 3
            $0.rateLimits.windowSeconds = 60
        }
        let accounts = fixture.accounts
        try await accounts.signUp(namespace: "n", email: "r@x.test", password: "password1", clientAddress: "c")
        for _ in 0..<2 {
            _ = try await accounts.signIn(namespace: "n", email: "r@x.test", password: "password1", clientAddress: "c")
        }
        let limited = await refusal {
            _ = try await accounts.signIn(namespace: "n", email: "r@x.test", password: "password1", clientAddress: "d")
        }
        #expect(limited == .rateLimited(retryAfterSeconds: 60))
        // The address "c" has one attempt left, spent on another email; then it is limited too.
        #expect(
            await refusal {
                _ = try await accounts.signIn(
                    namespace: "n", email: "o@x.test", password: "password1", clientAddress: "c")
            } == .invalidCredentials)
        #expect(
            await refusal {
                _ = try await accounts.signIn(
                    namespace: "n", email: "o@x.test", password: "password1", clientAddress: "c")
            } == .rateLimited(retryAfterSeconds: 60))
        fixture.clock.advance(seconds: 61)
        _ = try await accounts.signIn(namespace: "n", email: "r@x.test", password: "password1", clientAddress: "c")
    }

    @Test("a password hashed at an older strength is rehashed at sign-in")
    func rehashOnSignIn() async throws {
        let fixture = try TinyHostFixture()
        try await fixture.accounts.signUp(namespace: "n", email: "h@x.test", password: "password1", clientAddress: "c")
        let stronger = TinyHostAccounts(
            store: SQLiteTinyHostAccountStore(pool: fixture.pool),
            settings: {
                var settings = TinyHostSettings()
                settings.password.strength = PasswordStrength(operations: 2, memoryKiB: 16)
                return settings
            }(), clock: fixture.clock.clock)
        _ = try await stronger.signIn(namespace: "n", email: "h@x.test", password: "password1", clientAddress: "c")
        let hash = try await fixture.pool.read { db in
            try String.fetchOne(db, sql: "SELECT passwordHash FROM tinyhost_users")
        }
        #expect(hash?.hasPrefix("$argon2id$v=19$m=16,t=2,p=1$") == true)
    }

    @Test("the database holds no password and no session UUID")
    func onlyHashesStored() async throws {
        let fixture = try TinyHostFixture()
        try await fixture.accounts.signUp(
            namespace: "n", email: "s@x.test", password: "secret-password", clientAddress: "c")
        let signedIn = try await fixture.accounts.signIn(
            namespace: "n", email: "s@x.test", password: "secret-password", clientAddress: "c")
        let dump = try await fixture.pool.read { db in
            try ["tinyhost_users", "tinyhost_sessions"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map(\.description)
            }.joined(separator: "\n")
        }
        #expect(dump.contains(SessionToken.hash(signedIn.sessionUUID)))
        #expect(!dump.contains("secret-password"))
        #expect(!dump.contains(signedIn.sessionUUID))
    }
}

@Suite("TinyHost namespaces")
struct TinyHostNamespaceTests {
    @Test("any well-formed, unreserved name when no allow-list is set")
    func open() {
        let any = TinyHostNamespaces.any
        for name in ["notes", "my-app_2", String(repeating: "a", count: 64), "A"] {
            #expect((try? any.validate(name)) != nil, "\(name)")
        }
        for name in [
            "", "ws", "API", "signal", "lan", "health", "auth", "a.b", "a/b", "ü", String(repeating: "a", count: 65),
        ] {
            #expect(throws: TinyHostError.self, "\(name)") { try any.validate(name) }
        }
    }

    @Test("with an allow-list only its names; bad entries are refused at start-up")
    func allowList() throws {
        let list = try TinyHostNamespaces(list: " notes, todo ,,")
        #expect(list.allowList == ["notes", "todo"])
        try list.validate("todo")
        #expect(throws: TinyHostError.unknownNamespace("other")) { try list.validate("other") }
        #expect(throws: TinyHostError.unknownNamespace("ws")) { try TinyHostNamespaces(list: "notes,ws") }
        #expect(throws: TinyHostError.unknownNamespace("a b")) { try TinyHostNamespaces(list: "a b") }
    }
}

@Suite("TinyHost session limits")
struct TinyHostSessionLimitTests {
    @Test("a sign-in beyond the per-user limit ends that user's oldest session only")
    func oldestSessionEnds() async throws {
        let fixture = try TinyHostFixture { $0.maxSessionsPerUser = 2 }
        let accounts = fixture.accounts
        for email in ["a@x.test", "b@x.test"] {
            try await accounts.signUp(namespace: "n", email: email, password: "password1", clientAddress: "c")
        }
        let other = try await accounts.signIn(
            namespace: "n", email: "b@x.test", password: "password1", clientAddress: "c")
        var sessions: [String] = []
        for _ in 0..<3 {
            sessions.append(
                try await accounts.signIn(namespace: "n", email: "a@x.test", password: "password1", clientAddress: "c")
                    .sessionUUID)
        }
        #expect(
            await refusal { _ = try await accounts.authenticate(sessionUUID: sessions[0], namespace: nil) }
                == .invalidSession)
        for uuid in sessions.dropFirst() + [other.sessionUUID] {
            _ = try await accounts.authenticate(sessionUUID: uuid, namespace: nil)
        }
    }
}
