import Foundation
import TandemTinyBase
import Testing

/// TinyBase sync against a real server: clients built on the protocol library behave as TinyBase's
/// WsSynchronizer does (pull on start, announce, ContentDiff per change, answer every request).
@Suite("TinyHost sync over WebSocket", .timeLimit(.minutes(2)))
struct TinyHostSyncTests {
    static let namespace = "notes-app"

    /// A server with fast password hashing and a 1 s heartbeat (0: none).
    static func start(databasePath: String? = nil, heartbeatSeconds: Int = 1) async throws -> TestServer {
        try await TestServer.start(
            [
                "tinyhost.password.ops": "1", "tinyhost.password.memory.kib": "8",
                "tinyhost.heartbeat.seconds": "\(heartbeatSeconds)",
            ], databasePath: databasePath)
    }

    /// Signs up and in; returns the session UUID.
    static func session(_ server: TestServer, _ email: String) async throws -> String {
        let url = "\(server.httpURL)/\(namespace)"
        _ = try await http("POST", "\(url)/sign-up", json: ["email": email, "password": "correct horse"])
        let answer = try await http("POST", "\(url)/sign-in", json: ["email": email, "password": "correct horse"])
        return try #require(answer["session_uuid"] as? String, "\(answer.body)")
    }

    static func connect(_ server: TestServer, _ session: String, store: MergeableStore = MergeableStore())
        async throws -> TinyBasePeer
    {
        let peer = try await TinyBasePeer.connect(
            "ws://127.0.0.1:\(server.ports.http)/\(namespace)/ws?sessionUuid=\(session)", store: store)
        await peer.startSync()
        return peer
    }

    /// The server's content for the session's user, through manual sync with empty content.
    static func serverContent(_ server: TestServer, _ session: String) async throws -> MergeableStore {
        let answer = try await http(
            "POST", "\(server.httpURL)/\(namespace)/manual-sync", body: #"{"mergeableContent":[[{},"",0],[{},"",0]]}"#,
            headers: ["X-Session-UUID": session, "Content-Type": "application/json"])
        #expect(answer.status == 200, "\(answer.body)")
        let json = try #require(JSONValue.parse(Data(answer.body.utf8))?.objectValue?["mergeableContent"])
        var store = MergeableStore()
        store.merge(try WireCodec.changes(json))
        return store
    }

    /// Polls until `condition` holds (at most 15 s: the whole suite shares two cores).
    static func eventually(_ condition: () async throws -> Bool) async throws -> Bool {
        for _ in 0..<300 {
            if try await condition() { return true }
            try await Task.sleep(for: .milliseconds(50))
        }
        return false
    }

    static func equal(_ a: (tables: UInt32, values: UInt32), _ b: (tables: UInt32, values: UInt32)) -> Bool {
        a.tables == b.tables && a.values == b.values
    }

    @Test("two clients of one user converge with the server, deletions included")
    func twoClientsConverge() async throws {
        let server = try await Self.start()
        let session = try await Self.session(server, "ada@example.com")
        let first = try await Self.connect(server, session)
        let second = try await Self.connect(server, session)
        await first.setCell("tasks", "t1", "title", .string("Learn TinyBase"))
        await first.setCell("tasks", "t1", "done", .bool(false))
        await second.setCell("tasks", "t2", "title", .string("Point it at Tandem"))
        await second.setValue("ratio", .number(0.1 + 0.2))
        await first.setCell("tasks", "t3", "note", .string("temporary"))
        #expect(try await Self.eventually { await second.cell("tasks", "t3", "note") != nil })
        await second.setCell("tasks", "t3", "note", nil)
        #expect(
            try await Self.eventually {
                let server = try await Self.serverContent(server, session).contentHashes
                let (a, b) = (await first.contentHashes, await second.contentHashes)
                let note = await first.store.tables["tasks"]?.rows["t3"]?.cells["note"]
                return Self.equal(a, b) && Self.equal(server, a) && note != nil && note?.value == nil
            })
        #expect(await first.cell("tasks", "t2", "title") == .string("Point it at Tandem"))
        #expect(await second.cell("tasks", "t1", "done") == .bool(false))

