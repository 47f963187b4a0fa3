import Foundation
import GRDB
import Logging
import TandemRelaySQLite
import TandemSQLite
import TandemServer
import TandemTestSupport
import Testing

@Suite("Every feature's shutdown and start-up")
struct ShutdownAndStartupTests {
    @Test("graceful shutdown closes SDS, signalling and TinyBase sockets with 1001")
    func everyFeatureDrains() async throws {
        let sds = try await SDSFixture.start()
        let writer = try await sds.connect(), reader = try await sds.connect()
        writer.sendBinary(patch(1))
        #expect(try await reader.nextBinary() == patch(1), "both SDS sockets joined")
        let caller = try await sds.signal(), callee = try await sds.signal()
        caller.send(#"{"type":"hello","from":"p1"}"#)
        #expect(try await callee.nextText() == #"{"type":"hello","from":"p1"}"#, "both signalling sockets joined")
        let session = try await TinyHostSyncTests.session(sds.server, "drain@example.com")
        let tinyBase = try await TestSocket.connect(
            "ws://127.0.0.1:\(sds.server.ports.http)/\(TinyHostSyncTests.namespace)/ws?sessionUuid=\(session)")
        #expect(try await tinyBase.nextText() != nil, "the TinyBase socket is attached to its store")
        try await sds.server.stop()
        for socket in [writer, reader, caller, callee, tinyBase] {
            #expect(try await socket.closed().code == 1001)
        }
    }

    @Test("a database every feature wrote opens for the relay alone, and with the features again")
    func featuresShareOneDatabase() async throws {
        let full = try await TestServer.start(["lan.enabled": "true", "lan.host": "127.0.0.1"])
        let (a, _) = try await join(full.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(full.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        a.send(json: message("A", to: "broadcast", room: "r", payload: "kept"))
        _ = try await b.next()
        await a.close()
        await b.close()
        try await full.stop()

        let relayOnly = try await TestServer.start(
            ["tinyhost.enabled": "false", "lan.enabled": "false"], databasePath: full.databasePath)
        let (c, joined) = try await join(relayOnly.webSocketURL, room: "r", device: "C", lastSeq: 0)
        #expect(joined["roomSeq"] as? Int == 1)
        #expect((try await c.next()["deltas"] as? [Any])?.count == 1)
        await c.close()
        try await relayOnly.stop()

        let again = try await TestServer.start(
            ["lan.enabled": "true", "lan.host": "127.0.0.1"], databasePath: full.databasePath)
        try await again.stop()
        let pool = try SQLiteDatabase.open(path: full.databasePath, migrations: [])
        let applied = try await pool.read { db in
            try String.fetchAll(db, sql: "SELECT identifier FROM grdb_migrations ORDER BY identifier")
        }
        #expect(
            applied
                == [
                    "v1 room logs", "v2 room log kinds", "v3 lan endpoint", "v4 accounts", "v5 tinyhost accounts",
                    "v6 tinybase stores", "v7 sds blobs",
                ].filter { $0 != "v4 accounts" }, "each step ran once, under its released name")
    }

    @Test("a start-up failure names the step: the database file, or the feature whose schema step failed")
    func startupErrorsNameTheStep() async throws {
        var logger = Logger(label: "startup-test")
        logger.logLevel = .critical
        let missing = "/nonexistent-\(UUID().uuidString)/relay.db"
        let (unopenable, _) = try ConfigLoader.load(
            configPath: nil, searchWorkingDirectory: false, environment: [:],
            overrides: [("port", "0"), ("sqlite.path", missing)])
        await #expect {
            _ = try await TandemServer(configuration: unopenable, logger: logger).open()
        } throws: { error in
            "\(error)".hasPrefix("cannot open sqlite.path \(missing): ")
        }

        // A table of the LAN endpoint's step already there, unrecorded: its step fails, and says so.
        let path = TestServer.temporaryDatabasePath()
        let pool = try SQLiteDatabase.open(path: path, migrations: RelaySchema.migrations)
        try await pool.write { db in try db.execute(sql: "CREATE TABLE lan_setting (key TEXT)") }
        let (lanOn, _) = try ConfigLoader.load(
            configPath: nil, searchWorkingDirectory: false, environment: [:],
            overrides: [("port", "0"), ("sqlite.path", path), ("lan.enabled", "true")])
        await #expect {
            _ = try await TandemServer(configuration: lanOn, logger: logger).open()
        } throws: { error in
            "\(error)".hasPrefix("cannot migrate \(path) for the LAN endpoint: ")
        }
    }
}
