import Logging
import TandemConnection
import TandemRelay

/// The reading half of one SDS socket: limits, scope, framing checks and routing, a frame at a time.
///
/// PATCH frames go through the store's log; VALUE and reassembled VALUE_CHUNK frames become the
/// store's blobs (relayed at once, never through the log, and never a reason to drop a patch);
/// REQ_VALUE is answered from the blobs when the server has the value, else relayed.
struct SDSReader: ConnectionSession {
    let store: String
    let membership: Membership
    let queue: OutboundQueue
    let scope: SDSScope
    let settings: SDSSettings
    let blobs: any SDSBlobStore
    let logger: Logger
    private var pace: TokenBucket
    private var values: ValueAssembler

    init(
        store: String, membership: Membership, queue: OutboundQueue, scope: SDSScope, settings: SDSSettings,
        blobs: any SDSBlobStore, logger: Logger
    ) {
        self.store = store
        self.membership = membership
        self.queue = queue
        self.scope = scope
        self.settings = settings
        self.blobs = blobs
        self.logger = logger
        self.pace = TokenBucket(membership.relay.limits.rate, now: membership.relay.clock.now())
        self.values = ValueAssembler(maxValueBytes: settings.maxValueBytes)
    }

    func ended() async { membership.disconnected() }

    mutating func receive(_ frame: WireFrame) async {
        // SDS is binary only; text frames are ignored, as the original server did.
        guard case .binary(let bytes) = frame else { return }
        guard bytes.count <= settings.maxFrameBytes else { return queue.close(SDSClose.frameTooLarge) }
        // SDS has no error frame and its clients do not resend, so a fast client is slowed, never
        // refused: this socket is not read again until the rate allows (TCP pushes back).
        await pace.paced(by: membership.relay.clock)
        let parsed: SDSFrame
        switch SDSFrame.parse(bytes) {
        case .success(let frame): parsed = frame
        case .failure(let malformed):
            return logger.debug("frame dropped", metadata: ["why": "\(malformed)"])
        }
        if parsed.kind.writes && !scope.mayWrite {
            return logger.debug("write frame from read scope dropped", metadata: ["type": "\(parsed.kind)"])
        }
        do throws(SendError) {
            switch parsed {
            case .patch where settings.persists:
                _ = try membership.send(to: .broadcast, render: { _, _ in .binary(bytes) })
            case .value(let hash) where settings.persists:
                try membership.relayTransient(.binary(bytes))
                await keep(Array(bytes[SDSFrame.valueOffset...]), hash: hash)
            case .valueChunk(let hash, let index, let total) where settings.persists:
                try membership.relayTransient(.binary(bytes))
                switch values.add(bytes, hash: hash, index: index, total: total) {
                case .incomplete: break
                case .complete(let value): await keep(value.bytes, hash: value.hash)
                case .abandoned: refused(hash: hash, size: nil, why: "over sds.max.value.bytes or inconsistent chunks")
                }
            case .requestValue(let hash) where settings.persists:
                if await !answer(hash) { try membership.relayTransient(.binary(bytes)) }
            default:
                try membership.relayTransient(.binary(bytes))
            }
        } catch {
            logger.debug("frame not relayed", metadata: ["error": "\(error)"])
        }
    }

    /// Stores a value blob, or logs why it was not.
    private func keep(_ value: [UInt8], hash: [UInt8]) async {
        guard value.count <= settings.maxValueBytes else {
            return refused(hash: hash, size: value.count, why: "over sds.max.value.bytes")
        }
        do {
            try await blobs.put(store: store, hash: hash, bytes: value, maxStoreBytes: settings.maxStoreBytes)
        } catch SDSBlobError.storeFull {
            refused(hash: hash, size: value.count, why: "the store's blobs would pass sds.max.store.bytes")
        } catch {
            logger.error("value blob not stored", metadata: ["hash": "\(hash.lowercaseHex)", "error": "\(error)"])
        }
    }

    private func refused(hash: [UInt8], size: Int?, why: String) {
        logger.warning(
            "value blob relayed but not stored",
            metadata: ["hash": "\(hash.lowercaseHex)", "size": "\(size.map(String.init) ?? "?")", "why": "\(why)"])
    }

    /// Sends the stored blob as one VALUE frame, or as VALUE_CHUNKs when larger than a chunk,
    /// keeping pace with the socket; returns whether the server had it.
    private func answer(_ hash: [UInt8]) async -> Bool {
        let found: [UInt8]?
        do {
            found = try await blobs.blob(store: store, hash: hash)
        } catch {
            logger.error("value blob not read", metadata: ["hash": "\(hash.lowercaseHex)", "error": "\(error)"])
            return false
        }
        guard let value = found else { return false }
        guard value.count > SDSSettings.chunkBytes else {
            queue.send(.binary(SDSFrame.valueBytes(hash: hash, value: value)))
            return true
        }
        for chunk in SDSFrame.chunkBytes(hash: hash, value: value, chunkSize: SDSSettings.chunkBytes) {
            // Two chunks in flight at most: the answer never passes the slow-consumer bound.
            await queue.drained(below: SDSSettings.chunkBytes)
            guard !queue.isClosed else { break }
            queue.send(.binary(chunk))
        }
        return true
    }
}
