import Foundation
import HummingbirdWSClient
import Logging
import NIOCore
import NIOSSL
import NIOWebSocket

/// A WebSocket client for tests: send text, await the next message with a deadline, observe the
/// server's close code.
final class TestSocket: Sendable {
    enum Command: Sendable {
        case text(String)
        case binary([UInt8])
        /// Any frame, as built (say, a fragment, or text that is not UTF-8).
        case frame(WebSocketFrame)
        case close
    }

    private let received = Mailbox<String>()
    private let binaries = Mailbox<[UInt8]>()
    private let commands = Mailbox<Command>()
    private let closeFrames = Mailbox<WebSocketCloseFrame?>()
    private let task: Task<Void, Never>

    private init(url: String, tls: TLSConfiguration?, ready: Mailbox<Void>) {
        let received = self.received, binaries = self.binaries, commands = self.commands
        let closeFrames = self.closeFrames
        var logger = Logger(label: "test-client")
        logger.logLevel = .critical
        task = Task {
            let frame = try? await WebSocketClient.connect(
                url: url, configuration: .init(maxFrameSize: 8 << 20), tlsConfiguration: tls, logger: logger
            ) { inbound, outbound, _ in
                ready.put(())
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        while let command = try? await commands.next(timeout: .seconds(3600)) {
                            switch command {
                            case .text(let text): try await outbound.write(.text(text))
                            case .binary(let bytes): try await outbound.write(.binary(ByteBuffer(bytes: bytes)))
                            case .frame(let frame): try await outbound.write(.custom(frame))
                            case .close:
                                try await outbound.close(.normalClosure, reason: nil)
                                return
                            }
                        }
                    }
                    for try await message in inbound.messages(maxSize: 64 << 20) {
                        switch message {
                        case .text(let text): received.put(text)
                        case .binary(let buffer): binaries.put(Array(buffer.readableBytesView))
                        }
                    }
                    group.cancelAll()
                }
            }
            received.finish()
            binaries.finish()
            closeFrames.put(frame)
            ready.finish()
        }
    }

    /// Opens a connection and waits until the WebSocket handshake completes; `tls` for `wss://`.
    static func connect(_ url: String, tls: TLSConfiguration? = nil) async throws -> TestSocket {
        let ready = Mailbox<Void>()
        let socket = TestSocket(url: url, tls: tls, ready: ready)
        guard try await ready.next() != nil else { throw Timeout(description: "could not connect to \(url)") }
        return socket
    }

    func send(_ text: String) { commands.put(.text(text)) }

    func send(json object: [String: Any]) {
        let data = try! JSONSerialization.data(withJSONObject: object)
        send(String(decoding: data, as: UTF8.self))
    }

    func sendBinary(_ bytes: [UInt8]) { commands.put(.binary(bytes)) }

    /// Sends one frame as given: `fin` false starts or continues a fragmented message.
    func sendFrame(_ opcode: WebSocketOpcode, _ bytes: [UInt8], fin: Bool = true) {
        commands.put(.frame(WebSocketFrame(fin: fin, opcode: opcode, data: ByteBuffer(bytes: bytes))))
    }

    /// The next text message as a JSON object.
    func next(timeout: Duration = .seconds(10)) async throws -> [String: Any] {
        guard let text = try await received.next(timeout: timeout) else {
            throw Timeout(description: "connection closed while waiting for a message")
        }
        guard let object = try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] else {
            throw Timeout(description: "not a JSON object: \(text)")
        }
        return object
    }

    /// The next text message as it arrived; nil once the connection has closed.
    func nextText(timeout: Duration = .seconds(10)) async throws -> String? {
        try await received.next(timeout: timeout)
    }

    /// The next binary message.
    func nextBinary(timeout: Duration = .seconds(10)) async throws -> [UInt8] {
        guard let bytes = try await binaries.next(timeout: timeout) else {
            throw Timeout(description: "connection closed while waiting for a binary message")
        }
        return bytes
    }

    /// The binary message arriving within `window`, if any.
    func binaryWithin(_ window: Duration = .milliseconds(300)) async throws -> [UInt8]? {
        do {
            return try await binaries.next(timeout: window)
        } catch is Timeout {
            return nil
        }
    }

    /// Fails if a message arrives within `window`.
    func expectSilence(for window: Duration = .milliseconds(300)) async throws -> String? {
        do {
            return try await received.next(timeout: window)
        } catch is Timeout {
            return nil
        }
    }

    /// Waits for the server to close the connection; returns its close code and reason.
    func closed(timeout: Duration = .seconds(10)) async throws -> (code: Int, reason: String?) {
        while try await received.next(timeout: timeout) != nil {}
        guard let frame = try await closeFrames.next(timeout: timeout), let frame else {
            return (1006, nil)
        }
        let code = Int(UInt16(webSocketErrorCode: frame.closeCode))
        return (code, frame.reason)
    }

    /// Closes from the client side and waits (at most 10 s) for the close handshake.
    func close() async {
        commands.put(.close)
        let task = self.task
        let watchdog = Task {
            try await Task.sleep(for: .seconds(10))
            task.cancel()
        }
        _ = await task.value
        watchdog.cancel()
    }
}
