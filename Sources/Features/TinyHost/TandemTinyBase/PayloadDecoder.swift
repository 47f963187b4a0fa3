import Foundation

/// Turns one socket's text frames into messages: `<peer>\n<JSON>` whole, or reassembled from
/// fragments `<peer>\n<messageId>\n<index>\n<total>\n<chunk>` (TinyBase v9.0+, when a client is
/// made with a fragment size). Bounded: at most `maxBuffers` incomplete messages and `maxBufferedBytes`
/// held, at most 1,000 fragments a message, incomplete ones dropped after `fragmentTimeout`.
package struct PayloadDecoder: Sendable {
    package struct Decoded: Sendable, Equatable {
        package let peer: String
        package let requestID: String?
        package let message: SyncMessage
    }

    package enum Failure: Error, Sendable, Equatable {
        /// Not a protocol message (close 1007, `tinybase:14`).
        case malformed(String)
        /// Fragment limits passed (close 1013, `tinybase:15`).
        case overflow
    }

    package static let maxFragments = 1000
    package var maxBuffers = 100
    package var maxBufferedBytes = 16 * 1024 * 1024
    package var fragmentTimeout: Duration = .seconds(10)

    private struct Pending: Sendable {
        var chunks: [String?]
        var remaining: Int
        var bytes: Int
        let started: ContinuousClock.Instant
    }

    private var pending: [String: Pending] = [:]
    private var bufferedBytes = 0

    package init() {}

    /// The message a frame completes: nil while a fragmented message is incomplete.
    package mutating func decode(_ payload: String, now: ContinuousClock.Instant = .now) throws(Failure) -> Decoded? {
        dropExpired(now: now)
        guard let split = payload.firstIndex(of: "\n") else {
            throw .malformed("a frame must start with a peer id and a newline")
        }
        let peer = String(payload[..<split])
        let remainder = payload[payload.index(after: split)...]
        if let json = JSONValue.parse(remainder), json.arrayValue != nil {
            return try decoded(peer: peer, json: json)
        }
        guard let fragment = Fragment(remainder) else { throw .malformed("the frame is neither JSON nor a fragment") }
        return try add(fragment, peer: peer, now: now)
    }

    private func decoded(peer: String, json: JSONValue) throws(Failure) -> Decoded {
        do {
            let (requestID, message) = try SyncFrame.message(fromJSON: json)
            return Decoded(peer: peer, requestID: requestID, message: message)
        } catch {
            throw .malformed(error.reason)
        }
    }

    private mutating func add(_ fragment: Fragment, peer: String, now: ContinuousClock.Instant) throws(Failure)
        -> Decoded?
    {
        guard fragment.total <= Self.maxFragments else { throw .overflow }
        guard fragment.total > 0, fragment.index < fragment.total else {
            throw .malformed("fragment index out of range")
        }
        let key = peer + "\n" + fragment.messageID
        var entry =
            pending[key]
            ?? Pending(
                chunks: Array(repeating: nil, count: fragment.total), remaining: fragment.total, bytes: 0, started: now)
        if pending[key] == nil, pending.count >= maxBuffers { throw .overflow }
        guard entry.chunks.count == fragment.total, entry.chunks[fragment.index] == nil else {
            throw .malformed("fragment repeated or with a different total")
        }
        let size = fragment.chunk.utf8.count
        guard bufferedBytes + size <= maxBufferedBytes else { throw .overflow }
        entry.chunks[fragment.index] = fragment.chunk
        entry.remaining -= 1
        entry.bytes += size
        bufferedBytes += size
        guard entry.remaining == 0 else {
            pending[key] = entry
            return nil
        }
        pending[key] = nil
        bufferedBytes -= entry.bytes
        let whole = entry.chunks.map { $0! }.joined()
        guard let json = JSONValue.parse(Substring(whole)) else {
            throw .malformed("reassembled fragments are not JSON")
        }
        return try decoded(peer: peer, json: json)
    }

    private mutating func dropExpired(now: ContinuousClock.Instant) {
        guard !pending.isEmpty else { return }
        for (key, entry) in pending where now - entry.started > fragmentTimeout {
            pending[key] = nil
            bufferedBytes -= entry.bytes
        }
    }
}

/// `<messageId>\n<index>\n<total>\n<chunk>`.
private struct Fragment {
    let messageID: String
    let index: Int
    let total: Int
    let chunk: String

    init?(_ text: Substring) {
        let parts = text.split(separator: "\n", maxSplits: 3, omittingEmptySubsequences: false)
        guard parts.count == 4, !parts[0].isEmpty,
            parts[1].allSatisfy(\.isASCII) && parts[1].allSatisfy(\.isNumber),
            parts[2].allSatisfy(\.isASCII) && parts[2].allSatisfy(\.isNumber),
            let index = Int(parts[1]), let total = Int(parts[2])
        else { return nil }
        messageID = String(parts[0])
        self.index = index
        self.total = total
        chunk = String(parts[3])
    }
}
