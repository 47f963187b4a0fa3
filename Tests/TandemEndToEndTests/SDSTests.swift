import Foundation
import Testing

@testable import TandemSDS

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// A server with the SDS endpoints on, and helpers to connect to a store.
struct SDSFixture {
    static let secret = "sds-test-secret-with-at-least-32-chars"
    let server: TestServer
    let tokens: SDSTokenAuthority

    static func start(_ settings: [String: String] = [:], databasePath: String? = nil) async throws -> SDSFixture {
        var settings = settings
        settings["sds.jwt.secret"] = secret
        return SDSFixture(
            server: try await TestServer.start(settings, databasePath: databasePath),
            tokens: try await SDSTokenAuthority(secret: secret, issuer: nil))
    }

    func token(_ scope: SDSScope = .write, store: String = "notes", lifetime: Duration = .seconds(600)) async throws
        -> String
    {
        try await tokens.issue(subject: "user-\(scope)", store: store, scope: scope, lifetime: lifetime)
    }

    func connect(store: String = "notes", token: String?) async throws -> TestSocket {
        let query = token.map { "?token=\($0)" } ?? ""
        return try await TestSocket.connect("ws://127.0.0.1:\(server.ports.http)/ws/\(store)\(query)")
    }

    func connect(_ scope: SDSScope = .write, store: String = "notes") async throws -> TestSocket {
        try await connect(store: store, token: try await token(scope, store: store))
    }

    func signal(_ scope: SDSScope = .write, store: String = "notes") async throws -> TestSocket {
        let token = try await token(scope, store: store)
        return try await TestSocket.connect("ws://127.0.0.1:\(server.ports.http)/signal/\(store)?token=\(token)")
    }
}

let valueHash = [UInt8](repeating: 0xAB, count: 32)

func patch(_ n: Int) -> [UInt8] { [0x01] + Array("patch-\(n)".utf8) }
func value(_ bytes: [UInt8], hash: [UInt8] = valueHash) -> [UInt8] { [0x02] + hash + bytes }
func chunk(_ index: UInt32, of total: UInt32, _ bytes: [UInt8], hash: [UInt8] = valueHash) -> [UInt8] {
    func bigEndian(_ v: UInt32) -> [UInt8] {
        [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)]
    }
    return [0x05] + hash + bigEndian(index) + bigEndian(total) + bytes
}

