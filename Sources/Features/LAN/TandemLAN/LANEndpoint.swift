import Foundation
package import Logging
package import TandemConnection
import TandemMerge

/// JotBunker's LAN sync protocol as an adapter: an X25519 key exchange, an encrypted handshake with the pairing
/// secret, then lists synced by three-way merge against the server's state and jots collected one way.
///
/// The server plays the computer: after a good handshake it sends its state (`state_sync`) as JotBunker's
/// "SYNC NOW" does; the phone answers with its own, and the merge result comes back as `sync_confirm`.
package struct LANEndpoint: Sendable {
    package let coordinator: SyncCoordinator
    package let store: any LANStore
    package let secret: PairingSecret
    package let settings: LANSettings
    let jots: JotCollector
    let connections = PairedPhones()
    let logger: Logger
    let now: @Sendable () -> Int64

    package init(
        store: any LANStore, secret: PairingSecret, settings: LANSettings, files: JotFileStore, logger: Logger,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.store = store
        self.secret = secret
        self.settings = settings
        self.logger = logger
        self.now = now
        self.coordinator = SyncCoordinator(
            store: store, policy: settings.policy, timeout: settings.decisionTimeout, logger: logger, now: now)
        self.jots = JotCollector(
            store: store, files: files, maxFileBytes: settings.maxFileBytes, logger: logger, now: now)
    }

    /// The phones' sockets, closed with 1001 at shutdown.
    package let runner = ConnectionRunner()

    /// Sends `request` to `device`'s connection, as a computer's user would; false if it is not connected.
    package func send(_ request: JotRequest, to device: String) -> Bool {
        guard let peer = connections.peer(for: device) else { return false }
        switch request {
        case .refresh: peer.send(.jotRefreshRequest)
        case .download(let jotIds): peer.send(.jotDownloadRequest(jotIds: jotIds))
        case .clear(let jotIds): peer.send(.jotClearRequest(jotIds: jotIds))
        }
        return true
    }

    /// Serves one socket until it closes.
    package func serve<Inbound: AsyncSequence>(inbound: Inbound, connection: some WireConnection) async
    where Inbound.Element == WireFrame {
        let queue = OutboundQueue(maxBytes: settings.maxOutboundBytes)
        let deadline = Task { [settings] in
            try await Task.sleep(for: settings.handshakeTimeout)
            queue.close(LANClose.handshakeTimeout)
        }
        var phone = PhoneConnection(endpoint: self, queue: queue, handshakeDeadline: deadline)
        var frames = inbound.makeAsyncIterator()
        await runner.run(connection, queue: queue, reading: &frames, session: &phone)
    }

    /// Records the device, replaces its older connection and starts a sync.
    func accept(_ peer: LANPeer) async {
        connections.pair(peer)?.close(LANClose.replaced)
        do {
            try await store.pair(device: peer.device, at: now())
        } catch {
            logger.error("cannot record the paired device", metadata: ["error": "\(error)"])
        }
        logger.info("phone paired", metadata: ["device": "\(peer.device)"])
        await coordinator.offerState(to: peer)
    }

    func handle(_ message: LANInbound, from peer: LANPeer) async {
        do {
            switch message {
            case .stateSync(let sync): await coordinator.sync(sync.state, from: peer)
            case .syncRequest: await coordinator.offerState(to: peer)
            case .heartbeat: peer.send(.heartbeat)
            case .debugLog(let lines):
                for line in lines { logger.info("phone: \(line)", metadata: ["device": "\(peer.device)"]) }
            case .jotManifest(let manifest): try await jots.handle(manifest, from: peer)
            case .jotMetaResponse(let response): try await jots.handle([response.jot], from: peer)
            case .jotRefreshResponse(let response): try await jots.handle(response.jots, from: peer)
            case .fileResponse(let response): try await jots.handle(response, from: peer)
            case .jotDownloadResponse(let response): try await jots.handle(response, from: peer)
            case .jotClearAck(let cleared): logger.info("phone cleared jots", metadata: ["jots": "\(cleared)"])
            case .other(let type): logger.debug("ignored message", metadata: ["type": "\(type)"])
            case .keyInit, .handshake: break  // refused by the session before they get here
            }
        } catch {
            logger.error("jot storage failed", metadata: ["device": "\(peer.device)", "error": "\(error)"])
        }
    }

    static func plaintext(_ message: LANOutbound) -> String {
        String(decoding: (try? JSONEncoder().encode(message)) ?? Data(), as: UTF8.self)
    }

}

extension Logger {
    func with(device: String) -> Logger {
        var logger = self
        logger[metadataKey: "device"] = "\(device)"
        return logger
    }
}

extension LANEndpoint {
    /// The `LANStore` setting that keeps a generated pairing secret.
    package static let secretSetting = "lan.pairing.secret"
}
