import HummingbirdWebSocket
import NIOCore
import NIOWebSocket
import Synchronization
import TandemConnection

/// `WireConnection` over a Hummingbird WebSocket channel.
///
/// Data frames are written to the channel directly, on its event loop, so a connection's queued
/// frames go out in one loop turn with one flush; Hummingbird's outbound writer keeps the control
/// frames (pong, close). A close is only sent after every data frame before it was written.
struct WebSocketWireConnection: WireConnection {
    let outbound: WebSocketOutboundWriter
    let channel: any Channel

    func abort() {
        channel.close(promise: nil)
    }

    /// Writes and flushes `frame`; returns once it is written to the socket, so a peer that does
    /// not read holds the sender back.
    func send(_ frame: WireFrame) async throws {
        try await channel.writeAndFlush(Self.webSocketFrame(frame, allocator: channel.allocator)).get()
    }

    func stream(_ queue: OutboundQueue) async throws -> CloseReason? {
        let writer = ChannelQueueWriter(channel: channel, queue: queue)
        channel.eventLoop.execute { writer.drain() }
        return try await writer.done.futureResult.get()
    }

    func close(code: UInt16, reason: String) async throws {
        try await outbound.close(WebSocketErrorCode(codeNumber: Int(code)), reason: reason)
    }

    static func webSocketFrame(_ frame: WireFrame, allocator: ByteBufferAllocator) -> WebSocketFrame {
        switch frame {
        case .text(let text): WebSocketFrame(fin: true, opcode: .text, data: allocator.buffer(string: text))
        case .binary(let bytes): WebSocketFrame(fin: true, opcode: .binary, data: allocator.buffer(bytes: bytes))
        }
    }
}

/// Moves one connection's outbound queue onto its channel from the channel's event loop: each time
/// items are queued, one loop turn writes all of them and flushes once. While the socket is not
/// writable nothing more is taken (the queue's byte bound then closes a peer that stopped reading).
/// `drain` runs only on the event loop, and only one drain is pending at a time.
private final class ChannelQueueWriter: Sendable {
    let channel: any Channel
    let queue: OutboundQueue
    /// Succeeds with the queue's close reason (nil: the queue finished); fails when the channel closed.
    let done: EventLoopPromise<CloseReason?>

    init(channel: any Channel, queue: OutboundQueue) {
        self.channel = channel
        self.queue = queue
        self.done = channel.eventLoop.makePromise()
    }

    /// Writes one batch, then waits for the next: for more items, the socket, or the queue's end.
    /// One batch per loop task, so a busy connection cannot starve the others on its event loop.
    func drain() {
        channel.eventLoop.preconditionInEventLoop()
        guard channel.isActive else { return done.fail(ChannelError.ioOnClosedChannel) }
        guard let batch = queue.takeReady(maxBytes: OutboundQueue.writeBatchBytes) else {
            return done.succeed(nil)
        }
        if !batch.isEmpty {
            var closing: CloseReason?
            var frames: [WebSocketFrame] = []
            frames.reserveCapacity(batch.count)
            for item in batch {
                switch item {
                case .frame(let frame):
                    frames.append(WebSocketWireConnection.webSocketFrame(frame, allocator: channel.allocator))
                case .close(let reason): closing = reason
                }
            }
            let lastWritten = frames.isEmpty ? nil : channel.eventLoop.makePromise(of: Void.self)
            for (index, frame) in frames.enumerated() {
                channel.write(frame, promise: index == frames.count - 1 ? lastWritten : nil)
            }
            channel.flush()
            if let closing { return done.succeed(closing) }
            if let lastWritten, !channel.isWritable {
                // Continue once the socket took this batch (or failed: then the channel is closed).
                return lastWritten.futureResult.whenComplete { _ in self.drain() }
            }
        }
        let eventLoop = channel.eventLoop
        queue.whenReady { eventLoop.execute { self.drain() } }
    }
}

extension WebSocketInboundStream {
    /// Hands `serve` this socket's whole messages as wire frames, each at most `maxSize` bytes.
    /// A message the stream refuses (a continuation with nothing to continue, text that is not
    /// UTF-8, fragments past `maxSize`) ends the frames, and its error is thrown once `serve`
    /// returns, so the socket closes with the matching code (1002, 1007, 1009) instead of 1000.
    func wireFrames(maxSize: Int, _ serve: (InboundWireFrames) async -> Void) async throws {
        let frames = InboundWireFrames(messages: messages(maxSize: maxSize))
        await serve(frames)
        if let failure = frames.failure.withLock({ $0 }) { throw failure }
    }
}

/// A WebSocket's messages as wire frames; remembers the error that ended them.
final class InboundWireFrames: AsyncSequence, Sendable {
    let messages: WebSocketInboundMessageStream
    let failure = Mutex<(any Error)?>(nil)

    init(messages: WebSocketInboundMessageStream) {
        self.messages = messages
    }

    struct AsyncIterator: AsyncIteratorProtocol {
        var messages: WebSocketInboundMessageStream.AsyncIterator
        let frames: InboundWireFrames

        mutating func next() async throws -> WireFrame? {
            do {
                switch try await messages.next() {
                case .text(let text): return .text(text)
                case .binary(let buffer): return .binary(Array(buffer.readableBytesView))
                case nil: return nil
                }
            } catch {
                frames.failure.withLock { $0 = $0 ?? error }
                throw error
            }
        }
    }

    func makeAsyncIterator() -> AsyncIterator {
        AsyncIterator(messages: messages.makeAsyncIterator(), frames: self)
    }
}
