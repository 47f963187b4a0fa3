import NIOCore

/// Sits in front of the reply decoder while STARTTLS is answered: passes the server's reply to
/// STARTTLS and withholds every plaintext byte after it.
///
/// Bytes after that reply and before the TLS handshake cannot come from an honest server, which
/// waits for the handshake; a man in the middle sends them so that the client reads them as
/// answers over TLS (response injection). The client removes the guard once the reply is in, and
/// refuses to go on if `injected` is set, before the TLS handler takes over.
final class STARTTLSGuard: ChannelInboundHandler, RemovableChannelHandler {
    typealias InboundIn = ByteBuffer
    typealias InboundOut = ByteBuffer

    /// Whether bytes came after the reply.
    private(set) var injected = false
    /// The reply's last line (`ddd text`) has been passed on.
    private var replyEnded = false
    /// Bytes of the reply's current line, up to its fourth (enough to tell `ddd-` from `ddd `).
    private var lineStart: [UInt8] = []

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        guard !replyEnded else {
            if buffer.readableBytes > 0 { injected = true }
            return
        }
        let bytes = buffer.readableBytesView
        var end: Int? = nil
        for (offset, byte) in bytes.enumerated() {
            if byte == UInt8(ascii: "\n") {
                let last = lineStart.count < 4 || lineStart[3] != UInt8(ascii: "-")
                lineStart = []
                if last {
                    end = offset + 1
                    break
                }
            } else if lineStart.count < 4 {
                lineStart.append(byte)
            }
        }
        guard let end else { return context.fireChannelRead(data) }
        replyEnded = true
        if end < bytes.count { injected = true }
        context.fireChannelRead(wrapInboundOut(buffer.getSlice(at: buffer.readerIndex, length: end)!))
    }
}
