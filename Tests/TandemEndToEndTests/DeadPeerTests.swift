import HummingbirdWSClient
import Logging
import Testing

@Suite("Hone relay: dead peers", .timeLimit(.minutes(1)))
struct DeadPeerTests {
    @Test("a peer that stops answering pings is removed from its room and its peers are told")
    func unresponsivePeerIsRemoved() async throws {
        let server = try await TestServer.start(["ping.interval.seconds": "3"])
        let (a, _) = try await join(server.webSocketURL, room: "r", device: "A")
        var logger = Logger(label: "silent-client")
        logger.logLevel = .critical
        // This client joins and then never reads, so the pings the server sends go unanswered.
        let silent = Task {
            _ = try? await WebSocketClient.connect(url: server.webSocketURL, logger: logger) { _, outbound, _ in
                try await outbound.write(.text(#"{"type":"join","room":"r","device":"Z"}"#))
                try await Task.sleep(for: .seconds(30))
            }
        }
        let joined = try await a.next()
        #expect(joined["type"] as? String == "peer-joined")
        let left = try await a.next(timeout: .seconds(25))
        #expect(left["type"] as? String == "peer-left")
        #expect(left["device"] as? String == "Z")
        silent.cancel()
        await a.close()
        try await server.stop()
    }
}