        // A late joiner receives the tombstone too.
        let third = try await Self.connect(server, session)
        #expect(try await Self.eventually { Self.equal(await third.contentHashes, await first.contentHashes) })
        #expect(await third.answeredOnStart, "the server answers the start-up GetContentHashes with a Response")
        let tombstone = await third.store.tables["tasks"]?.rows["t3"]?.cells["note"]
        #expect(tombstone != nil && tombstone?.value == nil)
        for peer in [first, second, third] { await peer.close() }
        try await server.stop()
    }

    @Test("two users never see each other's data")
    func usersAreIsolated() async throws {
        let server = try await Self.start()
        let alice = try await Self.connect(server, try await Self.session(server, "alice@example.com"))
        let bob = try await Self.connect(server, try await Self.session(server, "bob@example.com"))
        await alice.setCell("secrets", "s1", "text", .string("alice only"))
        try await Task.sleep(for: .milliseconds(300))
        #expect(await bob.store.tables.isEmpty)
        let bobLate = try await Self.connect(server, try await Self.session(server, "bob@example.com"))
        try await Task.sleep(for: .milliseconds(200))
        #expect(await bobLate.store.tables.isEmpty)
        for peer in [alice, bob, bobLate] { await peer.close() }
        try await server.stop()
    }

    @Test("the store survives a restart with the same content hashes")
    func survivesRestart() async throws {
        let path = TestServer.temporaryDatabasePath()
        // No heartbeat: it would change the values between the two readings.
        var server = try await Self.start(databasePath: path, heartbeatSeconds: 0)
        let session = try await Self.session(server, "restart@example.com")
        let peer = try await Self.connect(server, session)
        for index in 0..<50 { await peer.setCell("rows", "r\(index)", "n", .number(Double(index))) }
        await peer.setCell("rows", "r7", "n", nil)
        #expect(
            try await Self.eventually {
                Self.equal(try await Self.serverContent(server, session).contentHashes, await peer.contentHashes)
            })
        let before = try await Self.serverContent(server, session)
        await peer.close()
        try await server.stop()

        server = try await Self.start(databasePath: path, heartbeatSeconds: 0)
        let after = try await Self.serverContent(server, session)
        #expect(Self.equal(after.contentHashes, before.contentHashes))
        #expect(after.tables == before.tables)
        let fresh = try await Self.connect(server, session)
        #expect(try await Self.eventually { Self.equal(await fresh.contentHashes, before.contentHashes) })
        #expect(await fresh.cell("rows", "r49", "n") == .number(49))
        await fresh.close()
        try await server.stop()
    }

    @Test("the heartbeat value arrives as an ISO time with a fresh stamp")
    func heartbeat() async throws {
        let server = try await Self.start()
        let peer = try await Self.connect(server, try await Self.session(server, "beat@example.com"))
        #expect(try await Self.eventually { await peer.value("heartbeat") != nil })
        guard case .string(let text) = await peer.value("heartbeat") else {
            Issue.record("no heartbeat string")
            return
        }
        #expect(text.wholeMatch(of: /\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z/) != nil)
        let frames = await peer.received
        #expect(frames.contains { $0.hasPrefix("S\n") && $0.contains(#",3,[[{}],[{"heartbeat":[""#) })
        await peer.close()
        try await server.stop()
    }

    @Test("a change over 1 MiB closes with 1009 and manual sync repairs the store")
    func oversizeAndManualSync() async throws {
        let server = try await Self.start()
        let session = try await Self.session(server, "big@example.com")
        let peer = try await Self.connect(server, session)
        await peer.setCell("files", "f1", "data", .string(String(repeating: "x", count: 1_100_000)))
        #expect(try await peer.closed().code == 1009)

        // The client posts its whole content (as getMergeableContent() gives it) and takes the answer.
        let local = await peer.store
        let body = #"{"mergeableContent":"# + JavaScriptJSON.stringify(local.contentJSON) + "}"
        let answer = try await http(
            "POST", "\(server.httpURL)/\(Self.namespace)/manual-sync", body: body,
            headers: ["X-Session-UUID": session, "Content-Type": "application/json"])
        #expect(answer.status == 200)
        #expect(answer["success"] as? Bool == true)
        #expect((answer["timestamp"] as? String)?.hasSuffix("Z") == true)
        let merged = try #require(JSONValue.parse(Data(answer.body.utf8))?.objectValue?["mergeableContent"])
        var repaired = MergeableStore()
        repaired.merge(try WireCodec.changes(merged))
        #expect(repaired.tablesHash == local.tablesHash && repaired.tables == local.tables)

        // setMergeableContent(answer) and a new synchronizer: in sync with the server at once.
        let again = try await Self.connect(server, session, store: repaired)
        #expect(
            try await Self.eventually {
                Self.equal(try await Self.serverContent(server, session).contentHashes, await again.contentHashes)
            })
        await again.close()

        // Manual sync refusals are JSON errors.
        let noSession = try await http("POST", "\(server.httpURL)/\(Self.namespace)/manual-sync", body: body)
        #expect(noSession.status == 401 && noSession["error"] != nil)
        let badBody = try await http(
            "POST", "\(server.httpURL)/\(Self.namespace)/manual-sync", body: #"{"mergeableContent":[1]}"#,
            headers: ["X-Session-UUID": session])
        #expect(badBody.status == 400 && badBody["message"] != nil)
        let notJSON = try await http(
            "POST", "\(server.httpURL)/\(Self.namespace)/manual-sync", body: "nope",
            headers: ["X-Session-UUID": session])
        #expect(notJSON.status == 400)
        try await server.stop()
    }

    @Test("malformed frames close with 1007 and leave the store as it was")
    func malformedFrames() async throws {
        let server = try await Self.start()
        let session = try await Self.session(server, "bad@example.com")
        let writer = try await Self.connect(server, session)
        await writer.setCell("t", "r", "c", .string("kept"))
        #expect(
            try await Self.eventually {
                Self.equal(try await Self.serverContent(server, session).contentHashes, await writer.contentHashes)
            })
        let before = try await Self.serverContent(server, session)
        for bad in [
            "no newline at all", "\n[\"x\",9,\"\"]", "\n{\"not\":\"an array\"}",
            "\n[\"x\",3,[[{\"t\":[{\"r\":[{\"c\":[\"evil\",\"not-an-hlc\"]}]}]}],[{}],1]]",
        ] {
            let socket = try await TestSocket.connect(
                "ws://127.0.0.1:\(server.ports.http)/\(Self.namespace)/ws?sessionUuid=\(session)")
            socket.send(bad)
            let closed = try await socket.closed()
            #expect(closed.code == 1007 && closed.reason == "tinybase:14", "\(bad)")
        }
        // A change stamped ten minutes ahead is dropped, as TinyBase v9.3+ drops it; the socket stays.
        let future = HLC.encode(
            time: Int64(Date().timeIntervalSince1970 * 1000) + 600_000, counter: 0, clientID: "zzzzz")
        await writer.sendRaw("\n[\"tx\",3,[[{\"t\":[{\"r\":[{\"c\":[\"future\",\"\(future)\"]}]}]}],[{}],1]]")
        try await Task.sleep(for: .milliseconds(300))
        let after = try await Self.serverContent(server, session)
        #expect(after.tables == before.tables && after.tablesHash == before.tablesHash)
        #expect(await writer.cell("t", "r", "c") == .string("kept"))
        await writer.close()
        try await server.stop()
    }

    /// Python's websockets client, which reads a close frame sent right after the upgrade.
    static let closeCodeScript = """
        import asyncio, sys, websockets
        async def main():
            for url in sys.argv[1:]:
                try:
                    async with websockets.connect(url) as socket:
                        await asyncio.wait_for(socket.recv(), 5)
                    print("open", url)
                except websockets.ConnectionClosed as closed:
                    print(closed.rcvd.code, closed.rcvd.reason)
        asyncio.run(main())
        """

    @Test(
        "sockets without a valid session, or in another namespace, are closed with 4401 / 4404 and a reason",
        .enabled("python3 with the websockets package is not installed", PythonInteropTests.hasWebsockets))
    func badSessions() async throws {
        let server = try await Self.start()
        let session = try await Self.session(server, "ns@example.com")
        let base = "ws://127.0.0.1:\(server.ports.http)"
        let (status, output) = try await PythonInteropTests.run([
            "python3", "-c", Self.closeCodeScript, "\(base)/\(Self.namespace)/ws",
            "\(base)/\(Self.namespace)/ws?sessionUuid=00000000-0000-4000-8000-000000000000",
            "\(base)/\(Self.namespace)/ws?sessionUuid=garbage", "\(base)/ws-not-a-namespace!/ws?sessionUuid=\(session)",
            "\(base)/other-app/ws?sessionUuid=\(session)",
        ])
        #expect(status == 0, "\(output)")
        let codes = output.split(separator: "\n").map { $0.split(separator: " ").first.map(String.init) ?? "" }
        #expect(codes == ["4401", "4401", "4401", "4404", "4401"], "\(output)")
        #expect(output.contains("session_required") && output.contains("invalid_session"), "\(output)")
        try await server.stop()
    }
}
