import HummingbirdWSClient
import Logging
import Testing

@Suite("Hone relay: dead peers", .timeLimit(.minutes(1)))
struct DeadPeerTests {
    @Test("a peer that stops answering pings is removed from its room and its peers are told")
    func unresponsivePeerIsRemoved() async throws {
        // Every client here must answer within one ping period, the live one too: 5 s leaves room for
        // the stalls of a full parallel run on two cores (3 s once dropped the live client in CI).
        let server = try await TestServer.start(["ping.interval.seconds": "5"])
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
        let left = try await a.next(timeout: .seconds(45))
        #expect(left["type"] as? String == "peer-left")
        #expect(left["device"] as? String == "Z")
        silent.cancel()
        await a.close()
        try await server.stop()
    }
}
