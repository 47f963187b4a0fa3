import Foundation
import Hummingbird
import HummingbirdCore
import Logging
import NIOCore
import NIOHTTP1
import NIOSSL

/// A listener's connection setup behind its guard.
struct GuardedChannel<Inner: ServerChildChannel>: ServerChildChannel {
    let inner: Inner
    let `guard`: ListenerGuard
    let tls: TLSCertificates?

    func setup(channel: any Channel, logger: Logger) -> EventLoopFuture<Inner.Value> {
        let peer = channel.remoteAddress?.ipAddress
        // A trusted proxy's connection is admitted by the client its request head names.
        let admitAtHead = `guard`.admits && peer.map(`guard`.proxies.trusts) == true
        if `guard`.admits, let peer, !admitAtHead, let refusal = `guard`.admit(peer, until: channel) {
            channel.close(promise: nil)
            return channel.eventLoop.makeFailedFuture(refusal)
        }
        if let tls {
            do {
                try channel.pipeline.syncOperations.addHandler(NIOSSLServerHandler(context: tls.current))
            } catch {
                return channel.eventLoop.makeFailedFuture(error)
            }
        }
        return inner.setup(channel: channel, logger: logger).flatMapThrowing { value in
            let operations = channel.pipeline.syncOperations
            let decoder = try operations.handler(type: ByteToMessageHandler<HTTPRequestDecoder>.self)
            let deadline = HandshakeDeadline(
                timeout: `guard`.handshakeTimeout, admitting: admitAtHead ? (`guard`, peer ?? "") : nil)
            try operations.addHandler(deadline, position: .after(decoder))
            return value
        }
    }

    func handle(value: Inner.Value, logger: Logger) async {
        await inner.handle(value: value, logger: logger)
    }
}

/// Closes its connection unless the first HTTP request head arrives within `timeout`; once it has,
/// it leaves the pipeline (a WebSocket then has its join timeout and pings). For a trusted proxy's
/// connection it admits the client the head names; refused, the proxy gets 429 and the connection
/// is closed.
private final class HandshakeDeadline: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = HTTPServerRequestPart
    typealias InboundOut = HTTPServerRequestPart
    typealias OutboundOut = HTTPServerResponsePart

    let timeout: TimeAmount
    /// The guard and the proxy's address, when the client is admitted here.
    let admitting: (ListenerGuard, String)?
    private var deadline: Scheduled<Void>?

    init(timeout: TimeAmount, admitting: (ListenerGuard, String)?) {
        self.timeout = timeout
        self.admitting = admitting
    }

    func handlerAdded(context: ChannelHandlerContext) {
        let channel = context.channel
        deadline = context.eventLoop.scheduleTask(in: timeout) { channel.close(promise: nil) }
    }

    func handlerRemoved(context: ChannelHandlerContext) {
        deadline?.cancel()
        deadline = nil
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        guard case .head(let head) = unwrapInboundIn(data) else {
            return context.fireChannelRead(data)
        }
        if let (gate, proxy) = admitting {
            let client = gate.proxies.client(peer: proxy, headerValues: head.headers[gate.proxies.header.rawValue])
            if let refusal = gate.admit(client, until: context.channel) {
                deadline?.cancel()
                return refuse(refusal, version: head.version, context: context)
            }
        }
        context.fireChannelRead(data)
        deadline?.cancel()
        deadline = nil
        context.pipeline.syncOperations.removeHandler(context: context, promise: nil)
    }

    /// Answers 429 with a JSON error naming the limit, then closes.
    private func refuse(_ refusal: Refusal, version: HTTPVersion, context: ChannelHandlerContext) {
        let body =
            (try? JSONEncoder().encode(["error": "too_many_connections", "message": refusal.description]))
            .map { String(decoding: $0, as: UTF8.self) } ?? ""
        var headers = HTTPHeaders()
        headers.add(name: "Content-Type", value: "application/json")
        headers.add(name: "Content-Length", value: String(body.utf8.count))
        headers.add(name: "Retry-After", value: "1")
        headers.add(name: "Connection", value: "close")
        let head = HTTPResponseHead(version: version, status: .tooManyRequests, headers: headers)
        context.write(wrapOutboundOut(.head(head)), promise: nil)
        context.write(wrapOutboundOut(.body(.byteBuffer(context.channel.allocator.buffer(string: body)))), promise: nil)
        let channel = context.channel
        context.writeAndFlush(wrapOutboundOut(.end(nil))).whenComplete { _ in channel.close(promise: nil) }
    }
}
