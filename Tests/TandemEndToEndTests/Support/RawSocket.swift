import NIOCore
import NIOPosix

/// A plain TCP connection for tests that must send bytes no client library would (a request head
/// that never ends), and see when the server closes it.
struct RawSocket {
    let channel: any Channel
    private let received: Mailbox<String>

    init(port: Int) async throws {
        let received = Mailbox<String>()
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .channelInitializer { channel in
                channel.eventLoop.makeCompletedFuture {
                    try channel.pipeline.syncOperations.addHandler(Collector(received: received))
                }
            }
            .connect(host: "127.0.0.1", port: port).get()
        self.received = received
    }

    /// What the server sent next, as text; empty if nothing came within `timeout` or it closed.
    func readSome(within timeout: Duration) async -> String {
        ((try? await received.next(timeout: timeout)) ?? nil) ?? ""
    }

    private final class Collector: ChannelInboundHandler, Sendable {
        typealias InboundIn = ByteBuffer
        let received: Mailbox<String>
        init(received: Mailbox<String>) { self.received = received }

        func channelRead(context: ChannelHandlerContext, data: NIOAny) {
            received.put(String(buffer: unwrapInboundIn(data)))
        }

        func channelInactive(context: ChannelHandlerContext) {
            received.finish()
            context.fireChannelInactive()
        }
    }

    func write(_ text: String) async throws {
        try await channel.writeAndFlush(channel.allocator.buffer(string: text)).get()
    }

    /// Whether the server closed the connection within `timeout` (it is closed here either way).
    func closedByServer(within timeout: Duration) async -> Bool {
        let closed = channel.closeFuture
        return await withTaskGroup(of: Bool.self) { group in
            group.addTask { (try? await closed.get()) != nil }
            group.addTask {
                try? await Task.sleep(for: timeout)
                return false
            }
            let first = await group.next() ?? false
            group.cancelAll()
            try? await channel.close()
            return first
        }
    }
}
