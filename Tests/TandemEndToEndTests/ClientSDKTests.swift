import Foundation
import TandemChaos
import TandemClient
import Testing

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
}
