public import Foundation
public import Logging

/// A connection to a Tandem relay (Hone protocol) that loses nothing across disconnects.
///
/// `send` returns once the server has stored the message, with its room seq. Unacknowledged
/// messages wait in an outbox and are resent with the same ids after every reconnect, so each is
/// stored once however often the network fails; with `init(configuration:outboxFile:logger:)` the
/// outbox is also kept in a file, so they survive the app being killed. `events` yields incoming
/// messages exactly once and in seq order: on rejoin the client asks for everything after the last
/// seq it delivered.
public actor RelayClient {
    private struct Pending {
        let id: String
        let frame: String
        var waiters: [CheckedContinuation<UInt64, any Error>]
    }

    /// What happens on the connection, for one reader; a reader that falls behind by
    /// `eventBufferLimit` events holds the connection back instead of losing any (see `RelayEventStream`).
    public nonisolated let events: RelayEventStream
    /// Ids of the messages the outbox file held when the client was created, oldest first: sent by
    /// an earlier client and not acknowledged. They are resent after the first join;
    /// `acknowledgement(of:)` reports what became of each.
    public nonisolated let restoredIDs: [String]
    private let eventBuffer: EventBuffer
    private let configuration: RelayClientConfiguration
    private let logger: Logger
    private let file: OutboxFile?
    private var restoredOutcomes: [String: Result<UInt64, RelayClientError>] = [:]
    private let restoredSet: Set<String>

    /// The highest room seq passed to `events` (it may still wait in the buffer for the reader).
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

    /// A client whose outbox lives in memory: unacknowledged messages are lost if the app exits.
    public init(configuration: RelayClientConfiguration, logger: Logger = Logger(label: "tandem.client")) {
        self.init(configuration: configuration, logger: logger, file: nil, restored: [])
    }

    /// A client whose outbox is persisted in `outboxFile` (created if missing): every message is
    /// written and fsynced there before it is sent, and removed once acknowledged. Messages left by
    /// an earlier client on the same file are resent, in order and with their ids, after joining.
    /// Open one client per file at a time.
    /// - Throws: `RelayClientError.outbox` if the file cannot be read or written.
    public init(
        configuration: RelayClientConfiguration, outboxFile: URL, logger: Logger = Logger(label: "tandem.client")
    ) throws(RelayClientError) {
        let (file, entries, dropped) = try OutboxFile.open(outboxFile)
        if dropped > 0 {
            logger.warning(
                "outbox: dropped damaged records", metadata: ["file": "\(outboxFile.path)", "records": "\(dropped)"])
        }
        self.init(configuration: configuration, logger: logger, file: file, restored: entries)
    }

    private init(
        configuration: RelayClientConfiguration, logger: Logger, file: OutboxFile?, restored: [OutboxFile.Entry]
    ) {
        self.configuration = configuration
        self.logger = logger
        self.lastSeq = configuration.lastSeq
        self.epoch = configuration.epoch
        self.file = file
        self.outbox = restored.map { Pending(id: $0.id, frame: $0.frame, waiters: []) }
        self.restoredIDs = restored.map(\.id)
        self.restoredSet = Set(restoredIDs)
        eventBuffer = EventBuffer(limit: configuration.eventBufferLimit)
        events = RelayEventStream(buffer: eventBuffer)
    }

    /// Connects, and keeps reconnecting with backoff until `stop()` or a rejection.
    public func start() {
        guard runTask == nil, !stopped else { return }
        runTask = Task { await self.run() }
    }

    /// Disconnects for good. Messages not yet acknowledged fail with `.stopped` (a persisted outbox
    /// keeps them for the next client); `.stopped(nil)` is the last event.
    public func stop() async {
        finish(with: nil)
        writer?.finish()
        runTask?.cancel()
        await runTask?.value
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
            do {
                try file?.append(OutboxFile.Entry(id: id, frame: frame))
            } catch {
                continuation.resume(throwing: error)
                return
            }
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

    /// The room seq of a pending or restored message, once the server has stored it; meant for the
    /// messages in `restoredIDs`, which no `send` call waits for.
    /// - Throws: `RelayClientError.refused` if the server refused it, `.stopped`, or
    ///   `.unknownMessage` for an id that is neither pending nor restored.
    public func acknowledgement(of id: String) async throws -> UInt64 {
        if let outcome = restoredOutcomes[id] { return try outcome.get() }
        guard !stopped else { throw RelayClientError.stopped }
        return try await withCheckedThrowingContinuation { continuation in
            guard let index = outbox.firstIndex(where: { $0.id == id }) else {
                continuation.resume(throwing: RelayClientError.unknownMessage(id: id))
                return
            }
            outbox[index].waiters.append(continuation)
        }
    }

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
            _ = await eventBuffer.put(.disconnected(closeCode: closeCode, retryIn: delay))
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
        let options = ClientWebSocket.Options(
            maxMessageBytes: configuration.maxFrameBytes, handshakeTimeout: configuration.handshakeTimeout,
            pingInterval: configuration.pingInterval)
        do {
            let closure = try await ClientWebSocket.run(url: configuration.url, options: options, outgoing: frames) {
                await self.receive($0)
            }
            writer.finish()
            return (closure.code, closure.reason, joined)
        } catch {
            writer.finish()
            logger.debug("connection failed", metadata: ["error": "\(error)"])
            return (nil, nil, joined)
        }
    }

    /// Handles one frame from the server. While the events buffer is full this waits, and the
    /// connection is not read meanwhile: the server holds further frames back.
    private func receive(_ text: String) async {
        switch ClientFrames.decode(text) {
        case .joined(let info, let resync):
            if resync { lastSeq = 0 }
            epoch = info.epoch
            joined = true
            // Resend everything unacknowledged, oldest first, with the same ids.
            for pending in outbox { writer?.yield(pending.frame) }
            if resync { _ = await eventBuffer.put(.resyncRequired(epoch: info.epoch)) }
            _ = await eventBuffer.put(.joined(info))
        case .message(let message):
            await deliver(message)
        case .deltas(let messages):
            for message in messages { await deliver(message) }
        case .ack(let id, let seq):
            guard let index = outbox.firstIndex(where: { $0.id == id }) else { break }
            complete(at: index, with: .success(seq))
        case .error(let code, let message, let id):
            await handleError(code: code, message: message, id: id)
        case .peerJoined(let device):
            _ = await eventBuffer.put(.peerJoined(device: device))
        case .peerLeft(let device):
            _ = await eventBuffer.put(.peerLeft(device: device))
        case .host(let host):
            _ = await eventBuffer.put(.hostChanged(host: host))
        case .unknown:
            logger.debug("unrecognised frame", metadata: ["frame": "\(text.prefix(200))"])
        }
    }

    private func deliver(_ message: RelayMessage) async {
        // Never deliver a seq twice, whatever the server sends.
        guard message.seq > lastSeq else {
            duplicatesIgnored += 1
            return
        }
        // Not accepted (the client stopped, or nobody reads events): the seq counts as not delivered.
        if await eventBuffer.put(.message(message)) { lastSeq = message.seq }
    }

    /// Takes a message out of the outbox (and its file) and tells whoever waits for it.
    private func complete(at index: Int, with result: Result<UInt64, RelayClientError>) {
        let pending = outbox.remove(at: index)
        if restoredSet.contains(pending.id) { restoredOutcomes[pending.id] = result }
        for waiter in pending.waiters { waiter.resume(with: result.mapError { $0 as any Error }) }
        do {
            try file?.remove(pending.id) { outbox.map { OutboxFile.Entry(id: $0.id, frame: $0.frame) } }
        } catch {
            // The message would be resent by the next client on the file; the server recognises its id.
            logger.warning("outbox: could not record an acknowledgement", metadata: ["error": "\(error)"])
        }
    }

    private func handleError(code: String, message: String, id: String?) async {
        guard let id, let index = outbox.firstIndex(where: { $0.id == id }) else {
            _ = await eventBuffer.put(.serverError(code: code, message: message))
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
        complete(at: index, with: .failure(.refused(code: code, message: message)))
    }

    private func resend(id: String, frame: String) {
        guard joined, outbox.contains(where: { $0.id == id }) else { return }
        writer?.yield(frame)
    }

    /// Fails what waits for an acknowledgement (the file keeps the messages) and ends `events`.
    private func finish(with error: RelayClientError?) {
        stopped = true
        let pending = outbox
        outbox = []
        for entry in pending {
            if restoredSet.contains(entry.id) { restoredOutcomes[entry.id] = .failure(error ?? .stopped) }
            for waiter in entry.waiters { waiter.resume(throwing: error ?? .stopped) }
        }
        eventBuffer.close(with: .stopped(error))
    }
}
