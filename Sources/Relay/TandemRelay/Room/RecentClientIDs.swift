import TandemConnection

/// The client message ids one device used most recently in a room, with the seqs they got:
/// how retries are recognised. Holds at most `capacity` ids; older ones are forgotten first.
struct RecentClientIDs: Sendable {
    static let capacity = 1024

    private var seqs: [String: UInt64] = [:]
    private var order: [String] = []
    private var oldest = 0

    /// - Parameter newestFirst: ids from storage, newest first.
    init(newestFirst: [(id: String, seq: UInt64)] = []) {
        for entry in newestFirst.prefix(Self.capacity).reversed() { insert(entry.id, seq: entry.seq) }
    }

    func seq(for id: String) -> UInt64? { seqs[id] }

    mutating func insert(_ id: String, seq: UInt64) {
        guard seqs.updateValue(seq, forKey: id) == nil else { return }
        order.append(id)
        if order.count - oldest > Self.capacity {
            seqs[order[oldest]] = nil
            oldest += 1
            if oldest > Self.capacity {
                order.removeFirst(oldest)
                oldest = 0
            }
        }
    }
}
