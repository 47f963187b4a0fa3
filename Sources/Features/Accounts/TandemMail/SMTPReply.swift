import NIOCore

/// One SMTP reply: a three-digit code and its text lines (several for a multi-line reply).
package struct SMTPReply: Sendable, Equatable {
    package let code: Int
    package let lines: [String]

    package init(code: Int, lines: [String]) {
        self.code = code
        self.lines = lines
    }

    /// 2xx: the command succeeded.
    package var isPositive: Bool { (200..<300).contains(code) }
    /// 3xx: the server waits for more (DATA's body, an AUTH step).
    package var isIntermediate: Bool { (300..<400).contains(code) }

    /// The text, lines joined with spaces, for errors.
    package var text: String { lines.joined(separator: " ") }
}

/// Splits the server's byte stream into replies. A reply is one or more lines `ddd-text` ending
/// with a line `ddd text` (RFC 5321 §4.2); every line of a reply must carry the same code.
struct SMTPReplyDecoder: ByteToMessageDecoder {
    typealias InboundOut = SMTPReply

    /// Longest line accepted; RFC 5321 allows 512 octets, servers sometimes send more.
    static let maxLineLength = 4096

    private var pending: [String] = []
    private var pendingCode: Int?

    mutating func decode(context: ChannelHandlerContext, buffer: inout ByteBuffer) throws -> DecodingState {
        guard let newline = buffer.readableBytesView.firstIndex(of: UInt8(ascii: "\n")) else {
            if buffer.readableBytes > Self.maxLineLength { throw SMTPError.malformedReply("line too long") }
            return .needMoreData
        }
        let length = newline - buffer.readerIndex
        guard length <= Self.maxLineLength, var line = buffer.readString(length: length) else {
            throw SMTPError.malformedReply("line too long")
        }
        buffer.moveReaderIndex(forwardBy: 1)
        if line.hasSuffix("\r") { line.removeLast() }

        let bytes = Array(line.utf8)
        guard bytes.count >= 3, bytes[0..<3].allSatisfy({ (UInt8(ascii: "0")...UInt8(ascii: "9")).contains($0) }),
            let code = Int(String(decoding: bytes[0..<3], as: UTF8.self))
        else { throw SMTPError.malformedReply(line) }
        let separator: UInt8 = bytes.count > 3 ? bytes[3] : UInt8(ascii: " ")
        guard separator == UInt8(ascii: " ") || separator == UInt8(ascii: "-") else {
            throw SMTPError.malformedReply(line)
        }
        if let pendingCode, pendingCode != code { throw SMTPError.malformedReply(line) }
        pending.append(bytes.count > 4 ? String(decoding: bytes[4...], as: UTF8.self) : "")
        if separator == UInt8(ascii: "-") {
            pendingCode = code
        } else {
            context.fireChannelRead(wrapInboundOut(SMTPReply(code: code, lines: pending)))
            pending = []
            pendingCode = nil
        }
        return .continue
    }

    mutating func decodeLast(context: ChannelHandlerContext, buffer: inout ByteBuffer, seenEOF: Bool) throws
        -> DecodingState
    {
        while try decode(context: context, buffer: &buffer) == .continue {}
        return .needMoreData
    }
}
