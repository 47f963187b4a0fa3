import Foundation
import NIOSSL
import TandemTestSupport
import Testing

@testable import TandemServer

/// TLS on the HTTP and WebSocket ports, its reload, and the handshake deadline every listener keeps.
@Suite("Listeners: TLS and the handshake deadline")
struct ListenerGuardTests {
    /// A client that trusts only `certificate`.
    static func trusting(_ certificate: String) throws -> TLSConfiguration {
        var tls = TLSConfiguration.makeClientConfiguration()
        tls.trustRoots = .certificates(try NIOSSLCertificate.fromPEMFile(certificate))
        return tls
    }

    @Test("with tls.cert and tls.key both ports speak wss, and Hone works over it")
    func webSocketsOverTLS() async throws {
        guard let pair = try await makeSelfSignedCertificate() else {
            Issue.record("openssl is needed to make a test certificate")
            return
        }
        let server = try await TestServer.start(["tls.cert": pair.cert, "tls.key": pair.key])
        let tls = try Self.trusting(pair.cert)
        for url in ["wss://localhost:\(server.ports.http)/ws", "wss://localhost:\(server.ports.webSocket)/sync"] {
            let socket = try await TestSocket.connect(url, tls: tls)
            socket.send(json: ["type": "join", "room": "r", "device": "d"])
            #expect(try await socket.next()["type"] as? String == "joined")
            await socket.close()
        }
        // A plaintext request to a TLS port is closed at once.
        let plain = try await RawSocket(port: server.ports.http)
        try await plain.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n\r\n")
        #expect(await plain.closedByServer(within: .seconds(2)))
        try await server.stop()
    }

    @Test("reload: new connections get the new certificate, open ones stay open; a bad pair keeps the old")
    func reloadKeepsConnections() async throws {
        guard let first = try await makeSelfSignedCertificate(), let second = try await makeSelfSignedCertificate()
        else {
            Issue.record("openssl is needed to make a test certificate")
            return
        }
        let directory = TestFiles.directory("tandem-tls-live")
        let cert = directory.appendingPathComponent("cert.pem").path
        let key = directory.appendingPathComponent("key.pem").path
        try FileManager.default.copyItem(atPath: first.cert, toPath: cert)
        try FileManager.default.copyItem(atPath: first.key, toPath: key)
        let server = try await TestServer.start(["tls.cert": cert, "tls.key": key])
        let url = "wss://localhost:\(server.ports.webSocket)/"
        let (open, _) = try await join(url, room: "r", device: "before", tls: Self.trusting(first.cert))

        try FileManager.default.removeItem(atPath: cert)
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: second.cert, toPath: cert)
        try FileManager.default.copyItem(atPath: second.key, toPath: key)
        try #require(server.server.tls).reload()

        await #expect(throws: (any Error).self) { try await TestSocket.connect(url, tls: Self.trusting(first.cert)) }
        let (after, _) = try await join(url, room: "r", device: "after", tls: Self.trusting(second.cert))
        #expect(try await open.next()["type"] as? String == "peer-joined")
        after.send(json: message("after", to: "before", room: "r", payload: ["x": 1]))
        #expect(try await open.next()["from"] as? String == "after")

