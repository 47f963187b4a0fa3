import Foundation
import Testing

#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

func message(_ from: String, to: String, room: String, payload: Any) -> [String: Any] {
    ["from": from, "to": to, "room": room, "payload": payload]
}

@Suite("Hone relay: joining and routing", .timeLimit(.minutes(1)))
struct RelayRoutingTests {
    @Test("joined reply names room, device, host, peers and room seq; first joiner is host")
    func joinedReply() async throws {
        let server = try await TestServer.start()
        let (a, joinedA) = try await join(server.webSocketURL, room: "r", device: "A")
        #expect(joinedA["type"] as? String == "joined")
        #expect(joinedA["room"] as? String == "r")
        #expect(joinedA["device"] as? String == "A")
        #expect(joinedA["host"] as? String == "A")
        #expect(joinedA["isHost"] as? Bool == true)
        #expect(joinedA["roomSeq"] as? Int == 0)
        let (b, joinedB) = try await join(server.httpWebSocketURL, room: "r", device: "B")
        #expect(joinedB["host"] as? String == "A")
        #expect(joinedB["isHost"] as? Bool == false)
        #expect(joinedB["peers"] as? [String] == ["A"])
        let peerJoined = try await a.next()
        #expect(peerJoined["type"] as? String == "peer-joined")
        #expect(peerJoined["device"] as? String == "B")
        await a.close()
        await b.close()
        try await server.stop()
    }

    @Test("a broadcast reaches every other member, with seq and ts, and never the sender")
    func broadcastExcludesSender() async throws {
        let server = try await TestServer.start()
        let sockets = try await joinAll(server.webSocketURL, room: "r", devices: ["A", "B", "C"])
        let (a, b, c) = (sockets[0], sockets[1], sockets[2])
        a.send(json: message("A", to: "broadcast", room: "r", payload: ["text": "hello", "n": 1]))
        for peer in [b, c] {
            let got = try await peer.next()
            #expect(got["from"] as? String == "A")
            #expect(got["to"] as? String == "broadcast")
            #expect((got["payload"] as? [String: Any])?["text"] as? String == "hello")
            #expect(got["seq"] as? Int == 1)
            #expect((got["ts"] as? Int ?? 0) > 1_700_000_000_000)
        }
        #expect(try await a.expectSilence() == nil)
        for socket in [a, b, c] { await socket.close() }
        try await server.stop()
    }

    @Test("a direct message reaches only its target; host messages reach the host")
    func directAndHost() async throws {
        let server = try await TestServer.start()
        let sockets = try await joinAll(server.webSocketURL, room: "r", devices: ["A", "B", "C"])
        let (a, b, c) = (sockets[0], sockets[1], sockets[2])
        b.send(json: message("B", to: "C", room: "r", payload: "for C"))
        #expect(try await c.next()["payload"] as? String == "for C")
        c.send(json: message("C", to: "host", room: "r", payload: "for host"))
        let atHost = try await a.next()
        #expect(atHost["payload"] as? String == "for host")
        #expect(atHost["to"] as? String == "host")
        #expect(try await a.expectSilence(for: .milliseconds(200)) == nil)
        #expect(try await b.expectSilence(for: .milliseconds(200)) == nil)
        a.send(json: message("A", to: "host", room: "r", payload: "to myself"))
        #expect(try await a.next()["code"] as? String == "self_addressed")
        for socket in [a, b, c] { await socket.close() }
        try await server.stop()
    }

    @Test("when the host leaves, the longest-connected member becomes host and everyone is told")
    func hostReelection() async throws {
        let server = try await TestServer.start()
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        let (c, _) = try await join(server.webSocketURL, room: "r", device: "C")
        _ = try await b.next()  // C joined
        await a.close()
        for peer in [b, c] {
            #expect(try await peer.next()["type"] as? String == "peer-left")
            let host = try await peer.next()
            #expect(host["type"] as? String == "host")
            #expect(host["host"] as? String == "B")
        }
        c.send(json: message("C", to: "host", room: "r", payload: "new host"))
        #expect(try await b.next()["payload"] as? String == "new host")
        // A returning does not take the host role back.
        let (a2, rejoined) = try await join(server.webSocketURL, room: "r", device: "A")
        #expect(rejoined["host"] as? String == "B")
        for socket in [a2, b, c] { await socket.close() }
        try await server.stop()
    }

