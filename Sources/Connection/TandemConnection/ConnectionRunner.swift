import Synchronization

/// One connection's adapter state as a `ConnectionRunner` drives it: frames in, one at a time,
/// then the end. A transport could call these from its own thread just as well as the runner's
/// read loop does; nothing in a session assumes a task of its own.
public protocol ConnectionSession {
    /// Handles one inbound frame. Never called concurrently, and not once the connection's
    /// queue is closed (frames that arrive after a close are read and dropped).
    mutating func receive(_ frame: WireFrame) async
    /// The transport ended: leave rooms, release stores. Called once, after the last `receive`.
    mutating func ended() async
}

/// Runs the connections of one endpoint: for each, the writer, the close watcher and the read
/// loop, and their order at the end; for all of them, the drain at shutdown.
///
/// Every endpoint's connection has the same life. Its `OutboundQueue` is written to the socket
/// (after a prelude, such as a catch-up, written directly). When the server closes the queue
/// (replaced, too slow, revoked, shutdown) `onClose` runs at once and the transport is dropped
/// unless the peer answers the close within `OutboundQueue.closeGracePeriod`. The socket is read
/// until it ends, then the session ends and the queue is finished.
public final class ConnectionRunner: Sendable {
    private struct State {
        var queues: [ObjectIdentifier: OutboundQueue] = [:]
        var drainReason: CloseReason?
    }

    private let state = Mutex(State())

    public init() {}

    /// Connections whose transport has not ended yet.
    public var count: Int { state.withLock { $0.queues.count } }

    /// Serves one connection until its transport ends. Once the endpoint drains, a connection is
    /// closed as soon as it gets here, with the drain's reason.
    ///
    /// - Parameters:
    ///   - frames: the socket's frames; an adapter that read a first frame itself (a join)
    ///     passes the rest.
    ///   - prelude: written before anything queued, straight to the socket (a catch-up).
    ///   - onClose: runs once the queue is closed by the server, before its close frame is sent.
    public func run<Frames: AsyncIteratorProtocol, Session: ConnectionSession>(
        _ connection: some WireConnection, queue: OutboundQueue, reading frames: inout Frames,
        session: inout Session, prelude: @escaping @Sendable () async throws -> Void = {},
        onClose: @escaping @Sendable (CloseReason) -> Void = { _ in }
    ) async where Frames.Element == WireFrame {
        let key = ObjectIdentifier(queue)
        if let refusal = state.withLock({ state in
            if state.drainReason == nil { state.queues[key] = queue }
            return state.drainReason
        }) {
            queue.close(refusal)
        }
        await withTaskGroup(of: Void.self) { group in
            group.addTask {
                do {
                    try await prelude()
                    try await queue.write(to: connection)
                } catch {
                    // The socket is gone; the read loop sees the end of input.
                }
            }
            group.addTask { await queue.dropWhenClosed(connection, onClose: onClose) }
            while let frame = try? await frames.next() {
                guard !queue.isClosed else { continue }
                await session.receive(frame)
            }
            await session.ended()
            queue.finish()
            group.cancelAll()
        }
        _ = state.withLock { $0.queues.removeValue(forKey: key) }
    }

    /// Closes every open connection with `reason` (1001 at shutdown) and refuses new ones.
    public func drain(_ reason: CloseReason = .goingAway) {
        let queues = state.withLock { state in
            if state.drainReason == nil { state.drainReason = reason }
            return Array(state.queues.values)
        }
        for queue in queues { queue.close(reason) }
    }

    /// Returns once every connection's transport has ended, or at `deadline`: a closed
    /// connection's close frame is still on its way until then.
    public func closed(before deadline: ContinuousClock.Instant) async {
        while count > 0, ContinuousClock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
    }
}
