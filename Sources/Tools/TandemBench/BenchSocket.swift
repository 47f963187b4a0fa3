import NIOCore
import NIOHTTP1
import NIOPosix
import NIOWebSocket

/// What a benchmark connection does with what it receives. Called on the connection's event loop.
protocol BenchSocketDelegate: AnyObject {
    func received(_ bytes: ByteBuffer, on socket: BenchSocket)
    func closed(_ socket: BenchSocket)
}

/// A lean WebSocket client connection on a SwiftNIO channel: no tasks and no copies beyond the
/// frame itself, so the load generator costs the machine as little as possible.
///
/// Confined to its channel's event loop: create, use and drop it only there (which is what makes
/// the `@unchecked Sendable` sound).
final class BenchSocket: @unchecked Sendable {
    let channel: any Channel
    weak var delegate: (any BenchSocketDelegate)?
    /// Identity within the run (the member index).
    let index: Int

    init(channel: any Channel, index: Int) {
        self.channel = channel
        self.index = index
    }

    func send(text bytes: ByteBuffer) { write(.text, bytes) }
    func send(binary bytes: ByteBuffer) { write(.binary, bytes) }

    func close() {
        write(.connectionClose, channel.allocator.buffer(bytes: [0x03, 0xE8]))
        channel.close(promise: nil)
    }

    private func write(_ opcode: WebSocketOpcode, _ data: ByteBuffer) {
        let frame = WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
        channel.writeAndFlush(frame, promise: nil)
    }

    /// Opens a WebSocket to `url` (ws://host:port/path?query) on `eventLoop`.
    static func connect(
        to url: BenchURL, index: Int, on eventLoop: any EventLoop, maxFrameSize: Int = 64 << 20
    ) -> EventLoopFuture<BenchSocket> {
        let upgraded = eventLoop.makePromise(of: BenchSocket.self)
        let bootstrap = ClientBootstrap(group: eventLoop)
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .channelInitializer { channel in
                let upgrader = NIOWebSocketClientUpgrader(maxFrameSize: maxFrameSize) { channel, _ in
                    channel.eventLoop.makeCompletedFuture {
                        let socket = BenchSocket(channel: channel, index: index)
                        try channel.pipeline.syncOperations.addHandler(FrameHandler(socket: socket))
                        upgraded.succeed(socket)
                    }
                }
                let upgrade: NIOHTTPClientUpgradeSendableConfiguration = (
                    upgraders: [upgrader], completionHandler: { _ in }
                )
                return channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHTTPClientHandlers(
                        leftOverBytesStrategy: .forwardBytes, withClientUpgrade: upgrade)
                    try channel.pipeline.syncOperations.addHandler(UpgradeRequest(url: url, failure: upgraded))
                }
            }
        bootstrap.connect(host: url.host, port: url.port).whenFailure { upgraded.fail($0) }
        return upgraded.futureResult
    }
}

/// A `ws://` address split into what the client needs.
package struct BenchURL: Sendable, Equatable {
    package var host: String
    package var port: Int
    /// Path and query, starting with "/".
    package var target: String

    /// Parses `ws://host:port/path?query`; nil for anything else.
    package init?(_ text: String) {
        guard text.hasPrefix("ws://") else { return nil }
        let rest = text.dropFirst(5)
        let authority = rest.prefix { $0 != "/" && $0 != "?" }
        var target = String(rest.dropFirst(authority.count))
        if !target.hasPrefix("/") { target = "/" + target }
        guard let colon = authority.lastIndex(of: ":"), let port = Int(authority[authority.index(after: colon)...]),
            (1...65535).contains(port)
        else { return nil }
        host = String(authority[..<colon])
        self.port = port
        self.target = target
        guard !host.isEmpty else { return nil }
    }

    /// The same server at another path and query.
    package func with(target: String) -> BenchURL {
        var url = self
        url.target = target
        return url
    }
}

/// Sends the HTTP upgrade request once the TCP connection is up; a refused upgrade arrives as an
/// error from the upgrade handler. It reads nothing itself: after the upgrade, frames pass through.
private final class UpgradeRequest: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = NIOAny
    typealias OutboundOut = HTTPClientRequestPart

    let url: BenchURL
    let failure: EventLoopPromise<BenchSocket>

    init(url: BenchURL, failure: EventLoopPromise<BenchSocket>) {
        self.url = url
        self.failure = failure
    }

    func channelActive(context: ChannelHandlerContext) {
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: "\(url.host):\(url.port)")
        headers.add(name: "Content-Length", value: "0")
        let head = HTTPRequestHead(version: .http1_1, method: .GET, uri: url.target, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.writeAndFlush(wrapOutboundOut(.end(nil)), promise: nil)
    }

    func errorCaught(context: ChannelHandlerContext, error: any Error) {
        failure.fail(BenchError.upgradeRefused(String(describing: error)))
        context.close(promise: nil)
    }
}

/// Reassembles messages, answers pings, and hands messages to the socket's delegate.
private final class FrameHandler: ChannelInboundHandler {
    typealias InboundIn = WebSocketFrame
    typealias OutboundOut = WebSocketFrame

    let socket: BenchSocket
    private var partial: ByteBuffer?

    init(socket: BenchSocket) {
        self.socket = socket
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let frame = unwrapInboundIn(data)
        switch frame.opcode {
        case .text, .binary, .continuation:
            var data = frame.unmaskedData
            if frame.opcode != .continuation { partial = nil }
            if !frame.fin || partial != nil {
                if partial == nil { partial = data } else { partial?.writeBuffer(&data) }
                guard frame.fin, let whole = partial else { return }
                partial = nil
                socket.delegate?.received(whole, on: socket)
            } else {
                socket.delegate?.received(data, on: socket)
            }
        case .ping:
            let pong = WebSocketFrame(fin: true, opcode: .pong, maskKey: .random(), data: frame.unmaskedData)
            context.writeAndFlush(wrapOutboundOut(pong), promise: nil)
        case .connectionClose:
            context.close(promise: nil)
        default:
            break
        }
    }

    func channelInactive(context: ChannelHandlerContext) {
        socket.delegate?.closed(socket)
    }
}

/// Why a benchmark could not run.
package enum BenchError: Error, CustomStringConvertible, Equatable {
    case upgradeRefused(String)
    case badURL(String)
    case protocolError(String)
    case timeout(String)

    package var description: String {
        switch self {
        case .upgradeRefused(let why): "the server refused the WebSocket upgrade (\(why))"
        case .badURL(let url): "not a ws://host:port/path URL: \(url)"
        case .protocolError(let what): "unexpected answer from the server: \(what)"
        case .timeout(let what): "timed out: \(what)"
        }
    }
}