@Suite("SDS sync endpoint", .timeLimit(.minutes(1)))
struct SDSSyncTests {
    // Refusals right after the upgrade are checked with Python's client (PythonInteropTests):
    // this Swift test client misses a close frame sent together with the upgrade response.
    @Test("a token for another store is refused after the socket opened: 4003")
    func wrongStore() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let refused = try await sds.connect(store: "notes", token: try await sds.token(store: "other"))
        refused.sendBinary(patch(1))
        let witness = try await sds.connect()
        #expect(try await witness.binaryWithin() == nil)
    }

    @Test("every frame reaches the store's other clients, never the sender or other stores")
    func relaysToOthers() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let a = try await sds.connect(), b = try await sds.connect(), c = try await sds.connect()
        let elsewhere = try await sds.connect(store: "other")
        let frames: [[UInt8]] = [
            patch(1), value([1, 2, 3]), [0x03] + [UInt8](repeating: 0xCD, count: 32),
            [0x04] + Array(#"{"PeerId":"a"}"#.utf8), [0x06, 9], chunk(0, of: 2, [7]), patch(2),
        ]
        for frame in frames { a.sendBinary(frame) }
        // Patches go out once durable, the others at once, so only the patches keep their order.
        for peer in [b, c] {
            var received: [[UInt8]] = []
            for _ in frames { received.append(try await peer.nextBinary()) }
            #expect(Set(received) == Set(frames))
            #expect(received.filter { $0[0] == 1 } == [patch(1), patch(2)])
        }
        #expect(try await a.binaryWithin() == nil)
        #expect(try await elsewhere.binaryWithin() == nil)
    }

    @Test("read scope: PATCH, VALUE and VALUE_CHUNK dropped; PRESENCE, REQ_VALUE and SYNC_REQ pass")
    func readScope() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let reader = try await sds.connect(.read), writer = try await sds.connect(.write)
        for frame in [patch(1), value([1]), chunk(0, of: 1, [1])] { reader.sendBinary(frame) }
        let allowed: [[UInt8]] = [[0x04] + Array(#"{"PeerId":"r"}"#.utf8), [0x03] + valueHash, [0x06]]
        for frame in allowed { reader.sendBinary(frame) }
        for frame in allowed { #expect(try await writer.nextBinary() == frame) }
        #expect(try await writer.binaryWithin() == nil)
        // Nothing the reader tried to write was stored.
        let late = try await sds.connect()
        #expect(try await late.binaryWithin() == nil)
        // The reader still receives the writer's patches.
        writer.sendBinary(patch(2))
        #expect(try await reader.nextBinary() == patch(2))
    }

    @Test("text frames, unknown types, truncated headers and presence without PeerId are dropped")
    func badFramesDropped() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let a = try await sds.connect(), b = try await sds.connect()
        a.send("hello")
        for frame in [[], [0x09, 1], [0x02, 1, 2], [0x05] + valueHash + [0, 0], [0x04] + Array("{}".utf8)] {
            a.sendBinary(frame)
        }
        a.sendBinary(patch(1))
        #expect(try await b.nextBinary() == patch(1))
        #expect(try await b.binaryWithin() == nil)
    }

    @Test("a frame over sds.max.frame.bytes closes the socket with 1009")
    func oversizeFrame() async throws {
        let sds = try await SDSFixture.start(["sds.max.frame.bytes": "1000"])
        defer { Task { try await sds.server.stop() } }
        let a = try await sds.connect()
        a.sendBinary([0x01] + [UInt8](repeating: 1, count: 1000))
        #expect(try await a.closed().code == 1009)
    }

    @Test("Hone on the HTTP port still closes messages over twice max.message.bytes with 1009")
    func honeLimitBesideSDS() async throws {
        let sds = try await SDSFixture.start(["max.message.bytes": "1024"])
        defer { Task { try await sds.server.stop() } }
        let (hone, _) = try await join(sds.server.httpWebSocketURL, room: "r", device: "A")
        hone.send(String(repeating: "y", count: 4096))
        #expect(try await hone.closed().code == 1009)
    }

    @Test("when its last client leaves, the store is released")
    func cleanup() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let a = try await sds.connect(), b = try await sds.connect()
        #expect(sds.server.server.relay.roomCount == 1)
        await a.close()
        await b.close()
        for _ in 0..<100 where sds.server.server.relay.roomCount > 0 { try await Task.sleep(for: .milliseconds(20)) }
        #expect(sds.server.server.relay.roomCount == 0 && sds.server.server.relay.connections == 0)
    }
}

@Suite("SDS persistence", .timeLimit(.minutes(1)))
struct SDSPersistenceTests {
    @Test("a joining client receives the stored patches in order")
    func patchReplay() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect()
        for n in 1...5 { writer.sendBinary(patch(n)) }
        let witness = try await sds.connect()
        writer.sendBinary(patch(6))
        // The witness sees 6 live; by then 1...5 are durable.
        var seen: [[UInt8]] = []
        while seen.last != patch(6) { seen.append(try await witness.nextBinary()) }
        let late = try await sds.connect()
        for n in 1...6 { #expect(try await late.nextBinary() == patch(n)) }
        #expect(try await late.binaryWithin() == nil)
    }