        // A key that does not match: refused, and the second pair stays in use.
        try FileManager.default.removeItem(atPath: key)
        try FileManager.default.copyItem(atPath: first.key, toPath: key)
        #expect(throws: TLSError.self) { try server.server.tls?.reload() }
        let (again, _) = try await join(url, room: "r", device: "again", tls: Self.trusting(second.cert))
        await again.close()
        try await server.stop()
    }

    @Test("start-up refuses a certificate without its key, a missing file, and a key of another certificate")
    func refusals() async throws {
        guard let first = try await makeSelfSignedCertificate(), let second = try await makeSelfSignedCertificate()
        else {
            Issue.record("openssl is needed to make a test certificate")
            return
        }
        await #expect(throws: ConfigError.self) { try await TestServer.start(["tls.cert": first.cert]) }
        let cases = [
            (["tls.cert": "/nonexistent/cert.pem", "tls.key": first.key], "not a readable PEM certificate"),
            (["tls.cert": first.cert, "tls.key": second.key], "does not belong to tls.cert"),
        ]
        for (settings, message) in cases {
            await #expect {
                try await TestServer.start(settings)
            } throws: { error in
                "\(error)".contains("cannot start TLS") && "\(error)".contains(message)
            }
        }
    }

    @Test("a connection that does not finish its request head in handshake.timeout.seconds is closed")
    func slowHandshakeIsClosed() async throws {
        let server = try await TestServer.start(
            ["handshake.timeout.seconds": "1", "lan.enabled": "true", "lan.host": "127.0.0.1", "lan.port": "0"],
            accounts: [:])
        for port in [server.ports.http, server.ports.webSocket, server.ports.lan ?? 0, server.ports.accounts ?? 0] {
            let started = ContinuousClock.now
            let socket = try await RawSocket(port: port)
            try await socket.write("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n")  // and never the blank line
            #expect(await socket.closedByServer(within: .seconds(10)), "port \(port)")
            let waited = ContinuousClock.now - started
            // Closed by the 1 s deadline, not the 10 s default (the margin is for a loaded machine).
            #expect(waited >= .milliseconds(900) && waited < .seconds(9), "port \(port): closed after \(waited)")
        }
        // A request that completes in time is served as before, and stays open past the deadline.
        let (socket, joined) = try await join(server.webSocketURL, room: "r", device: "d")
        #expect(joined["type"] as? String == "joined")
        try await Task.sleep(for: .milliseconds(1500))
        let (other, _) = try await join(server.webSocketURL, room: "r", device: "e")
        #expect(try await socket.next()["type"] as? String == "peer-joined")
        other.send(json: message("e", to: "d", room: "r", payload: "still here"))
        #expect(try await socket.next()["payload"] as? String == "still here")
        try await server.stop()
    }
}

@Suite("Listeners: clients behind a trusted proxy")
struct TrustedProxyTests {
    /// Opens a WebSocket to Hone's port as a proxy would, naming `client` in X-Forwarded-For;
    /// whether the server upgraded it.
    static func connect(port: Int, client: String) async throws -> (RawSocket, Bool) {
        let socket = try await RawSocket(port: port)
        // A connection refused at accept may be closed before this is written.
        try? await socket.write(
            "GET /sync HTTP/1.1\r\nHost: 127.0.0.1\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n"
                + "X-Forwarded-For: \(client)\r\n\r\n")
        let reply = await socket.readSome(within: .seconds(5))
        return (socket, reply.hasPrefix("HTTP/1.1 101"))
    }

    @Test("max.connections.per.address counts the client a trusted proxy names, not the proxy")
    func countsTheClient() async throws {
        let server = try await TestServer.start([
            "max.connections.per.address": "2", "proxy.trusted": "127.0.0.0/8",
        ])
        var open: [RawSocket] = []
        for client in ["203.0.113.1", "203.0.113.1", "203.0.113.2", "203.0.113.3"] {
            let (socket, upgraded) = try await Self.connect(port: server.ports.webSocket, client: client)
            #expect(upgraded, "\(client)")
            open.append(socket)
        }
        // A third from one client is refused; a client that claims another address in front of
        // the proxy's entry is still counted as itself.
        let (third, upgraded) = try await Self.connect(port: server.ports.webSocket, client: "203.0.113.1")
        #expect(!upgraded)
        #expect(await third.closedByServer(within: .seconds(2)))
        let (spoofed, spoofUpgraded) = try await Self.connect(
            port: server.ports.webSocket, client: "198.51.100.7, 203.0.113.1")
        #expect(!spoofUpgraded)
        _ = await spoofed.closedByServer(within: .seconds(2))
        for socket in open { _ = await socket.closedByServer(within: .zero) }
        try await server.stop()
    }

    @Test("without proxy.trusted the header is ignored: every connection is the proxy's")
    func headerIgnoredWhenUntrusted() async throws {
        let server = try await TestServer.start(["max.connections.per.address": "2"])
        let (first, one) = try await Self.connect(port: server.ports.webSocket, client: "203.0.113.1")
        let (second, two) = try await Self.connect(port: server.ports.webSocket, client: "203.0.113.2")
        #expect(one && two)
        let (third, three) = try await Self.connect(port: server.ports.webSocket, client: "203.0.113.3")
        #expect(!three)
        for socket in [first, second, third] { _ = await socket.closedByServer(within: .zero) }
        try await server.stop()
    }
}
