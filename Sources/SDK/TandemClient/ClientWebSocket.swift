import Foundation
import Logging
import NIOCore
import NIOHTTP1
import NIOPosix
import NIOSSL
import NIOWebSocket
import Synchronization

/// One WebSocket connection of the SDK, on a SwiftNIO channel with NIOWebSocket's codec.
///
/// Every wait is bounded, because a reconnecting client that waits forever loses the user's data
/// as surely as one that drops it: the TCP connect and the HTTP upgrade share `handshakeTimeout`; a
/// server that closes during the upgrade fails it at once (input half-closure is off, so end of
/// stream closes the channel); a server that answers no ping for a whole `pingInterval` is dropped;
/// and our close waits at most `closeTimeout` for the server's.
enum ClientWebSocket {
    struct Options: Sendable {
        /// Largest message (all its fragments together) accepted from the server.
        var maxMessageBytes: Int
        var handshakeTimeout: Duration
        /// nil sends no pings (the server's pings are still answered).
        var pingInterval: Duration?
        var closeTimeout: Duration = .seconds(5)
    }

    /// The server's close frame; `code` is nil when the connection ended without one.
    struct Closure: Sendable, Equatable {
        var code: Int?
        var reason: String?
    }

    /// Connects to `url` (ws:// or wss://), sends every text of `outgoing` and hands each text
    /// message from the server to `received`, which may suspend: the socket is not read meanwhile.
    /// When `outgoing` finishes the connection is closed with 1000.
    /// - Returns: how the server closed the connection.
    /// - Throws: `ClientWebSocketError`, or the channel's error when connecting or reading fails.
    static func run(
        url: String, options: Options, outgoing: AsyncStream<String>,
        received: @escaping @Sendable (String) async -> Void
    ) async throws -> Closure {
        let target = try Target(url)
        let upgrade = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connectTimeout(TimeAmount(options.handshakeTimeout))
            .channelOption(.tcpOption(.tcp_nodelay), value: 1)
            .connect(host: target.host, port: target.port) { channel in
                channel.eventLoop.makeCompletedFuture { try configure(channel, for: target, options: options) }
            }
        switch try await upgrade.get() {
        case .refused:
            throw ClientWebSocketError.upgradeRefused
        case .upgraded(let channel):
            return try await converse(on: channel, options: options, outgoing: outgoing, received: received)
        }
    }

    private enum Upgrade: Sendable {
        case upgraded(NIOAsyncChannel<WebSocketFrame, WebSocketFrame>)
        case refused
    }

    private static func configure(
        _ channel: any Channel, for target: Target, options: Options
    ) throws -> EventLoopFuture<Upgrade> {
        let pipeline = channel.pipeline.syncOperations
        if target.tls {
            let context = try NIOSSLContext(configuration: .makeClientConfiguration())
            let name = target.host.isIPAddress ? nil : target.host
            try pipeline.addHandler(NIOSSLClientHandler(context: context, serverHostname: name))
        }
        let upgrader = NIOTypedWebSocketClientUpgrader<Upgrade>(maxFrameSize: options.maxMessageBytes) { channel, _ in
            channel.eventLoop.makeCompletedFuture {
                try channel.pipeline.syncOperations.addHandler(
                    NIOWebSocketFrameAggregator(
                        minNonFinalFragmentSize: 0, maxAccumulatedFrameCount: .max,
                        maxAccumulatedFrameSize: options.maxMessageBytes))
                return .upgraded(try NIOAsyncChannel(wrappingChannelSynchronously: channel))
            }
        }
        var headers = HTTPHeaders()
        headers.add(name: "Host", value: target.hostHeader)
        let request = HTTPRequestHead(version: .http1_1, method: .GET, uri: target.requestURI, headers: headers)
        var configuration = NIOUpgradableHTTPClientPipelineConfiguration(
            upgradeConfiguration: NIOTypedHTTPClientUpgradeConfiguration(
                upgradeRequestHead: request, upgraders: [upgrader],
                notUpgradingCompletionHandler: { channel in
                    channel.close(promise: nil)
                    return channel.eventLoop.makeSucceededFuture(.refused)
                }))
        configuration.leftOverBytesStrategy = .forwardBytes
        let upgraded = try pipeline.configureUpgradableHTTPClientPipeline(configuration: configuration)
        let deadline = channel.eventLoop.scheduleTask(in: TimeAmount(options.handshakeTimeout)) {
            channel.close(promise: nil)
        }
        upgraded.whenComplete { _ in deadline.cancel() }
        return upgraded
    }

