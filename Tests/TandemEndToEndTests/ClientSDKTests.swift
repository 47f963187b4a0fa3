import Foundation
import TandemChaos
import TandemTestSupport
import Testing

@testable import TandemClient

/// Collects a client's events for assertions.
func collect(_ client: RelayClient) -> Mailbox<RelayEvent> {
    let box = Mailbox<RelayEvent>()
    Task {
        for await event in client.events { box.put(event) }
        box.finish()
    }
    return box
}

/// The next message event, skipping others.
func nextMessage(_ events: Mailbox<RelayEvent>, timeout: Duration = .seconds(10)) async throws -> RelayMessage {
    while let event = try await events.next(timeout: timeout) {
        if case .message(let message) = event { return message }
    }
    throw Timeout(description: "events ended")
}

@Suite("Swift client SDK against a real server", .timeLimit(.minutes(1)))
struct ClientSDKTests {
    @Test("send returns the stored seq; peers receive the message once, in order")
    func sendAndReceive() async throws {
        let server = try await TestServer.start()
        let alice = RelayClient(configuration: .init(url: server.webSocketURL, room: "r", device: "alice"))
        let bob = RelayClient(configuration: .init(url: server.httpWebSocketURL, room: "r", device: "bob"))
        let bobEvents = collect(bob)
        await alice.start()
        await bob.start()
        let first = try await alice.send(["text": "hello"])
        let second = try await alice.send(payloadJSON: "[1,2,3]", to: .device("bob"))
        #expect(first == 1)
        #expect(second == 2)
        let one = try await nextMessage(bobEvents)
        let two = try await nextMessage(bobEvents)
        #expect(one.seq == 1)
        #expect(try one.payload(as: [String: String].self) == ["text": "hello"])
        #expect(two.payloadJSON == "[1,2,3]")
        #expect(await bob.lastSeq == 2)
        await alice.stop()
        await bob.stop()
        try await server.stop()
    }

    @Test("after a disconnect the client resends unacknowledged messages and catches up by lastSeq")
    func reconnectAndResume() async throws {
        let server = try await TestServer.start()
        let alice = RelayClient(configuration: .init(url: server.webSocketURL, room: "r", device: "alice"))
        let bob = RelayClient(
            configuration: .init(
                url: server.webSocketURL, room: "r", device: "bob", backoff: Backoff(initial: .milliseconds(50))))
        let bobEvents = collect(bob)
        await alice.start()
        await bob.start()
        _ = try await alice.send(1)
        #expect(try await nextMessage(bobEvents).seq == 1)
        await bob.reconnect()
        for value in 2...20 { _ = try await alice.send(value) }
        var seqs: [UInt64] = []
        while seqs.count < 19 { seqs.append(try await nextMessage(bobEvents).seq) }
        #expect(seqs == Array(2...20))
        // A retried id is acknowledged with the original seq.
        #expect(try await alice.send(99, id: "fixed") == 21)
        #expect(try await alice.send(99, id: "fixed") == 21)
        await alice.stop()
        await bob.stop()
        try await server.stop()
    }

    @Test("a message sent while the server is down is stored once it is back")
    func sendAcrossRestart() async throws {
        let port = try LoopbackPort.free()
        let settings = ["port": "\(port)", "ws.port": "\(try LoopbackPort.free())"]
        let first = try await TestServer.start(settings)
        let client = RelayClient(
            configuration: .init(
                url: first.webSocketURL, room: "r", device: "alice", backoff: Backoff(initial: .milliseconds(50))))
        await client.start()
        #expect(try await client.send("before") == 1)
        try await first.stop()
        let pending = Task { try await client.send("while down") }
        try await Task.sleep(for: .milliseconds(200))
        let second = try await TestServer.start(settings, databasePath: first.databasePath)
        #expect(try await pending.value == 2)
        await client.stop()
        try await second.stop()
    }

    @Test("a bad token stops the client with a rejection instead of retrying")
    func rejection() async throws {
        let server = try await TestServer.start(["auth.secret": "a-secret-of-at-least-thirty-two-chars!"])
        let client = RelayClient(configuration: .init(url: server.webSocketURL, room: "r", device: "d", token: "bad"))
        let events = collect(client)
        await client.start()
        var stopped: RelayClientError?
        while let event = try await events.next() {
            if case .stopped(let error) = event { stopped = error }
        }
        #expect(stopped == .rejected(closeCode: 4401, reason: "Invalid token"))
        await #expect(throws: RelayClientError.stopped) { try await client.send(1) }
        try await server.stop()
    }

