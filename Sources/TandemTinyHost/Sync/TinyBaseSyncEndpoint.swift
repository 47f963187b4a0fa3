import Logging
import TandemCore
import TandemTinyBase

/// Serves TinyBase WebSocket synchronizers: frames in TinyBase's legacy framing, the server as
/// peer `S`, one shared store per user.
public struct TinyBaseSyncEndpoint: Sendable {
    public let hub: TinyBaseSyncHub
    private let logger: Logger

    /// Close codes, as TinyBase v9.3+ peers use them.
    public enum Close {
        public static let malformed = CloseReason(code: 1007, reason: "tinybase:14")
        /// Over `maxMessageBytes`: the client falls back to manual sync.
        public static let tooLarge = CloseReason(code: 1009, reason: "Message too large: use manual sync")
        public static let overflow = CloseReason(code: 1013, reason: "tinybase:15:fragments")
        public static let storeFull = CloseReason(code: 1013, reason: "too many connections to this store")
        public static let unavailable = CloseReason(code: 1011, reason: "store unavailable")
    }

    public init(hub: TinyBaseSyncHub, logger: Logger) {
        self.hub = hub
        self.logger = logger
    }

    /// Serves one authenticated socket of the user whose store is `storeName`, until it closes.
    public func serve<Inbound: AsyncSequence>(storeName: String, inbound: Inbound, connection: some WireConnection)
        async where Inbound.Element == WireFrame
    {
        let settings = hub.settings
        let client = await hub.newClientID()
        let queue = OutboundQueue(maxBytes: settings.maxOutboundBytes)
        let store: SyncedStore
        do {
            store = try await hub.acquire(storeName)
        } catch {
            logger.error(
                "TinyBase store could not be opened", metadata: ["store": "\(storeName)", "error": "\(error)"])
            try? await connection.close(code: Close.unavailable.code, reason: Close.unavailable.reason)
            return
        }
        guard await store.attach(client, queue: queue) else {
            try? await connection.close(code: Close.storeFull.code, reason: Close.storeFull.reason)
            await hub.release(storeName)
            return
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask { try? await queue.write(to: connection) }
            group.addTask { await queue.dropWhenClosed(connection) }
            await read(inbound, from: client, into: store, queue: queue)
            _ = await store.detach(client)
            queue.finish()
            group.cancelAll()
        }
        await hub.release(storeName)
    }

    private func read<Inbound: AsyncSequence>(
        _ inbound: Inbound, from client: Int, into store: SyncedStore, queue: OutboundQueue
    ) async where Inbound.Element == WireFrame {
        var decoder = PayloadDecoder()
        var frames = inbound.makeAsyncIterator()
        while let frame = try? await frames.next() {
            guard !queue.isClosed else { continue }
            guard frame.byteCount <= hub.settings.maxMessageBytes else {
                queue.close(Close.tooLarge)
                continue
            }
            guard case .text(let text) = frame else {
                queue.close(Close.malformed)
                continue
            }
            let decoded: PayloadDecoder.Decoded?
            do {
                decoded = try decoder.decode(text)
            } catch {
                logger.debug("refused TinyBase frame", metadata: ["why": "\(error)"])
                queue.close(error == .overflow ? Close.overflow : Close.malformed)
                continue
            }
            if let decoded { await store.receive(decoded, from: client) }
        }
    }
}
