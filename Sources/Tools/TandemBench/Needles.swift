import NIOCore

/// Byte patterns the load generator looks for in what it receives, made once rather than per message.
enum Needles {
    static let joined = Array(#""type":"joined""#.utf8)
    static let ack = Array(#""type":"ack""#.utf8)
    static let error = Array(#""type":"error""#.utf8)
    static let natsPong = Array("PONG".utf8)
    static let natsPing = Array("PING\r\n".utf8)
    static let natsError = Array("-ERR".utf8)
}

extension ByteBuffer {
    /// Whether the readable bytes contain `needle`. A plain scan over the buffer's memory: the
    /// generic `firstRange(of:)` cost tens of microseconds per frame, enough to make the load
    /// generator the bottleneck.
    func contains(_ needle: [UInt8]) -> Bool {
        withUnsafeReadableBytes { haystack in
            guard let first = needle.first else { return true }
            guard needle.count <= haystack.count else { return false }
            var index = 0
            let last = haystack.count - needle.count
            while index <= last {
                if haystack[index] == first {
                    var offset = 1
                    while offset < needle.count, haystack[index + offset] == needle[offset] { offset += 1 }
                    if offset == needle.count { return true }
                }
                index += 1
            }
            return false
        }
    }
}
