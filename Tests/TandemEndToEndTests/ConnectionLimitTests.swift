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

    @Test("the accounts port is counted with the others: one limit per address across every port")
    func accountsPortCounted() async throws {
        let server = try await TestServer.start(["max.connections.per.address": "1"], accounts: [:])
        let held = try await TestSocket.connect(server.webSocketURL)
        await #expect(throws: (any Error).self, "the accounts port refuses a second connection") {
            _ = try await http("GET", "\(server.accountsURL)/health")
        }
        await held.close()
        var admitted = false
        for _ in 0..<100 where !admitted {
            admitted = (try? await http("POST", "\(server.accountsURL)/auth/login", json: [:]).status) != nil
            if !admitted { try await Task.sleep(for: .milliseconds(20)) }
        }
        #expect(admitted, "and admits it once the first is gone")
        try await server.stop()
    }

    @Test("past rate.connections.burst new connections are closed at once, until the rate refills the bucket")
    func perAddressRate() async throws {
        let server = try await TestServer.start([
            "rate.connections.per.second": "2", "rate.connections.burst": "3",
        ])
        var held: [TestSocket] = []
        for _ in 0..<3 { held.append(try await TestSocket.connect(server.webSocketURL)) }
        await #expect(throws: (any Error).self, "a fourth at once") {
            _ = try await TestSocket.connect(server.webSocketURL)
        }
        // Open connections are not touched; at 2 a second a new one is let in after half a second.
        held[0].send(json: ["type": "join", "room": "r", "device": "A"])
        #expect(try await held[0].next()["type"] as? String == "joined")
        try await Task.sleep(for: .milliseconds(700))
        held.append(try await TestSocket.connect(server.webSocketURL))
        for socket in held { await socket.close() }
        try await server.stop()
    }

    @Test("behind a trusted proxy a refused client gets 429 too_many_connections with Retry-After")
    func refusedThroughProxy() async throws {
        let server = try await TestServer.start([
            "rate.connections.per.second": "0.01", "rate.connections.burst": "1", "proxy.trusted": "127.0.0.1",
        ])
        let first = try await http("GET", "\(server.httpURL)/health", headers: ["X-Forwarded-For": "203.0.113.5"])
        #expect(first.status == 200)
        let refused = try await http("GET", "\(server.httpURL)/health", headers: ["X-Forwarded-For": "203.0.113.5"])
        #expect(refused.status == 429)
        #expect(refused["error"] as? String == "too_many_connections")
        #expect(refused.headers["retry-after"] == "1")
        let other = try await http("GET", "\(server.httpURL)/health", headers: ["X-Forwarded-For": "203.0.113.6"])
        #expect(other.status == 200)
        try await server.stop()
    }
}
