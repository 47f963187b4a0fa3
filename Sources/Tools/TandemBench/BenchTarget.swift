import NIOCore

/// The server a benchmark drives, and how its wire protocol says "join", "publish" and "ready".
package enum BenchTarget: Sendable, Equatable {
    /// A Hone-protocol relay (Tandem or another) at this URL.
    case hone(BenchURL)
    /// nats-server's WebSocket listener: one subject per room, echo off.
    case nats(BenchURL)
    /// Tandem's SDS endpoint at this server, with a write token for every store (`sds.jwt.secret`).
    case sds(BenchURL, tokens: [String: String])

    package var name: String {
        switch self {
        case .hone: "hone"
        case .nats: "nats"
        case .sds: "sds"
        }
    }

    func url(room: String) -> BenchURL {
        switch self {
        case .hone(let url), .nats(let url): url
        case .sds(let url, let tokens): url.with(target: "/ws/\(room)?token=\(tokens[room] ?? "")")
        }
    }

    /// Frames a new connection sends before it is ready.
    func hello(room: String, member: String, lastSeq: Int? = nil) -> [ByteBuffer] {
        switch self {
        case .hone:
            let resume = lastSeq.map { #","lastSeq":\#($0)"# } ?? ""
            return [ByteBuffer(string: #"{"type":"join","room":"\#(room)","device":"\#(member)"\#(resume)}"#)]
        case .nats:
            return [
                ByteBuffer(
                    string:
                        "CONNECT {\"verbose\":false,\"pedantic\":false,\"echo\":false}\r\nSUB room.\(room) 1\r\nPING\r\n"
                )
            ]
        case .sds:
            return []
        }
    }

    /// Whether `message`, received before readiness, means the connection is ready.
    func isReady(_ message: ByteBuffer) -> Bool {
        switch self {
        case .hone: message.contains(Needles.joined)
        case .nats: message.contains(Needles.natsPong)
        case .sds: true
        }
    }

    /// Whether connections are ready as soon as the socket opens.
    var readyOnOpen: Bool { self.name == "sds" }

    /// Whether messages go as binary frames.
    var isBinary: Bool { self.name == "sds" }

    /// A broadcast carrying `payload` (ASCII, no quotes or backslashes), with an id when given.
    func publish(room: String, member: String, payload: String, id: String? = nil) -> ByteBuffer {
        switch self {
        case .hone:
            let idField = id.map { #","id":"\#($0)""# } ?? ""
            return ByteBuffer(
                string: #"{"from":"\#(member)","to":"broadcast","room":"\#(room)","payload":"\#(payload)"\#(idField)}"#)
        case .nats:
            return ByteBuffer(string: "PUB room.\(room) \(payload.utf8.count)\r\n\(payload)\r\n")
        case .sds:
            var buffer = ByteBuffer(integer: UInt8(0x01))
            buffer.writeString(payload)
            return buffer
        }
    }

    /// nats-server sends PING now and then; an unanswered one ends the connection.
    func keepAliveReply(to message: ByteBuffer) -> ByteBuffer? {
        guard case .nats = self, message.contains(Needles.natsPing) else {
            return nil
        }
        return ByteBuffer(string: "PONG\r\n")
    }
}
