import Foundation
import Testing

@Suite("Hone relay: offline buffers, storage and catch-up", .timeLimit(.minutes(1)))
struct DeliveryTests {
    @Test("messages for a device that left are delivered in order when it rejoins within the TTL")
    func bufferWithinTTL() async throws {
        let server = try await TestServer.start(["buffer.ttl.seconds": "30"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        await b.close()
        _ = try await a.next()  // peer-left
        for index in 1...5 {
            a.send(json: message("A", to: index.isMultiple(of: 2) ? "B" : "broadcast", room: "r", payload: index))
        }
        // Wait until the last one is sequenced before B comes back.
        try await waitUntil { server.server.relay.room(.init("r"))?.lastSeq == 5 }
        let (b2, joined) = try await join(server.webSocketURL, room: "r", device: "B")
        #expect(joined["roomSeq"] as? Int == 5)
        for index in 1...5 {
            let got = try await b2.next()
            #expect(got["payload"] as? Int == index)
            #expect(got["seq"] as? Int == index)
        }
        #expect(try await b2.expectSilence() == nil)
        await a.close()
        await b2.close()
        try await server.stop()
    }

    @Test("after the TTL the buffer is gone, and lastSeq catches up from storage")
    func bufferExpiry() async throws {
        let server = try await TestServer.start(["buffer.ttl.seconds": "1"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B")
        _ = try await a.next()
        b.send(json: message("B", to: "A", room: "r", payload: "before"))
        #expect(try await a.next()["seq"] as? Int == 1)
        await b.close()
        a.send(json: message("A", to: "B", room: "r", payload: "while away"))
        a.send(json: message("A", to: "broadcast", room: "r", payload: "to all"))
        try await Task.sleep(for: .milliseconds(1600))
        let (late, _) = try await join(server.webSocketURL, room: "r", device: "B")
        #expect(try await late.expectSilence() == nil)
        await late.close()
        let (resumed, joined) = try await join(server.webSocketURL, room: "r", device: "B", lastSeq: 1)
        #expect(joined["roomSeq"] as? Int == 3)
        let deltas = try await resumed.next()
        #expect(deltas["type"] as? String == "deltas")
        let entries = deltas["deltas"] as? [[String: Any]] ?? []
        #expect(entries.map { $0["seq"] as? Int } == [2, 3])
        #expect(entries.first?["deviceId"] as? String == "A")
        let stored = try JSONSerialization.jsonObject(with: Data((entries.first?["payload"] as? String ?? "").utf8))
        #expect((stored as? [String: Any])?["payload"] as? String == "while away")
        await a.close()
        await resumed.close()
        try await server.stop()
    }

    @Test("messages survive a full server restart and are caught up by lastSeq in pages of 1000")
    func catchUpAfterRestart() async throws {
        let settings = ["rate.messages.per.second": "100000", "rate.burst": "100000"]
        let first = try await TestServer.start(settings)
        let (a, _) = try await join(first.webSocketURL, room: "r", device: "A")
        let total = 2500
        for index in 1...total {
            a.send(json: message("A", to: "broadcast", room: "r", payload: ["n": index]))
        }
        try await waitUntil { first.server.relay.room(.init("r"))?.lastSeq == UInt64(total) }
        await a.close()
        try await first.stop()

        let second = try await TestServer.start(settings, databasePath: first.databasePath)
        let (b, joined) = try await join(second.webSocketURL, room: "r", device: "B", lastSeq: 0)
        #expect(joined["roomSeq"] as? Int == total)
        var seqs: [Int] = []
        var pages: [Int] = []
        while seqs.count < total {
            let frame = try await b.next()
            #expect(frame["type"] as? String == "deltas")
            let entries = frame["deltas"] as? [[String: Any]] ?? []
            pages.append(entries.count)
            seqs += entries.compactMap { $0["seq"] as? Int }
        }
        #expect(pages == [1000, 1000, 500])
        #expect(seqs == Array(1...total))
        // New messages continue the same sequence.
        let (a2, _) = try await join(second.webSocketURL, room: "r", device: "A")
        _ = try await b.next()  // peer-joined
        a2.send(json: message("A", to: "broadcast", room: "r", payload: "after restart"))
        #expect(try await b.next()["seq"] as? Int == total + 1)
        await a2.close()
        await b.close()
        try await second.stop()
    }

    @Test("a resuming device gets stored messages then live ones, with no gap or duplicate")
    func resumeWhileOthersSend() async throws {
        let settings = ["rate.messages.per.second": "100000", "rate.burst": "100000"]
        let server = try await TestServer.start(settings)
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        for index in 1...300 { a.send(json: message("A", to: "broadcast", room: "r", payload: index)) }
        try await waitUntil { server.server.relay.room(.init("r"))?.lastSeq == 300 }
        let sender = Task {
            for index in 301...600 { a.send(json: message("A", to: "broadcast", room: "r", payload: index)) }
        }
        let (b, _) = try await join(server.webSocketURL, room: "r", device: "B", lastSeq: 0)
        await sender.value
        var seen: [Int] = []
        while seen.count < 600 {
            let frame = try await b.next()
            if frame["type"] as? String == "deltas" {
                seen += (frame["deltas"] as? [[String: Any]] ?? []).compactMap { $0["seq"] as? Int }
            } else if let seq = frame["seq"] as? Int {
                seen.append(seq)
            }
        }
        #expect(seen == Array(1...600))
        await a.close()
        await b.close()
        try await server.stop()
    }

    @Test("graceful shutdown closes every socket with 1001 after storing what was sent")
    func gracefulShutdown() async throws {
        let server = try await TestServer.start()
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        let (b, _) = try await join(server.httpWebSocketURL, room: "r", device: "B")
        _ = try await a.next()
        a.send(json: message("A", to: "B", room: "r", payload: "last words"))
        _ = try await b.next()
        try await server.stop()
        #expect(try await a.closed().code == 1001)
        #expect(try await b.closed().code == 1001)
        let reopened = try await TestServer.start(databasePath: server.databasePath)
        let (b2, joined) = try await join(reopened.webSocketURL, room: "r", device: "B", lastSeq: 0)
        #expect(joined["roomSeq"] as? Int == 1)
        #expect((try await b2.next()["deltas"] as? [Any])?.count == 1)
        await b2.close()
        try await reopened.stop()
    }
}

/// Polls `condition` every 10 ms for up to 5 s (for state with no event to await, like a counter).
func waitUntil(_ condition: @Sendable () -> Bool) async throws {
    for _ in 0..<500 {
        if condition() { return }
        try await Task.sleep(for: .milliseconds(10))
    }
    throw Timeout(description: "condition not met within 5 s")
}

@Suite("Hone relay: catch-up does not hold up live rooms", .timeLimit(.minutes(1)))
struct CatchUpIsolationTests {
    @Test("a device replaying a long history does not stop delivery in another room")
    func liveDuringCatchUp() async throws {
        let settings = ["rate.messages.per.second": "1000000", "rate.burst": "1000000"]
        let server = try await TestServer.start(settings)
        let (writer, _) = try await join(server.webSocketURL, room: "history", device: "W")
        let total = 3000
        for index in 1...total {
            writer.send(json: message("W", to: "broadcast", room: "history", payload: ["n": index, "pad": "xxxxxxxx"]))
        }
        try await waitUntil { server.server.relay.room(.init("history"))?.lastSeq == UInt64(total) }
        let pair = try await joinAll(server.webSocketURL, room: "live", devices: ["P", "Q"])

        let (reader, _) = try await join(server.webSocketURL, room: "history", device: "R", lastSeq: 0)
        var replayed = 0
        let firstPage = try await reader.next()
        replayed += (firstPage["deltas"] as? [Any])?.count ?? 0
        pair[0].send(json: message("P", to: "broadcast", room: "live", payload: "during replay"))
        #expect(try await pair[1].next()["payload"] as? String == "during replay")
        while replayed < total {
            replayed += (try await reader.next()["deltas"] as? [Any])?.count ?? 0
        }
        #expect(replayed == total)
        for socket in pair + [writer, reader] { await socket.close() }
        try await server.stop()
    }
}
