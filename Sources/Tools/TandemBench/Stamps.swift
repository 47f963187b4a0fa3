import NIOCore

/// The timestamps benchmark payloads carry: `t=<µs>;` for measured messages, `w=<µs>;` for
/// warm-up ones, read back wherever they appear in what a connection receives (inside Hone JSON,
/// nats MSG bodies, SDS binary frames, replay pages, acknowledgement ids).
package enum Stamps {
    /// Microseconds on a monotonic clock shared by every connection of the process.
    package static func now() -> UInt64 { NIODeadline.now().uptimeNanoseconds / 1000 }

    /// A payload of at least `size` bytes carrying `micros`.
    package static func payload(micros: UInt64, measured: Bool, size: Int) -> String {
        let stamp = (measured ? "t=" : "w=") + String(micros) + ";"
        return stamp.count >= size ? stamp : stamp + String(repeating: "x", count: size - stamp.count)
    }

    /// Calls `measured` with every `t=` stamp and `warmup` with every `w=` stamp in `bytes`.
    package static func scan(
        _ bytes: some Collection<UInt8>, measured: (UInt64) -> Void, warmup: (UInt64) -> Void = { _ in }
    ) {
        var iterator = bytes.makeIterator()
        var previous: UInt8 = 0
        while let byte = iterator.next() {
            defer { previous = byte }
            guard byte == UInt8(ascii: "="), previous == UInt8(ascii: "t") || previous == UInt8(ascii: "w") else {
                continue
            }
            var value: UInt64 = 0
            var digits = 0
            var terminated = false
            while let digit = iterator.next() {
                if digit == UInt8(ascii: ";") {
                    terminated = true
                    break
                }
                guard digit >= UInt8(ascii: "0"), digit <= UInt8(ascii: "9"), digits < 19 else { break }
                value = value * 10 + UInt64(digit - UInt8(ascii: "0"))
                digits += 1
            }
            if terminated && digits > 0 {
                previous == UInt8(ascii: "t") ? measured(value) : warmup(value)
            }
            previous = 0
        }
    }
}
