import Synchronization
public import TandemConnection

/// The core of Tandem: the rooms of one server, their admission rules, limits and message log.
///
/// Wire adapters turn frames into calls on `Relay` and `Membership`; they never see each other.
public final class Relay: Sendable {
    private enum Slot {
        case loading(Task<Room, any Error>)
        case ready(Room)
    }

    private struct Registry {
        var rooms: [RoomID: Slot] = [:]
        var draining = false
        /// Devices revoked lately, with why and when (ms): a join admitted after the revocation
        /// is closed at once (see `revoke`).
        var revoked: [DeviceID: (reason: CloseReason, at: Int64)] = [:]
    }

    /// How long a revocation is remembered: longer than any join takes from its token check to
    /// its admission.
    static let revocationMemoryMillis: Int64 = 5 * 60 * 1000

    public let limits: RelayLimits
    let log: MessageLog
    public let clock: WallClock
    private let registry = Mutex(Registry())
    private let connectionCount = Atomic<Int>(0)
    private let openConnectionCount = Atomic<Int>(0)

    public init(limits: RelayLimits, log: MessageLog, clock: WallClock = .system) {
        self.limits = limits
        self.log = log
        self.clock = clock
    }

    /// Admits `device` to `room`, delivering its events to `outbox` from now on.
    ///
    /// - Parameters:
    ///   - resuming: the device will catch up from storage (it sent lastSeq), so its in-memory
    ///     offline buffer is not replayed.
    ///   - kind: how the room's log is shortened, should this join create it.
    ///   - holdsOfflineBuffer: whether messages are held for the device after it leaves; false
    ///     for connections that never come back under the same name, which therefore have no
    ///     stored message ids to recognise retries against either (so none are read).
    public func join(
        room roomID: RoomID, device: DeviceID, resuming: Bool, outbox: any Outbox, kind: RoomLogKind = .history,
        holdsOfflineBuffer: Bool = true
    ) async throws(JoinError) -> (Membership, Admission) {
        while true {
            let room = try await openRoom(roomID, kind: kind)
            var recentIDs: [(id: String, seq: UInt64)]?
            if holdsOfflineBuffer, !room.tracksClientIDs(of: device) {
                do {
                    recentIDs = try await log.store.recentClientIDs(
                        in: roomID, sender: device, limit: RecentClientIDs.capacity)
                } catch {
                    throw .storageUnavailable(String(describing: error))
                }
            }
            do throws(Room.AdmitError) {
                let (admission, isNew) = try room.admit(
                    device, outbox: outbox, resuming: resuming, holdsOfflineBuffer: holdsOfflineBuffer,
                    recentIDs: recentIDs, now: clock.now())
                if isNew { connectionCount.add(1, ordering: .relaxed) }
                openConnectionCount.add(1, ordering: .relaxed)
                // Checked after admission: a revocation either came first and is seen here, or
                // came after and its own sweep finds this member.
                if let reason = registry.withLock({ $0.revoked[device]?.reason }) { _ = room.close(device, reason) }
                return (Membership(relay: self, room: room, device: device, outbox: outbox), admission)
            } catch {
                switch error {
                case .full(let limit):
                    releaseIfIdle(room)
                    throw .roomFull(limit: limit)
                case .closed:
                    continue  // swept between lookup and admission; open it again
                }
            }
        }
    }

    /// Runs the log's writer, which commits every published message and then delivers it, until
    /// `stopWriter` (at shutdown, after the connections are closed).
    public func runWriter() async { await log.run() }

    /// Commits what is pending, then ends `runWriter`.
    public func stopWriter() { log.stop() }

    /// Returns once everything published so far is durable and delivered.
    public func flush() async { await log.flush() }

    /// Number of rooms held (with members or offline buffers).
    public var roomCount: Int { registry.withLock { $0.rooms.count } }

    /// Number of connected members across all rooms.
    public var connections: Int { connectionCount.load(ordering: .relaxed) }

    /// Number of joined connections whose transport has not ended yet (see `Membership.disconnected`),
    /// including those that already left their room and are still sending their close frame.
    public var openConnections: Int { openConnectionCount.load(ordering: .relaxed) }

    /// The room, if it is held.
    public func room(_ id: RoomID) -> Room? {
        registry.withLock { registry in
            if case .ready(let room) = registry.rooms[id] { return room }
            return nil
        }
    }

    /// Expires offline buffers and old revocations, and forgets rooms with neither members nor buffers.
    public func sweep() {
        let now = clock.now()
        let rooms = registry.withLock { registry in
            registry.revoked = registry.revoked.filter { now - $0.value.at < Self.revocationMemoryMillis }
            return registry.rooms.values.compactMap { slot -> Room? in
                if case .ready(let room) = slot { return room }
                return nil
            }
        }
        for room in rooms where room.sweep(now: now) {
            forget(room)
        }
    }

    /// Deletes stored messages created before `cutoff` (ms since 1970) and tells the loaded rooms
    /// how far their logs are now pruned. Returns how many rooms lost messages.
    @discardableResult
    public func applyRetention(createdBefore cutoff: Int64) async throws -> Int {
        let pruned = try await log.store.deleteMessages(createdBefore: cutoff)
        for (id, seq) in pruned { room(id)?.notePruned(through: seq) }
        return pruned.count
    }

    /// Deletes the messages of `room` before `seq`, which a snapshot at `seq` made redundant.
    public func compact(_ room: RoomID, before seq: UInt64) async throws {
        guard seq > 1 else { return }
        try await log.store.compact(room, before: seq)
        self.room(room)?.notePruned(through: seq - 1)
    }