    @Test("patches, a value, more patches: a late joiner gets every patch, and the value when it asks")
    func valueIsABlob() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect(), witness = try await sds.connect()
        let frames = [patch(1), patch(2), value([9, 9]), patch(3)]
        for frame in frames { writer.sendBinary(frame) }
        // The value is relayed at once, patches once durable: only the patches keep their order.
        var received: [[UInt8]] = []
        for _ in frames { received.append(try await witness.nextBinary()) }
        #expect(Set(received) == Set(frames))
        #expect(received.filter { $0[0] == 0x01 } == [patch(1), patch(2), patch(3)])
        let late = try await sds.connect()
        for n in 1...3 { #expect(try await late.nextBinary() == patch(n)) }
        #expect(try await late.binaryWithin() == nil, "values are not pushed; clients ask for them")
        late.sendBinary([0x03] + valueHash)
        #expect(try await late.nextBinary() == value([9, 9]))
        #expect(try await writer.binaryWithin() == nil, "answered by the server, not relayed")
        let unknown = [UInt8](repeating: 1, count: 32)
        late.sendBinary([0x03] + unknown)
        #expect(try await writer.nextBinary() == [0x03] + unknown, "a value the server lacks is asked of the peers")
    }

    @Test("chunks become one blob; a value over 1 MiB is answered as 1 MiB chunks, in order")
    func chunkedValue() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect(), witness = try await sds.connect()
        let big = (0..<(5 << 19)).map { UInt8($0 % 251) }  // 2.5 MiB
        let pieces = stride(from: 0, to: big.count, by: 1 << 20).map { Array(big[$0..<min(big.count, $0 + (1 << 20))]) }
        let frames = [patch(1)] + pieces.indices.reversed().map { chunk(UInt32($0), of: 3, pieces[$0]) } + [patch(2)]
        for frame in frames { writer.sendBinary(frame) }
        var received: [[UInt8]] = []
        for _ in frames { received.append(try await witness.nextBinary()) }
        #expect(Set(received) == Set(frames), "chunks are relayed as they came")
        let late = try await sds.connect()
        #expect(try await late.nextBinary() == patch(1))
        #expect(try await late.nextBinary() == patch(2))
        #expect(try await late.binaryWithin() == nil)
        late.sendBinary([0x03] + valueHash)
        for (index, piece) in pieces.enumerated() {
            #expect(try await late.nextBinary() == chunk(UInt32(index), of: 3, piece))
        }
    }

    @Test("a REQ_VALUE hash shorter than 32 bytes is padded with zeros, as SDS's engine lays out its chunks")
    func shortRequestHash() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let label = Array("fnv1a-00c0ffee-9".utf8).prefix(11)
        let padded = Array(label) + [UInt8](repeating: 0, count: 32 - label.count)
        let writer = try await sds.connect(), witness = try await sds.connect()
        // A frame seen by the witness means it has joined: chunks are relayed only to members.
        writer.sendBinary(patch(0))
        #expect(try await witness.nextBinary() == patch(0))
        writer.sendBinary(chunk(0, of: 1, [4, 2], hash: padded))
        writer.sendBinary(patch(1))
        // Once the witness has the patch, the chunk before it is stored.
        #expect(try await witness.nextBinary() == chunk(0, of: 1, [4, 2], hash: padded))
        #expect(try await witness.nextBinary() == patch(1))
        let asker = try await sds.connect()
        #expect(try await asker.nextBinary() == patch(0))
        #expect(try await asker.nextBinary() == patch(1))
        asker.sendBinary([0x03] + label)
        #expect(try await asker.nextBinary() == value([4, 2], hash: padded))
    }

    @Test("a blob over sds.max.store.bytes is relayed, not stored; the socket stays open and patches are kept")
    func storeQuota() async throws {
        let sds = try await SDSFixture.start(["sds.max.store.bytes": "16"])
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect(), witness = try await sds.connect()
        let other = [UInt8](repeating: 7, count: 32)
        writer.sendBinary(value(Array(repeating: 1, count: 10)))
        writer.sendBinary(value(Array(repeating: 2, count: 10), hash: other))
        writer.sendBinary(patch(1))
        #expect(try await witness.nextBinary() == value(Array(repeating: 1, count: 10)))
        #expect(try await witness.nextBinary() == value(Array(repeating: 2, count: 10), hash: other))
        #expect(try await witness.nextBinary() == patch(1))
        witness.sendBinary([0x03] + valueHash)
        #expect(try await witness.nextBinary() == value(Array(repeating: 1, count: 10)))
        witness.sendBinary([0x03] + other)
        #expect(try await writer.nextBinary() == [0x03] + other, "not stored, so asked of the peers")
    }

    @Test("a writer streaming far over the rate is slowed, not closed, and every patch is stored")
    func fastWriterPaced() async throws {
        let sds = try await SDSFixture.start(["rate.messages.per.second": "400", "rate.burst": "50"])
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect(), witness = try await sds.connect()
        let total = 450
        for n in 1...total { writer.sendBinary(patch(n)) }
        for n in 1...total { #expect(try await witness.nextBinary() == patch(n)) }
        let late = try await sds.connect()
        for n in 1...total { #expect(try await late.nextBinary() == patch(n)) }
        writer.sendBinary(patch(total + 1))
        #expect(try await witness.nextBinary() == patch(total + 1), "the writer's socket is still open")
    }

    @Test("patches and blobs survive a restart")
    func survivesRestart() async throws {
        let path = TestServer.temporaryDatabasePath()
        let first = try await SDSFixture.start(databasePath: path)
        let writer = try await first.connect(), witness = try await first.connect()
        for frame in [patch(1), value([4]), patch(2)] { writer.sendBinary(frame) }
        for _ in 0..<3 { _ = try await witness.nextBinary() }
        try await first.server.stop()
        let sds = try await SDSFixture.start(databasePath: path)
        defer { Task { try await sds.server.stop() } }
        let late = try await sds.connect()
        #expect(try await late.nextBinary() == patch(1))
        #expect(try await late.nextBinary() == patch(2))
        #expect(try await late.binaryWithin() == nil)
        late.sendBinary([0x03] + valueHash)
        #expect(try await late.nextBinary() == value([4]))
    }

    @Test("with sds.persist=false nothing is stored or replayed")
    func relayOnly() async throws {
        let sds = try await SDSFixture.start(["sds.persist": "false"])
        defer { Task { try await sds.server.stop() } }
        let writer = try await sds.connect(), witness = try await sds.connect()
        writer.sendBinary(patch(1))
        writer.sendBinary(value([1]))
        #expect(try await witness.nextBinary() == patch(1))
        #expect(try await witness.nextBinary() == value([1]))
        let late = try await sds.connect()
        #expect(try await late.binaryWithin() == nil)
        late.sendBinary([0x03] + valueHash)
        #expect(try await writer.nextBinary() == [0x03] + valueHash)
    }
}

@Suite("SDS signalling and token API", .timeLimit(.minutes(1)))
struct SDSSignalAndTokenTests {
    @Test("signalling: messages with `to` reach only that peer; others reach everyone else")
    func signalRouting() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let a = try await sds.signal(), b = try await sds.signal(), c = try await sds.signal()
        // A socket is in the store once the server has checked its token, a moment after the
        // handshake: probe until a frame of each reaches `a`, then drop what the probes left.
        for socket in [b, c] {
            var arrived = false
            for _ in 0..<50 where !arrived {
                socket.send(#"{"type":"probe","from":"probe"}"#)
                arrived = (try? await a.next(timeout: .milliseconds(100)))?["type"] as? String == "probe"
            }
            #expect(arrived, "every signalling socket joined")
        }
        for socket in [a, b, c] {
            while try await socket.expectSilence(for: .milliseconds(200)) != nil {}
        }
        for (socket, name) in [(a, "A"), (b, "B"), (c, "C")] {
            socket.send(#"{"type":"hello","from":"\#(name)"}"#)
        }
        // Each hello reaches the two others, as text.
        for socket in [a, b, c] {
            for _ in 0..<2 { #expect(try await socket.next()["type"] as? String == "hello") }
        }
        a.send(#"{"type":"offer","from":"A","to":"B","sdp":{}}"#)
        #expect(try await b.next()["type"] as? String == "offer")
        #expect(try await c.expectSilence() == nil)
        a.sendBinary([1, 2, 3])
        #expect(try await b.nextBinary() == [1, 2, 3])
        #expect(try await c.nextBinary() == [1, 2, 3])
        #expect(try await a.binaryWithin() == nil)
        #expect(sds.server.server.relay.roomCount == 0, "signalling opens no stored room")
    }

    func post(_ sds: SDSFixture, authorization: String?, body: String) async throws -> (Int, [String: Any]) {
        var request = URLRequest(url: URL(string: sds.server.httpURL + "/api/token")!)
        request.httpMethod = "POST"
        request.httpBody = Data(body.utf8)
        if let authorization { request.setValue(authorization, forHTTPHeaderField: "Authorization") }
        let (data, response) = try await URLSession.shared.data(for: request)
        let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        return ((response as? HTTPURLResponse)?.statusCode ?? 0, object)
    }

    @Test("token API: 401 without or with a bad token, 403 for non-admins, 400 for bad bodies")
    func tokenAPIErrors() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let admin = "Bearer " + (try await sds.token(.admin))
        let cases: [(String?, String, Int, String)] = [
            (nil, "{}", 401, "missing token"),
            ("Token x", "{}", 401, "missing token"),
            ("Bearer nope", "{}", 401, "invalid token"),
            ("Bearer " + (try await sds.token(.write)), #"{"sub":"a","scope":"read"}"#, 403, "admin scope required"),
            (admin, "{not json", 400, "invalid JSON body"),
            (admin, #"{"scope":"read"}"#, 400, "sub and scope required"),
            (admin, #"{"sub":"a","scope":"owner"}"#, 400, "scope must be read, write or admin"),
        ]
        for (authorization, body, status, error) in cases {
            let (code, answer) = try await post(sds, authorization: authorization, body: body)
            #expect(code == status && answer["error"] as? String == error, "\(body)")
        }
        let (code, answer) = try await post(sds, authorization: admin, body: #"{"sub":"a","scope":"read","exp":"2w"}"#)
        #expect(code == 400 && (answer["error"] as? String)?.hasPrefix("exp must be") == true)
    }

    @Test("token API: an admin issues a token for its own store that opens that store")
    func tokenAPIIssues() async throws {
        let sds = try await SDSFixture.start()
        defer { Task { try await sds.server.stop() } }
        let (code, answer) = try await post(
            sds, authorization: "Bearer " + (try await sds.token(.admin, store: "team")),
            body: #"{"sub":"carol","scope":"write","exp":"15m"}"#)
        #expect(code == 200)
        let token = try #require(answer["token"] as? String)
        let claims = try await sds.tokens.verify(token)
        #expect(claims.sub == "carol" && claims.aud == "team" && claims.scope == .write)
        let expiry = try #require(claims.exp).value.timeIntervalSinceNow
        #expect(expiry > 800 && expiry <= 901)
        let carol = try await sds.connect(store: "team", token: token)
        let other = try await sds.connect(store: "team")
        carol.sendBinary(patch(1))
        #expect(try await other.nextBinary() == patch(1))
    }

    @Test("without sds.jwt.secret the SDS endpoints answer 503")
    func disabledWithoutSecret() async throws {
        let server = try await TestServer.start()
        defer { Task { try await server.stop() } }
        var request = URLRequest(url: URL(string: server.httpURL + "/api/token")!)
        request.httpMethod = "POST"
        let (_, response) = try await URLSession.shared.data(for: request)
        #expect((response as? HTTPURLResponse)?.statusCode == 503)
    }
}
