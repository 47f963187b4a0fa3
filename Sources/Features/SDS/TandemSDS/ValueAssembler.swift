/// Reassembles one connection's VALUE_CHUNK sequences into whole values, within bounds.
///
/// Chunks are keyed by hash and may arrive in any order; a repeated index replaces the earlier
/// piece. A sequence whose announced size passes `maxValueBytes`, or that disagrees with itself
/// about its chunk count, is abandoned. At most `maxOpenValues` sequences are held at once; a
/// new one beyond that abandons the oldest.
struct ValueAssembler {
    struct Value: Equatable {
        let hash: [UInt8]
        let bytes: [UInt8]
    }

    enum Outcome: Equatable {
        case incomplete
        case complete(Value)
        /// The sequence was dropped (too large or inconsistent); its chunks are still relayed.
        case abandoned
    }

    private struct Assembly {
        let total: UInt32
        var pieces: [UInt32: ArraySlice<UInt8>] = [:]
        var bytes = 0
    }

    let maxValueBytes: Int
    let maxOpenValues: Int
    private var open: [[UInt8]: Assembly] = [:]
    private var order: [[UInt8]] = []
    /// Hashes given up on, so their later chunks are not collected again.
    private var abandoned: Set<[UInt8]> = []

    init(maxValueBytes: Int, maxOpenValues: Int = 4) {
        self.maxValueBytes = maxValueBytes
        self.maxOpenValues = max(1, maxOpenValues)
    }

    /// Bytes held in unfinished sequences.
    var heldBytes: Int { open.values.reduce(0) { $0 + $1.bytes } }

    /// Adds the chunk `frame` (a whole VALUE_CHUNK frame whose header is already validated).
    mutating func add(_ frame: [UInt8], hash: [UInt8], index: UInt32, total: UInt32) -> Outcome {
        guard !abandoned.contains(hash) else { return .abandoned }
        let piece = frame[SDSFrame.chunkHeaderLength...]
        var assembly = open[hash] ?? Assembly(total: total)
        if open[hash] == nil {
            if order.count >= maxOpenValues, let oldest = order.first { drop(oldest) }
            order.append(hash)
        }
        guard assembly.total == total, Int(total) <= maxValueBytes else { return abandon(hash) }
        assembly.bytes += piece.count - (assembly.pieces[index]?.count ?? 0)
        assembly.pieces[index] = piece
        guard assembly.bytes <= maxValueBytes else { return abandon(hash) }
        guard assembly.pieces.count == Int(total) else {
            open[hash] = assembly
            return .incomplete
        }
        drop(hash)
        var bytes: [UInt8] = []
        bytes.reserveCapacity(assembly.bytes)
        for index in 0..<total {
            if let piece = assembly.pieces[index] { bytes += piece }
        }
        return .complete(Value(hash: hash, bytes: bytes))
    }

    private mutating func abandon(_ hash: [UInt8]) -> Outcome {
        drop(hash)
        abandoned.insert(hash)
        if abandoned.count > 64 { abandoned.removeAll() }
        return .abandoned
    }

    private mutating func drop(_ hash: [UInt8]) {
        open[hash] = nil
        order.removeAll { $0 == hash }
    }
}