    @Test("messages left in the outbox file by a killed client are stored exactly once by the next one")
    func persistedOutbox() async throws {
        let server = try await TestServer.start()
        let directory = TestFiles.directory("outbox")
        let outbox = directory.appendingPathComponent("outbox.jsonl")
        let snapshot = directory.appendingPathComponent("snapshot.jsonl")
        let fast = Backoff(initial: .milliseconds(50), maximum: .milliseconds(200))

        // The app sends while the server is unreachable, then is killed: the client is dropped as
        // it is, still trying to connect, without stop().
        let unreachable = "ws://127.0.0.1:\(try LoopbackPort.free())/sync"
        let killed = try RelayClient(
            configuration: .init(url: unreachable, room: "r", device: "alice", backoff: fast), outboxFile: outbox)
        await killed.start()
        for number in 1...3 {
            Task { try await killed.send(["n": number], id: "m\(number)") }
            while await killed.unacknowledgedCount < number { try await Task.sleep(for: .milliseconds(5)) }
        }
        // The file as it would be after a crash later on, once the server had stored the messages
        // but before the client recorded their acknowledgements.
        try FileManager.default.copyItem(at: outbox, to: snapshot)

        let bob = RelayClient(configuration: .init(url: server.webSocketURL, room: "r", device: "bob"))
        let bobEvents = collect(bob)
        await bob.start()
        // The relaunched app: a new client on the same file and the real server.
        let relaunched = try RelayClient(
            configuration: .init(url: server.webSocketURL, room: "r", device: "alice", backoff: fast),
            outboxFile: outbox)
        #expect(relaunched.restoredIDs == ["m1", "m2", "m3"])
        await relaunched.start()
        for (index, id) in relaunched.restoredIDs.enumerated() {
            #expect(try await relaunched.acknowledgement(of: id) == UInt64(index + 1))
        }
        let received = [
            try await nextMessage(bobEvents), try await nextMessage(bobEvents), try await nextMessage(bobEvents),
        ]
        #expect(received.map(\.seq) == [1, 2, 3])
        #expect(received.map(\.id) == ["m1", "m2", "m3"])
        #expect(try received.map { try $0.payload(as: [String: Int].self)["n"] } == [1, 2, 3])
        #expect(await relaunched.unacknowledgedCount == 0)
        await relaunched.stop()
        #expect(
            try RelayClient(configuration: .init(url: unreachable, room: "r", device: "alice"), outboxFile: outbox)
                .restoredIDs.isEmpty)

        // Relaunched from the older file: the same ids are acknowledged with their original seqs
        // and nothing is stored twice.
        let again = try RelayClient(
            configuration: .init(url: server.webSocketURL, room: "r", device: "alice", backoff: fast),
            outboxFile: snapshot)
        await again.start()
        for (index, id) in again.restoredIDs.enumerated() {
            #expect(try await again.acknowledgement(of: id) == UInt64(index + 1))
        }
        #expect(try await again.send("after") == 4)
        #expect(try await nextMessage(bobEvents).seq == 4)
        #expect(await bob.duplicatesIgnored == 0)
        await again.stop()
        await killed.stop()
        await bob.stop()
        try await server.stop()
    }

    @Test("a slow reader holds the connection back: the buffer stays bounded and nothing is lost")
    func slowReader() async throws {
        // A small outbound bound on the server, so it may also close the lagging connection (4508)
        // and the client resumes from its last delivered seq.
        let server = try await TestServer.start(["outbound.max.bytes": "65536", "rate.messages.per.second": "100000"])
        let limit = 8
        let alice = RelayClient(configuration: .init(url: server.webSocketURL, room: "r", device: "alice"))
        let bob = RelayClient(
            configuration: .init(
                url: server.webSocketURL, room: "r", device: "bob", backoff: Backoff(initial: .milliseconds(50)),
                eventBufferLimit: limit))
        await alice.start()
        await bob.start()
        let count = 600
        let padding = String(repeating: "x", count: 20_000)
        let sender = Task {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for slot in 0..<8 {
                    group.addTask {
                        for number in stride(from: slot + 1, through: count, by: 8) {
                            _ = try await alice.send(["n": "\(number)", "pad": padding])
                        }
                    }
                }
                try await group.waitForAll()
            }
        }
        var seqs: [UInt64] = []
        var disconnects = 0
        for await event in bob.events {
            switch event {
            case .message(let message):
                seqs.append(message.seq)
                // A reader that stops until everything is sent (12 MB), then reads slowly.
                if seqs.count == 1 { try await sender.value }
                if seqs.count % 4 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            case .disconnected(let closeCode, _):
                // The server's slow-consumer bound: rejoin with lastSeq.
                #expect(closeCode == 4508)
                disconnects += 1
            default:
                break
            }
            #expect(bob.events.buffer.count <= limit)
            if seqs.count == count { break }
        }
        try await sender.value
        #expect(seqs == (1...UInt64(count)).map { $0 })
        #expect(bob.events.buffer.peak <= limit)
        // 12 MB is far more than the socket buffers hold, so the server's queue passed its bound.
        #expect(disconnects >= 1)
        await alice.stop()
        await bob.stop()
        try await server.stop()
    }
}
