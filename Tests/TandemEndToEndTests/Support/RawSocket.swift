import NIOCore
import NIOPosix

/// A plain TCP connection for tests that must send bytes no client library would (a request head
/// that never ends), and see when the server closes it.
struct RawSocket {
    let channel: any Channel

    init(port: Int) async throws {
        channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .connect(host: "127.0.0.1", port: port).get()
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