    private static func converse(
        on channel: NIOAsyncChannel<WebSocketFrame, WebSocketFrame>, options: Options, outgoing: AsyncStream<String>,
        received: @escaping @Sendable (String) async -> Void
    ) async throws -> Closure {
        let state = ConnectionState()
        let raw = channel.channel
        return try await channel.executeThenClose { inbound, outbound in
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    for await text in outgoing {
                        try await outbound.write(.client(.text, raw.allocator.buffer(string: text)))
                    }
                    if state.markCloseSent() { try await outbound.write(.close(code: 1000, allocator: raw.allocator)) }
                    try await Task.sleep(for: options.closeTimeout)
                    raw.close(promise: nil)
                }
                if let interval = options.pingInterval {
                    group.addTask {
                        while true {
                            try await Task.sleep(for: interval)
                            // Nothing at all arrived since the last ping: the server is gone.
                            guard state.takeHeard() else { return raw.close(promise: nil) }
                            raw.writeAndFlush(
                                WebSocketFrame.client(.ping, raw.allocator.buffer(capacity: 0)), promise: nil)
                        }
                    }
                }
                defer { group.cancelAll() }
                do {
                    return try await read(inbound, on: raw, state: state, received: received)
                } catch let error as NIOWebSocketFrameAggregator.Error {
                    let code = error == .accumulatedFrameSizeIsTooLarge ? 1009 : 1002
                    await state.sendCloseOnce(code, on: raw)
                    throw error
                }
            }
        }
    }

    private static func read(
        _ inbound: NIOAsyncChannelInboundStream<WebSocketFrame>, on channel: any Channel, state: ConnectionState,
        received: @Sendable (String) async -> Void
    ) async throws -> Closure {
        for try await frame in inbound {
            state.heard()
            switch frame.opcode {
            case .text:
                guard let text = String(validating: frame.unmaskedData.readableBytesView, as: UTF8.self) else {
                    await state.sendCloseOnce(1007, on: channel)
                    throw ClientWebSocketError.invalidUTF8
                }
                await received(text)
            case .ping:
                channel.writeAndFlush(WebSocketFrame.client(.pong, frame.unmaskedData), promise: nil)
            case .connectionClose:
                var data = frame.unmaskedData
                let code = data.readInteger(as: UInt16.self).map(Int.init)
                await state.sendCloseOnce(code ?? 1000, on: channel)
                return Closure(code: code, reason: code == nil ? nil : data.readString(length: data.readableBytes))
            default:
                break  // binary and pong frames carry nothing for this client
            }
        }
        return Closure(code: nil, reason: nil)
    }
}

/// Why the SDK's WebSocket connection failed.
enum ClientWebSocketError: Error, Equatable {
    case invalidURL(String)
    /// The server answered the upgrade request with something other than 101.
    case upgradeRefused
    /// A text message from the server was not UTF-8 (the connection was closed with 1007).
    case invalidUTF8
}

/// Which side has sent its close frame, and whether the server was heard since the last ping.
private final class ConnectionState: Sendable {
    private let closeSent = Atomic<Bool>(false)
    private let heardSincePing = Atomic<Bool>(true)

    /// True for the first caller only: that caller sends the one close frame.
    func markCloseSent() -> Bool {
        closeSent.compareExchange(expected: false, desired: true, ordering: .relaxed).exchanged
    }

    /// Sends a close frame with `code` on `channel`, unless one was sent already.
    func sendCloseOnce(_ code: Int, on channel: any Channel) async {
        guard markCloseSent() else { return }
        try? await channel.writeAndFlush(WebSocketFrame.close(code: code, allocator: channel.allocator))
    }

    func heard() { heardSincePing.store(true, ordering: .relaxed) }

    /// Whether anything arrived since the previous call.
    func takeHeard() -> Bool { heardSincePing.exchange(false, ordering: .relaxed) }
}

extension WebSocketFrame {
    /// A client frame, masked as RFC 6455 requires.
    fileprivate static func client(_ opcode: WebSocketOpcode, _ data: ByteBuffer) -> WebSocketFrame {
        WebSocketFrame(fin: true, opcode: opcode, maskKey: .random(), data: data)
    }

    fileprivate static func close(code: Int, allocator: ByteBufferAllocator) -> WebSocketFrame {
        var data = allocator.buffer(capacity: 2)
        data.writeInteger(UInt16(code))
        return .client(.connectionClose, data)
    }
}

/// What a ws:// or wss:// URL asks the client to connect to.
private struct Target {
    let host: String
    let port: Int
    let tls: Bool
    /// Path and query of the upgrade request.
    let requestURI: String
    let hostHeader: String

    init(_ url: String) throws(ClientWebSocketError) {
        guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
            scheme == "ws" || scheme == "wss", let host = components.host, !host.isEmpty
        else { throw .invalidURL(url) }
        self.host = host
        tls = scheme == "wss"
        port = components.port ?? (tls ? 443 : 80)
        let path = components.percentEncodedPath.isEmpty ? "/" : components.percentEncodedPath
        requestURI = path + (components.percentEncodedQuery.map { "?\($0)" } ?? "")
        let bracketed = host.contains(":") ? "[\(host)]" : host
        hostHeader = components.port == nil ? bracketed : "\(bracketed):\(port)"
    }
}

extension String {
    fileprivate var isIPAddress: Bool {
        (try? SocketAddress(ipAddress: self, port: 0)) != nil
    }
}
