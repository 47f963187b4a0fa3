import Foundation
import GRDB
import TandemAuth
import TandemAuthSQLite
import TandemTestSupport
import Testing

@testable import TandemSQLite

@Suite("SQLite account store")
struct SQLiteAccountStoreTests {
    func open() throws -> (DatabasePool, SQLiteAccountStore) {
        let directory = TestFiles.directory("tandem-store")
        let pool = try SQLiteDatabase.open(
            path: directory.appendingPathComponent("a.db").path, migrations: AccountsSchema.migrations)
        return (pool, SQLiteAccountStore(pool: pool))
    }

    @Test("the accounts storage migrates its own tables under its released name")
    func migrations() throws {
        let (pool, _) = try open()
        let applied = try pool.read { db in try SQLiteDatabase.migrator(AccountsSchema.migrations).appliedMigrations(db)
        }
        #expect(applied == ["v4 accounts"])
        let tables = try pool.read { db in
            try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name")
        }
        for table in ["devices", "magic_links", "pairing_codes", "projects", "subscriptions", "users"] {
            #expect(tables.contains(table))
        }
    }

    @Test("secrets are stored only as hashes: no token, login id or code appears in the file")
    func onlyHashes() async throws {
        let (pool, store) = try open()
        let token = SecretToken.randomHex()
        let loginID = SecretToken.randomHex()
        try await store.insertMagicLink(
            NewMagicLink(
                email: "a@b.test", tokenHash: SecretToken.hash(token), loginHash: SecretToken.hash(loginID),
                deviceName: nil, platform: nil, expiresAt: 10_000, createdAt: 0))
        guard
            case .consumed(let user, _, _, _) = try await store.consumeMagicLink(
                tokenHash: SecretToken.hash(token), now: 1, newUserTier: .pro, claim: false)
        else {
            Issue.record("link not consumed")
            return
        }
        let deviceToken = "\(user.id):1:1.secret-device-token"
        _ = try await store.insertDevice(user: user.id, name: "d", platform: "p", now: 1) { _ in
            SecretToken.hash(deviceToken)
        }
        let code = "ABCD2345"
        #expect(
            try await store.insertPairingCode(codeHash: SecretToken.hash(code), user: user.id, expiresAt: 9, now: 1))
        #expect(
            !(try await store.insertPairingCode(codeHash: SecretToken.hash(code), user: user.id, expiresAt: 9, now: 1)))
        let dump = try await pool.read { db in
            try ["users", "devices", "magic_links", "pairing_codes"].flatMap { table in
                try Row.fetchAll(db, sql: "SELECT * FROM \(table)").map { $0.description }
            }.joined(separator: "\n")
        }
        #expect(dump.contains(SecretToken.hash(token)))
        for secret in [token, loginID, deviceToken, code] { #expect(!dump.contains(secret)) }
    }

    @Test("deleting a user cascades to devices, projects, subscriptions, links and codes")
    func cascades() async throws {
        let (pool, store) = try open()
        let user = try await store.createUser(email: "c@d.test", tier: .team, now: 0)
        _ = try await store.insertDevice(user: user.id, name: "d", platform: "p", now: 0) { "hash-\($0)" }
        _ = try await store.registerProject(user: user.id, projectKey: "k", name: "n", roomID: "r1", now: 0) { _ in
            (.team, nil)
        }
        _ = try await store.insertPairingCode(codeHash: "h", user: user.id, expiresAt: 5, now: 0)
        #expect(try await store.ownsRoom(user: user.id, roomID: "r1"))
        try await pool.write { db in try db.execute(sql: "DELETE FROM users WHERE id = ?", arguments: [user.id]) }
        let counts = try await pool.read { db in
            try ["devices", "projects", "subscriptions", "pairing_codes"].map {
                try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM \($0)") ?? -1
            }
        }
        #expect(counts == [0, 0, 0, 0])
        #expect(!(try await store.ownsRoom(user: user.id, roomID: "r1")))
    }

    @Test("a project's room belongs to its user only; room ids are unique")
    func rooms() async throws {
        let (_, store) = try open()
        let a = try await store.createUser(email: "a@x.test", tier: .pro, now: 0)
        let b = try await store.createUser(email: "b@x.test", tier: .pro, now: 0)
        _ = try await store.registerProject(user: a.id, projectKey: "k", name: "n", roomID: "room-a", now: 0) { _ in
            (.pro, nil)
        }
        #expect(try await store.ownsRoom(user: a.id, roomID: "room-a"))
        #expect(!(try await store.ownsRoom(user: b.id, roomID: "room-a")))
        await #expect(throws: DatabaseError.self) {
            try await store.registerProject(user: b.id, projectKey: "k", name: "n", roomID: "room-a", now: 0) { _ in
                (.pro, nil)
            }
        }
        #expect(try await store.deleteProject(id: 999, user: a.id) == nil)
        let projects = try await store.projects(user: a.id)
        #expect(try await store.deleteProject(id: projects[0].id, user: b.id) == nil)
        #expect(try await store.deleteProject(id: projects[0].id, user: a.id)?.roomID == "room-a")
    }
}
