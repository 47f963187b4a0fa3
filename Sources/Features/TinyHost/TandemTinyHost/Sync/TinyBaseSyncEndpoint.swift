package import Logging
package import TandemConnection
import TandemTinyBase

/// Serves TinyBase WebSocket synchronizers: frames in TinyBase's legacy framing, the server as
/// peer `S`, one shared store per user.
package struct TinyBaseSyncEndpoint: Sendable {
    package let hub: TinyBaseSyncHub
    /// The users' sockets, closed with 1001 at shutdown.
    package let runner = ConnectionRunner()
    private let logger: Logger

    /// Close codes, as TinyBase v9.3+ peers use them.
    package enum Close {
        package static let malformed = CloseReason(code: 1007, reason: "tinybase:14")
        /// Over `maxMessageBytes`: the client falls back to manual sync.
        package static let tooLarge = CloseReason(code: 1009, reason: "Message too large: use manual sync")
        package static let overflow = CloseReason(code: 1013, reason: "tinybase:15:fragments")
        package static let storeFull = CloseReason(code: 1013, reason: "too many connections to this store")
        package static let unavailable = CloseReason(code: 1011, reason: "store unavailable")
    }

    package init(hub: TinyBaseSyncHub, logger: Logger) {
        self.hub = hub
        self.logger = logger
    }

    /// Serves one authenticated socket of the user whose store is `storeName`, until it closes.
    package func serve<Inbound: AsyncSequence>(storeName: String, inbound: Inbound, connection: some WireConnection)
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
        var session = TinyBaseConnection(
            client: client, store: store, queue: queue, maxMessageBytes: settings.maxMessageBytes, logger: logger)
        var frames = inbound.makeAsyncIterator()
        await runner.run(connection, queue: queue, reading: &frames, session: &session)
        await hub.release(storeName)
    }
}

/// One TinyBase socket as the endpoint's runner drives it: frames decoded into the user's store.
struct TinyBaseConnection: ConnectionSession {
    let client: Int
    let store: SyncedStore
    let queue: OutboundQueue
    let maxMessageBytes: Int
    let logger: Logger
    private var decoder = PayloadDecoder()

    init(client: Int, store: SyncedStore, queue: OutboundQueue, maxMessageBytes: Int, logger: Logger) {
        self.client = client
        self.store = store
        self.queue = queue
        self.maxMessageBytes = maxMessageBytes
        self.logger = logger
    }

    mutating func receive(_ frame: WireFrame) async {
        typealias Close = TinyBaseSyncEndpoint.Close
        guard frame.byteCount <= maxMessageBytes else { return queue.close(Close.tooLarge) }
        guard case .text(let text) = frame else { return queue.close(Close.malformed) }
        let decoded: PayloadDecoder.Decoded?
        do {
            decoded = try decoder.decode(text)
        } catch {
            logger.debug("refused TinyBase frame", metadata: ["why": "\(error)"])
            return queue.close(error == .overflow ? Close.overflow : Close.malformed)
        }
        if let decoded { await store.receive(decoded, from: client) }
    }

    func ended() async { _ = await store.detach(client) }
}
