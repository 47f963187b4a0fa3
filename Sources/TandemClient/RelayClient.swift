import Foundation
import Logging
import WSClient

/// A connection to a Tandem relay (Hone protocol) that loses nothing across disconnects.
///
/// `send` returns once the server has stored the message, with its room seq. Unacknowledged
/// messages wait in an outbox and are resent with the same ids after every reconnect, so each is
/// stored once however often the network fails. `events` yields incoming messages exactly once and
/// in seq order: on rejoin the client asks for everything after the last seq it delivered.
public actor RelayClient {
    private struct Pending {
        let id: String
        let frame: String
        var waiters: [CheckedContinuation<UInt64, any Error>]
    }

    public nonisolated let events: AsyncStream<RelayEvent>
    private let eventSink: AsyncStream<RelayEvent>.Continuation
    private let configuration: RelayClientConfiguration
    private let logger: Logger

    /// The highest room seq delivered to `events`.
    public private(set) var lastSeq: UInt64
    /// The room epoch `lastSeq` belongs to.
    public private(set) var epoch: String?
    /// Messages the server sent at or below `lastSeq`, which were not passed on. Always 0 against a
    /// correct server; counted so tests and monitoring can prove it.
    public private(set) var duplicatesIgnored = 0
    private var outbox: [Pending] = []
    private var writer: AsyncStream<String>.Continuation?
    private var joined = false
    private var runTask: Task<Void, Never>?
    private var stopped = false

    public init(configuration: RelayClientConfiguration, logger: Logger = Logger(label: "tandem.client")) {
        self.configuration = configuration
        self.logger = logger
        self.lastSeq = configuration.lastSeq
        self.epoch = configuration.epoch
        (events, eventSink) = AsyncStream.makeStream(bufferingPolicy: .unbounded)
    }

    /// Connects, and keeps reconnecting with backoff until `stop()` or a rejection.
    public func start() {
        guard runTask == nil, !stopped else { return }
        runTask = Task { await self.run() }
    }

    /// Disconnects for good. Messages not yet acknowledged fail with `.stopped`.
    public func stop() async {
        stopped = true
        writer?.finish()
        runTask?.cancel()
        await runTask?.value
        finish(with: nil)
    }

    /// Sends a message and returns its room seq once the server has stored it.
    /// - Parameters:
    ///   - payloadJSON: the payload as JSON text (any JSON value).
    ///   - id: the message id; a fresh one by default. Reuse an id only to retry the same message.
    public func send(payloadJSON: String, to recipient: RelayRecipient = .broadcast, id: String = UUID().uuidString)
        async throws -> UInt64
    {
        guard !stopped else { throw RelayClientError.stopped }
        guard ClientFrames.isValidJSON(payloadJSON) else { throw RelayClientError.invalidPayload }
        return try await withCheckedThrowingContinuation { continuation in
            if let index = outbox.firstIndex(where: { $0.id == id }) {
                outbox[index].waiters.append(continuation)
                return
            }
            let frame = ClientFrames.message(
                from: configuration.device, to: recipient, room: configuration.room, id: id, payloadJSON: payloadJSON)
            outbox.append(Pending(id: id, frame: frame, waiters: [continuation]))
            if joined { writer?.yield(frame) }
        }
    }

    /// Sends an `Encodable` payload; see `send(payloadJSON:to:id:)`.
    public func send<Payload: Encodable>(
        _ payload: Payload, to recipient: RelayRecipient = .broadcast, id: String = UUID().uuidString
    ) async throws -> UInt64 {
        let data = try JSONEncoder().encode(payload)
        return try await send(payloadJSON: String(decoding: data, as: UTF8.self), to: recipient, id: id)
    }

    /// Number of messages sent but not yet acknowledged.
    public var unacknowledgedCount: Int { outbox.count }

    /// Closes the current connection (as a network change would); the client reconnects and
    /// resends what was not acknowledged.
    public func reconnect() {
        writer?.finish()
    }

    // MARK: - Connection loop

    private func run() async {
        var failures = 0
        while !stopped, !Task.isCancelled {
            let (closeCode, reason, wasJoined) = await connectOnce()
            joined = false
            writer = nil
            if stopped || Task.isCancelled { break }
            if let closeCode, Self.isFinal(closeCode) {
                finish(with: .rejected(closeCode: closeCode, reason: reason ?? ""))
                return
            }
            failures = wasJoined ? 0 : failures + 1
            let delay = configuration.backoff.delay(attempt: failures)
            eventSink.yield(.disconnected(closeCode: closeCode, retryIn: delay))
            try? await Task.sleep(for: delay)
        }
    }

    /// Close codes after which retrying cannot help.
    private static func isFinal(_ code: Int) -> Bool {
        [4400, 4401, 4403, 4409].contains(code)
    }

    private func connectOnce() async -> (closeCode: Int?, reason: String?, joined: Bool) {
        let (frames, writer) = AsyncStream<String>.makeStream()
        self.writer = writer
        writer.yield(ClientFrames.join(configuration, lastSeq: lastSeq, epoch: epoch))
        do {
            let close = try await WebSocketClient.connect(
                url: configuration.url, configuration: .init(maxFrameSize: configuration.maxFrameBytes),
                logger: logger
            ) { inbound, outbound, _ in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        for await frame in frames { try await outbound.write(.text(frame)) }
                        // The writer was finished: reconnect() or stop(). End this connection.
                        try await outbound.close(.normalClosure, reason: nil)
                    }
                    for try await message in inbound.messages(maxSize: self.configuration.maxFrameBytes) {
                        if case .text(let text) = message { await self.receive(text) }
                    }
                    group.cancelAll()
                }
            }
            writer.finish()
            return (close.map { Int(UInt16(webSocketErrorCode: $0.closeCode)) }, close?.reason, joined)
        } catch {
            writer.finish()
            logger.debug("connection failed", metadata: ["error": "\(error)"])
            return (nil, nil, joined)
        }
    }

    /// Handles one frame from the server.
    private func receive(_ text: String) {
        switch ClientFrames.decode(text) {
        case .joined(let info, let resync):
            if resync {
                lastSeq = 0
                eventSink.yield(.resyncRequired(epoch: info.epoch))
            }
            epoch = info.epoch
            joined = true
            eventSink.yield(.joined(info))
            // Resend everything unacknowledged, oldest first, with the same ids.
            for pending in outbox { writer?.yield(pending.frame) }
        case .message(let message):
            deliver(message)
        case .deltas(let messages):
            for message in messages { deliver(message) }
        case .ack(let id, let seq):
            guard let index = outbox.firstIndex(where: { $0.id == id }) else { break }
            let pending = outbox.remove(at: index)
            for waiter in pending.waiters { waiter.resume(returning: seq) }
        case .error(let code, let message, let id):
            handleError(code: code, message: message, id: id)
        case .peerJoined(let device):
            eventSink.yield(.peerJoined(device: device))
        case .peerLeft(let device):
            eventSink.yield(.peerLeft(device: device))
        case .host(let host):
            eventSink.yield(.hostChanged(host: host))
        case .unknown:
            logger.debug("unrecognised frame", metadata: ["frame": "\(text.prefix(200))"])
        }
    }

    private func deliver(_ message: RelayMessage) {
        // Never deliver a seq twice, whatever the server sends.
        guard message.seq > lastSeq else {
            duplicatesIgnored += 1
            return
        }
        lastSeq = message.seq
        eventSink.yield(.message(message))
    }

    private func handleError(code: String, message: String, id: String?) {
        guard let id, let index = outbox.firstIndex(where: { $0.id == id }) else {
            eventSink.yield(.serverError(code: code, message: message))
            return
        }
        if code == "rate_limited" {
            // Try the same message again shortly; it keeps its place in the outbox.
            let frame = outbox[index].frame
            Task {
                try? await Task.sleep(for: .milliseconds(250))
                self.resend(id: id, frame: frame)
            }
            return
        }
        let pending = outbox.remove(at: index)
        for waiter in pending.waiters {
            waiter.resume(throwing: RelayClientError.refused(code: code, message: message))
        }
    }

    private func resend(id: String, frame: String) {
        guard joined, outbox.contains(where: { $0.id == id }) else { return }
        writer?.yield(frame)
    }

    private func finish(with error: RelayClientError?) {
        stopped = true
        let pending = outbox
        outbox = []
        for entry in pending {
            for waiter in entry.waiters { waiter.resume(throwing: error ?? .stopped) }
        }
        eventSink.yield(.stopped(error))
        eventSink.finish()
    }
}
