import Foundation
import HummingbirdWSClient
import Logging
import Testing

@Suite("Hone relay: acknowledgements, retries, epochs, slow consumers", .timeLimit(.minutes(1)))
struct AcknowledgementTests {
    func withID(_ id: String, _ payload: Any, from: String = "A", to: String = "broadcast") -> [String: Any] {
        ["from": from, "to": to, "room": "r", "payload": payload, "id": id]
    }

    @Test("a message with an id is acknowledged with its seq once stored; a retry is acked again, not redelivered")
    func ackAndRetry() async throws {
        let server = try await TestServer.start(["durability": "fsync"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        a.send(json: withID("m-1", "first"))
        let ack = try await a.next()
        #expect(ack["type"] as? String == "ack")
        #expect(ack["id"] as? String == "m-1")
        #expect(ack["seq"] as? Int == 1)
        let delivered = try await b.next()
        #expect(delivered["id"] as? String == "m-1")
        #expect(delivered["seq"] as? Int == 1)
        a.send(json: withID("m-1", "first"))
        let again = try await a.next()
        #expect(again["type"] as? String == "ack")
        #expect(again["seq"] as? Int == 1)
        #expect(try await b.expectSilence() == nil)
        a.send(json: withID("m-2", "second"))
        #expect(try await a.next()["seq"] as? Int == 2)
        a.send(json: ["from": "A", "to": "broadcast", "room": "r", "id": 5])
        #expect(try await a.next()["code"] as? String == "invalid_id")
        await a.close()
        await b.close()
        try await server.stop()

        // After a restart the same id is still recognised.
        let reopened = try await TestServer.start(databasePath: server.databasePath)
        let (a2, _) = try await join(reopened.webSocketURL, room: "r", device: "A")
        a2.send(json: withID("m-1", "first"))
        let late = try await a2.next()
        #expect(late["type"] as? String == "ack")
        #expect(late["seq"] as? Int == 1)
        a2.send(json: withID("m-3", "third"))
        #expect(try await a2.next()["seq"] as? Int == 3)
        await a2.close()
        try await reopened.stop()
    }

    @Test("joined carries the epoch; a client of another epoch is told to resync and gets the whole log")
    func epochs() async throws {
        let server = try await TestServer.start()
        let (a, joined) = try await join(server.webSocketURL, room: "r", device: "A")
        let epoch = try #require(joined["epoch"] as? String)
        #expect(joined["resync"] == nil)
        a.send(json: withID("x", 1))
        _ = try await a.next()
        a.send(json: withID("y", 2))
        _ = try await a.next()

        let resuming = try await TestSocket.connect(server.webSocketURL)
        resuming.send(json: ["type": "join", "room": "r", "device": "B", "lastSeq": 1, "epoch": epoch])
        let exact = try await resuming.next()
        #expect(exact["resync"] == nil)
        #expect((try await resuming.next()["deltas"] as? [[String: Any]])?.map { $0["seq"] as? Int } == [2])
        await resuming.close()

        let stranger = try await TestSocket.connect(server.webSocketURL)
        stranger.send(json: ["type": "join", "room": "r", "device": "C", "lastSeq": 1, "epoch": "some-other-epoch"])
        let told = try await stranger.next()
        #expect(told["resync"] as? Bool == true)
        #expect((try await stranger.next()["deltas"] as? [[String: Any]])?.map { $0["seq"] as? Int } == [1, 2])
        await stranger.close()

        let ahead = try await TestSocket.connect(server.webSocketURL)
        ahead.send(json: ["type": "join", "room": "r", "device": "D", "lastSeq": 50])
        #expect(try await ahead.next()["resync"] as? Bool == true)
        await ahead.close()
        await a.close()
        try await server.stop()
    }

    @Test("a reader that falls behind is cut with 4508 and leaves the room while the room keeps flowing")
    func slowConsumer() async throws {
        let server = try await TestServer.start([
            "outbound.max.bytes": "262144", "rate.messages.per.second": "100000", "rate.burst": "100000",
            "max.message.bytes": "131072",
        ])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        var logger = Logger(label: "slow-reader")
        logger.logLevel = .critical
        let closeCode = Mailbox<Int>()
        let startReading = Mailbox<Void>()
        // Joins, then reads nothing until told to: the server's writes to it back up.
        let slow = Task {
            let frame = try? await WebSocketClient.connect(
                url: server.webSocketURL, configuration: .init(maxFrameSize: 1 << 20), logger: logger
            ) { inbound, outbound, _ in
                try await outbound.write(.text(#"{"type":"join","room":"r","device":"S"}"#))
                _ = try await startReading.next(timeout: .seconds(120))
                for try await _ in inbound.messages(maxSize: 1 << 20) {}
            }
            closeCode.put(frame.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) } ?? 1006)
        }
        _ = try await a.next()  // S joined
        _ = try await b.next()
        // Sent in step with B's reading, so only S falls behind; stop once S has been dropped.
        let payload = String(repeating: "p", count: 64_000)
        var sent = 0
        var slowLeft = false
        while !slowLeft && sent < 1000 {
            sent += 1
            a.send(json: ["from": "A", "to": "broadcast", "room": "r", "payload": payload, "n": sent])
            while true {
                let frame = try await b.next()
                if frame["type"] as? String == "peer-left", frame["device"] as? String == "S" { slowLeft = true }
                if frame["n"] as? Int == sent { break }
            }
        }
        #expect(slowLeft, "S left the room once it fell behind (after \(sent) messages)")
        startReading.put(())
        #expect(try await closeCode.next(timeout: .seconds(30)) == 4508)
        _ = await slow.value
        await a.close()
        await b.close()
        try await server.stop()
    }
}
