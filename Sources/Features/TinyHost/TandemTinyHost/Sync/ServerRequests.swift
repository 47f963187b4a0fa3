import TandemTinyBase

/// Requests the server sends to its clients (to pull their changes) and their answers.
struct ServerRequests {
    struct Pending {
        let client: Int
        let continuation: CheckedContinuation<JSONValue?, Never>
    }

    private var pending: [String: Pending] = [:]

    /// Registers a request; its continuation is resumed by `resolve`, `expire` or `dropAll(client:)`.
    mutating func add(id: String, client: Int, continuation: CheckedContinuation<JSONValue?, Never>) {
        pending[id] = Pending(client: client, continuation: continuation)
    }

    /// A client's response; ignored unless it answers an open request sent to that client.
    mutating func resolve(id: String, from client: Int, body: JSONValue) {
        guard let entry = pending[id], entry.client == client else { return }
        pending[id] = nil
        entry.continuation.resume(returning: body)
    }

    mutating func expire(id: String) {
        pending.removeValue(forKey: id)?.continuation.resume(returning: nil)
    }

    mutating func dropAll(client: Int) {
        for (id, entry) in pending where entry.client == client {
            pending[id] = nil
            entry.continuation.resume(returning: nil)
        }
    }
}

/// Ids as TinyBase v5.4+ makes them: 11-character transaction ids, `tx.rand4` request ids.
enum SyncIDs {
    static func random(_ count: Int) -> String {
        var generator = SystemRandomNumberGenerator()
        return String(
            decoding: (0..<count).map { _ in HLC.alphabet[Int(generator.next() % 64)] }, as: UTF8.self)
    }

    static func transaction() -> String { random(11) }

    static func request(in transaction: String) -> String { transaction + "." + random(4) }
}
