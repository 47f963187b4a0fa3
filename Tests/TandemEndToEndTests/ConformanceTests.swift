import NIOWebSocket
import Testing

/// The WebSocket rules every listener keeps (RFC 6455), through the wire protocols themselves and
/// through the conformance echo the Autobahn suite uses (scripts/autobahn.sh runs the suite).
@Suite("WebSocket conformance")
struct ConformanceTests {
    static let echo = ["conformance.echo": "true", "lan.enabled": "true", "lan.host": "127.0.0.1", "lan.port": "0"]

    @Test("with conformance.echo, every listener echoes /conformance/echo: text, binary, a fragmented message")
    func echoOnEveryListener() async throws {
        let server = try await TestServer.start(Self.echo)
        for port in [server.ports.http, server.ports.webSocket, server.ports.lan ?? 0] {
            let socket = try await TestSocket.connect("ws://127.0.0.1:\(port)/conformance/echo")
            socket.send("héllo")
            #expect(try await socket.nextText() == "héllo")
            socket.sendBinary([0, 1, 2, 255])
            #expect(try await socket.nextBinary() == [0, 1, 2, 255])
            socket.sendFrame(.text, Array("frag".utf8), fin: false)
            socket.sendFrame(.continuation, Array("ment".utf8), fin: false)
            socket.sendFrame(.continuation, Array("ed".utf8))
            #expect(try await socket.nextText() == "fragmented")
            await socket.close()
        }
        try await server.stop()
    }

    @Test("the echo closes with 1001 at shutdown, like every endpoint")
    func echoDrainsAtShutdown() async throws {
        let server = try await TestServer.start(Self.echo)
        let socket = try await TestSocket.connect("ws://127.0.0.1:\(server.ports.webSocket)/conformance/echo")
        socket.send("ping")
        _ = try await socket.nextText()
        try await server.stop()
        #expect(try await socket.closed().code == 1001)
    }

    @Test("without conformance.echo the path is nothing special: Hone's port wants a join")
    func echoIsOffByDefault() async throws {
        let server = try await TestServer.start()
        let socket = try await TestSocket.connect("ws://127.0.0.1:\(server.ports.webSocket)/conformance/echo")
        socket.send("hello")
        #expect(try await socket.closed().code == 4400)
        // The HTTP port upgrades only its routes.
        await #expect(throws: (any Error).self) {
            try await TestSocket.connect("ws://127.0.0.1:\(server.ports.http)/conformance/echo")
        }
        try await server.stop()
    }

    /// Hone on the HTTP port and its own port, and the LAN port before its handshake: each is
    /// sent one bad first message.
    static let badMessages: [(name: String, frames: [(WebSocketOpcode, [UInt8], Bool)], code: Int)] = [
        ("text that is not UTF-8", [(.text, [0xCE, 0xBA, 0xED, 0xA0, 0x80], true)], 1007),
        ("a continuation with nothing to continue", [(.continuation, Array("x".utf8), true)], 1002),
        ("a new message inside a fragmented one", [(.text, [0x61], false), (.text, [0x62], true)], 1002),
        (
            "a fragmented text whose UTF-8 breaks across fragments",
            [(.text, [0xCE], false), (.continuation, [0x41], true)], 1007
        ),
    ]

    @Test("a message the RFC forbids closes with its code (1002, 1007) on every wire, not 1000")
    func badMessagesCloseWithTheirCode() async throws {
        let server = try await TestServer.start([
            "lan.enabled": "true", "lan.host": "127.0.0.1", "lan.port": "0",
        ])
        let urls = [
            server.httpWebSocketURL, server.webSocketURL, "ws://127.0.0.1:\(server.ports.lan ?? 0)/",
        ]
        for url in urls {
            for bad in Self.badMessages {
                let socket = try await TestSocket.connect(url)
                for (opcode, bytes, fin) in bad.frames { socket.sendFrame(opcode, bytes, fin: fin) }
                let closed = try await socket.closed()
                #expect(closed.code == bad.code, "\(bad.name) at \(url)")
            }
        }
        try await server.stop()
    }
}