    /// Refuses new joins and closes every connection with `reason`; used at shutdown.
    public func drain(_ reason: CloseReason = .goingAway) {
        let rooms = registry.withLock { registry in
            registry.draining = true
            return registry.rooms.values.compactMap { slot -> Room? in
                if case .ready(let room) = slot { return room }
                return nil
            }
        }
        for room in rooms { room.closeAll(reason) }
    }

    /// Closes every connection of `device`, in every room, with `reason` (for example when its
    /// token is revoked). Returns how many connections were closed.
    @discardableResult
    public func disconnect(device: DeviceID, reason: CloseReason) -> Int {
        heldRooms().reduce(0) { count, room in count + room.close(device, reason) }
    }

    /// Closes every connection of `device` with `reason` and keeps doing so, for a while, for any
    /// join of it admitted later: a join whose token was checked just before the device was
    /// deleted cannot slip in after this sweep. Returns how many connections were closed.
    @discardableResult
    public func revoke(device: DeviceID, reason: CloseReason) -> Int {
        let now = clock.now()
        registry.withLock { $0.revoked[device] = (reason, now) }
        return disconnect(device: device, reason: reason)
    }

    /// Closes every connection in `room` with `reason` (for example when the room's project is
    /// deleted). Returns how many connections were closed.
    @discardableResult
    public func disconnect(room: RoomID, reason: CloseReason) -> Int {
        guard let held = self.room(room) else { return 0 }
        return held.members.reduce(0) { count, device in count + held.close(device, reason) }
    }

    private func heldRooms() -> [Room] {
        registry.withLock { registry in
            registry.rooms.values.compactMap { slot -> Room? in
                if case .ready(let room) = slot { return room }
                return nil
            }
        }
    }

    func leave(_ membership: Membership) {
        let room = membership.room
        if room.remove(membership.device, outbox: membership.outbox, now: clock.now()) {
            connectionCount.subtract(1, ordering: .relaxed)
        }
        releaseIfIdle(room)
    }

    func disconnected(_ membership: Membership) {
        leave(membership)
        openConnectionCount.subtract(1, ordering: .relaxed)
    }

    private func releaseIfIdle(_ room: Room) {
        if room.sweep(now: clock.now()) { forget(room) }
    }

    private func forget(_ room: Room) {
        registry.withLock { registry in
            if case .ready(let held) = registry.rooms[room.id], held === room {
                registry.rooms[room.id] = nil
            }
        }
    }

    private func openRoom(_ id: RoomID, kind: RoomLogKind) async throws(JoinError) -> Room {
        let slot = try registry.withLock { registry throws(JoinError) -> Slot in
            guard !registry.draining else { throw .shuttingDown }
            if let slot = registry.rooms[id] { return slot }
            guard registry.rooms.count < limits.maxRooms else { throw .tooManyRooms(limit: limits.maxRooms) }
            let task = Task { [log, limits] in
                // A room forgotten a moment ago may still have messages waiting for commit.
                await log.flush()
                let storage = try await log.store.openRoom(id, kind: kind)
                return Room(id: id, storage: storage, limits: limits, log: log)
            }
            registry.rooms[id] = .loading(task)
            return .loading(task)
        }
        switch slot {
        case .ready(let room):
            return room
        case .loading(let task):
            do {
                let room = try await task.value
                registry.withLock { registry in
                    if case .loading = registry.rooms[id] { registry.rooms[id] = .ready(room) }
                }
                return room
            } catch {
                registry.withLock { registry in
                    if case .loading = registry.rooms[id] { registry.rooms[id] = nil }
                }
                throw .storageUnavailable(String(describing: error))
            }
        }
    }
}

/// One connection's place in a room: how it sends, and how it leaves.
public struct Membership: Sendable {
    public let relay: Relay
    public let room: Room
    public let device: DeviceID
    let outbox: any Outbox

    /// Sequences, stores and routes a message from this member. With a `clientID`, a retry of an
    /// id this device used recently is recognised and not stored or delivered again.
    public func send(
        to recipient: Recipient, clientID: String? = nil, render: (_ seq: UInt64, _ createdAt: Int64) -> WireFrame
    ) throws(SendError) -> PublishResult {
        try room.publish(
            from: device, via: outbox, to: recipient, clientID: clientID, now: relay.clock.now(), render: render)
    }

    /// Runs `action` with the message's seq once `result` is durable: a published message once its
    /// commit is done, a recognised retry once everything sent before it is.
    public func whenDurable(_ result: PublishResult, _ action: @escaping @Sendable (_ seq: UInt64) -> Void) {
        let log = relay.log
        switch result {
        case .published(let message, let ticket): log.whenDurable(ticket) { action(message.seq) }
        case .duplicate(let seq): log.whenDurable(log.lastTicket) { action(seq) }
        }
    }

    /// The stored messages of this room in `(after, through]` this member may read, in pages of at
    /// most `pageSize`, in seq order (see `Relay.history`).
    public func history(after: UInt64, through: UInt64, pageSize: Int) -> RoomHistory {
        relay.history(of: room.id, for: device, after: after, through: through, pageSize: pageSize)
    }

    /// Hands `frame` to the other connected members at once, neither sequenced nor stored.
    public func relayTransient(_ frame: WireFrame) throws(SendError) {
        try room.relayTransient(frame, from: device, via: outbox)
    }

    /// Leaves the room: peers are told, a new host is elected if needed, and messages for this
    /// device are buffered for the configured time.
    public func leave() {
        relay.leave(self)
    }

    /// Reports that the connection's transport has ended (call once, when its socket is gone):
    /// leaves the room if it has not already. Graceful shutdown waits for this, so a close frame
    /// already queued is sent before the servers stop.
    public func disconnected() {
        relay.disconnected(self)
    }
}
