import Foundation
import Testing

@Suite("Connections per client address")
struct ConnectionLimitTests {
    @Test("past max.connections.per.address a new connection is closed at once, on every WebSocket listener")
    func perAddressLimit() async throws {
        let server = try await TestServer.start(["max.connections.per.address": "3"])
        let held = [
            try await TestSocket.connect(server.webSocketURL), try await TestSocket.connect(server.httpWebSocketURL),
            try await TestSocket.connect(server.webSocketURL),
        ]
        await #expect(throws: (any Error).self, "a fourth WebSocket on the WebSocket-only port") {
            _ = try await TestSocket.connect(server.webSocketURL)
        }
        await #expect(throws: (any Error).self, "and plain HTTP on the HTTP port") {
            _ = try await http("GET", "\(server.httpURL)/health")
        }
        // Joined members are not disturbed by the refused ones.
        held[0].send(json: ["type": "join", "room": "r", "device": "A"])
        #expect(try await held[0].next()["type"] as? String == "joined")
        await held[2].close()
        var admitted = false
        for _ in 0..<100 where !admitted {
            admitted = (try? await http("GET", "\(server.httpURL)/health").status) == 200
            if !admitted { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(admitted, "a closed connection frees its place")
        for socket in held.prefix(2) { await socket.close() }
        try await server.stop()
    }
}
