/// TinyBase's hybrid logical clock stamps: 16 characters of a 64-symbol alphabet — 42 bits of
/// milliseconds since 1970, a 24-bit counter and a 30-bit client id — whose byte order is their
/// time order.
package enum HLC {
    /// The alphabet; a character's index is its digit value. It is in ASCII order.
    package static let alphabet = Array("-0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ_abcdefghijklmnopqrstuvwxyz".utf8)
    /// How far ahead of the local clock a stamp may be (5 minutes) before it is refused.
    package static let maxFutureMilliseconds: Int64 = 5 * 60 * 1000
    package static let counterLimit: Int64 = 1 << 24

    private static let digitValues: [Int8] = {
        var table = [Int8](repeating: -1, count: 128)
        for (index, character) in alphabet.enumerated() { table[Int(character)] = Int8(index) }
        return table
    }()

    /// `count` characters for the low `6 × count` bits of `value`, most significant first.
    static func encode(_ value: Int64, count: Int) -> String {
        var characters = [UInt8](repeating: 0, count: count)
        for position in 0..<count {
            let shift = Int64(6 * (count - 1 - position))
            characters[position] = alphabet[Int((value >> shift) & 63)]
        }
        return String(decoding: characters, as: UTF8.self)
    }

    /// The stamp for a time, counter and 5-character client id.
    package static func encode(time: Int64, counter: Int64, clientID: String) -> String {
        encode(time, count: 7) + encode(counter, count: 4) + clientID
    }

    /// A client id made from a unique id: the low 30 bits of its FNV-1a hash.
    package static func clientID(uniqueID: String) -> String {
        encode(Int64(FNV1a.hash(uniqueID)), count: 5)
    }

    /// True for a well-formed 16-character stamp.
    package static func isWellFormed(_ hlc: String) -> Bool {
        let bytes = hlc.utf8
        guard bytes.count == 16 else { return false }
        return bytes.allSatisfy { $0 < 128 && digitValues[Int($0)] >= 0 }
    }

    /// Time, counter and client id of a well-formed stamp.
    package static func decode(_ hlc: String) -> (time: Int64, counter: Int64, clientID: String)? {
        guard isWellFormed(hlc) else { return nil }
        let digits = hlc.utf8.map { Int64(digitValues[Int($0)]) }
        let time = digits[0..<7].reduce(0) { $0 << 6 | $1 }
        let counter = digits[7..<11].reduce(0) { $0 << 6 | $1 }
        return (time, counter, String(hlc.suffix(5)))
    }

    /// TinyBase's acceptance rule: empty, or well-formed and at most `maxTime` milliseconds.
    package static func isAcceptable(_ hlc: String, maxTime: Int64) -> Bool {
        if hlc.isEmpty { return true }
        guard let decoded = decode(hlc) else { return false }
        return decoded.time <= maxTime
    }
}

/// One peer's clock: hands out increasing stamps and moves past every stamp it has seen.
package struct HLCClock: Sendable {
    package let clientID: String
    package private(set) var lastTime: Int64 = 0
    package private(set) var lastCounter: Int64 = -1

    package init(uniqueID: String) {
        clientID = HLC.clientID(uniqueID: uniqueID)
    }

    /// The next stamp, later than every stamp made or seen before.
    package mutating func next(now: Int64) -> String {
        seen(nil, now: now)
        lastCounter += 1
        if lastCounter == HLC.counterLimit {
            lastTime += 1
            lastCounter = 0
        }
        return HLC.encode(time: lastTime, counter: lastCounter, clientID: clientID)
    }

    /// Moves the clock past a remote stamp (nil or empty: past the wall clock only). Malformed
    /// stamps and stamps more than five minutes ahead of `now` are ignored.
    package mutating func seen(_ remote: String?, now: Int64) {
        var remoteTime: Int64 = 0
        var remoteCounter: Int64 = 0
        if let remote, !remote.isEmpty {
            guard let decoded = HLC.decode(remote), decoded.time <= now + HLC.maxFutureMilliseconds else { return }
            remoteTime = decoded.time
            remoteCounter = decoded.counter
        }
        let previousTime = lastTime
        lastTime = max(previousTime, remoteTime, now)
        if lastTime == previousTime {
            if lastTime == remoteTime { lastCounter = max(lastCounter, remoteCounter) }
        } else {
            lastCounter = lastTime == remoteTime ? remoteCounter : -1
        }
    }
}