    @Test("from and room must be the joined device and room; bad frames get error frames")
    func spoofingAndMalformedInput() async throws {
        let server = try await TestServer.start()
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        b.send(json: message("A", to: "broadcast", room: "r", payload: "spoof"))
        let spoof = try await b.next()
        #expect(spoof["type"] as? String == "error")
        #expect(spoof["code"] as? String == "sender_mismatch")
        #expect(spoof["error"] is String)
        b.send(json: message("B", to: "broadcast", room: "other", payload: "elsewhere"))
        #expect(try await b.next()["code"] as? String == "room_mismatch")
        b.send("{not json")
        #expect(try await b.next()["code"] as? String == "invalid_json")
        b.send("[1,2,3]")
        #expect(try await b.next()["code"] as? String == "invalid_json")
        b.send(json: ["from": "B", "room": "r", "payload": 1])
        #expect(try await b.next()["code"] as? String == "invalid_message")
        b.send(json: ["type": "join", "room": "r2", "device": "B"])
        #expect(try await b.next()["code"] as? String == "already_joined")
        b.sendBinary([1, 2, 3])
        #expect(try await b.next()["code"] as? String == "binary_not_supported")
        #expect(try await a.expectSilence() == nil)
        // The connection still works after all that.
        b.send(json: message("B", to: "A", room: "r", payload: "still here"))
        #expect(try await a.next()["payload"] as? String == "still here")
        await a.close()
        await b.close()
        try await server.stop()
    }

    @Test("join failures answer with Hone's error text and close with a 4xxx code")
    func joinFailures() async throws {
        let server = try await TestServer.start(["max.clients.per.room": "1"])
        let cases: [(String, String, Int)] = [
            (#"{"type":"hello"}"#, "First message must be join", 4400),
            ("garbage", "First message must be join", 4400),
            (#"{"type":"join","device":"d"}"#, "Missing room", 4400),
            (#"{"type":"join","room":"r"}"#, "Missing device", 4400),
            (#"{"type":"join","room":"","device":"d"}"#, "Empty room or device", 4400),
            (
                #"{"type":"join","room":"r","device":"d","lastSeq":"x"}"#,
                "Invalid lastSeq: must be a non-negative integer", 4400
            ),
        ]
        for (frame, text, code) in cases {
            let socket = try await TestSocket.connect(server.webSocketURL)
            socket.send(frame)
            let reply = try await socket.next()
            #expect(reply["error"] as? String == text, "for \(frame)")
            #expect(reply["type"] as? String == "error")
            #expect(try await socket.closed().code == code, "for \(frame)")
        }
        let (first, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (second, refused) = try await join(server.webSocketURL, room: "r", device: "B")
        #expect(refused["error"] as? String == "Room full")
        #expect(refused["code"] as? String == "room_full")
        #expect(refused["limit"] as? Int == 1)
        #expect(try await second.closed().code == 4503)
        await first.close()
        try await server.stop()
    }

    @Test("a connection that never sends a join frame is closed")
    func joinTimeout() async throws {
        let server = try await TestServer.start(["join.timeout.seconds": "1"])
        let idle = try await TestSocket.connect(server.webSocketURL)
        let reply = try await idle.next()
        #expect(reply["code"] as? String == "join_timeout")
        #expect(try await idle.closed().code == 4400)
        try await server.stop()
    }

    @Test("the room limit refuses new rooms and names the limit")
    func roomLimit() async throws {
        let server = try await TestServer.start(["max.rooms": "2", "buffer.ttl.seconds": "0"])
        let (a, _) = try await join(server.webSocketURL, room: "one", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "two", device: "B")
        let (c, refused) = try await join(server.webSocketURL, room: "three", device: "C")
        #expect(refused["code"] as? String == "too_many_rooms")
        #expect(refused["limit"] as? Int == 2)
        #expect(try await c.closed().code == 4503)
        await a.close()
        // Room "one" is forgotten once empty, so another room fits.
        try await Task.sleep(for: .milliseconds(100))
        let (d, joined) = try await join(server.webSocketURL, room: "three", device: "D")
        #expect(joined["type"] as? String == "joined")
        await b.close()
        await d.close()
        try await server.stop()
    }

    @Test("a device joining again replaces its older connection, which is closed with 4409")
    func replacedConnection() async throws {
        let server = try await TestServer.start()
        let (old, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (new, joined) = try await join(server.webSocketURL, room: "r", device: "A")
        #expect(joined["isHost"] as? Bool == true)
        #expect(try await old.closed().code == 4409)
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        b.send(json: message("B", to: "A", room: "r", payload: "to the new one"))
        _ = try await new.next()  // peer-joined
        #expect(try await new.next()["payload"] as? String == "to the new one")
        await new.close()
        await b.close()
        try await server.stop()
    }

    @Test("HTTP serves health in Hone's shape and a banner")
    func httpEndpoints() async throws {
        let server = try await TestServer.start()
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (data, response) = try await URLSession.shared.data(from: URL(string: server.httpURL + "/health")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        let health = try JSONSerialization.jsonObject(with: data) as? [String: Any] ?? [:]
        #expect(health["status"] as? String == "ok")
        #expect(health["rooms"] as? Int == 1)
        #expect(health["connections"] as? Int == 1)
        #expect(health["uptime"] is Int)
        #expect(health["version"] is String)
        let (banner, _) = try await URLSession.shared.data(from: URL(string: server.httpURL + "/")!)
        #expect(String(decoding: banner, as: UTF8.self).hasPrefix("Tandem relay"))
        await a.close()
        try await server.stop()
    }
}
