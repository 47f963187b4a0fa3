import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import TandemCore

/// `WireConnection` over a Hummingbird WebSocket writer.
struct WebSocketWireConnection: WireConnection {
    let outbound: WebSocketOutboundWriter
    let channel: any Channel

    func abort() {
        channel.close(promise: nil)
    }

    func send(_ frame: WireFrame) async throws {
        switch frame {
        case .text(let text): try await outbound.write(.text(text))
        case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
        }
    }

    func close(code: UInt16, reason: String) async throws {
        try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
    }
}

extension WebSocketInboundStream {
    /// Whole messages as wire frames, each at most `maxSize` bytes (larger ones close with 1009).
    func wireFrames(maxSize: Int) -> some AsyncSequence<WireFrame, any Error> {
        messages(maxSize: maxSize).map { message -> WireFrame in
            switch message {
            case .text(let text): .text(text)
            case .binary(let buffer): .binary(Array(buffer.readableBytesView))
            }
        }
    }
}
