import Synchronization
import TandemConnection

/// One room: its members, host, sequence counters and offline buffers, behind one lock.
///
/// A message is sequenced and appended to the log under the lock (`publish`), and handed to its
/// recipients under the lock once it is durable (`deliver`), in seq order. A joining member's
/// `roomSeq` is the last seq delivered at that instant, which splits history exactly: up to it
/// from storage, after it live.
public final class Room: DurableDelivery {
    struct Member {
        let device: DeviceID
        let outbox: any Outbox
        let joinedAt: Int64
        /// Whether messages are held for this device after it leaves.
        let holdsOfflineBuffer: Bool
    }

    struct State {
        var members: [Member] = []
        var host: DeviceID?
        /// The last seq assigned.
        var lastSeq: UInt64
        /// The last seq handed to members (durable); never ahead of `lastSeq`.
        var deliveredSeq: UInt64
        let epoch: String
        var prunedThrough: UInt64
        var buffers: [DeviceID: OfflineBuffer] = [:]
        var clientIDs: [DeviceID: RecentClientIDs] = [:]
        var closed = false
    }

    enum AdmitError: Error {
        case closed
        case full(limit: Int)
    }

    public let id: RoomID
    private let limits: RelayLimits
    private let log: MessageLog
    private let state: Mutex<State>

    init(id: RoomID, storage: RoomLogState, limits: RelayLimits, log: MessageLog) {
        self.id = id
        self.limits = limits
        self.log = log
        self.state = Mutex(
            State(
                lastSeq: storage.lastSeq, deliveredSeq: storage.lastSeq, epoch: storage.epoch,
                prunedThrough: storage.prunedThrough))
    }

    /// Whether the room already tracks `device`'s recent message ids.
    func tracksClientIDs(of device: DeviceID) -> Bool {
        state.withLock { $0.clientIDs[device] != nil }
    }

    /// Records that retention deleted messages up to `seq`.
    func notePruned(through seq: UInt64) {
        state.withLock { $0.prunedThrough = max($0.prunedThrough, seq) }
    }

    /// Adds `device`, replacing an older connection of the same device (closed with `.replaced`).
    /// `resuming` is true when the device will catch up from storage, which makes its offline buffer
    /// redundant. `recentIDs` (newest first, from storage) seeds retry detection when the room does
    /// not yet track this device.
    func admit(
        _ device: DeviceID, outbox: any Outbox, resuming: Bool, holdsOfflineBuffer: Bool,
        recentIDs: [(id: String, seq: UInt64)]?, now: Int64
    ) throws(AdmitError) -> (Admission, isNew: Bool) {
        var replaced: (any Outbox)?
        var notify: [any Outbox] = []
        var hostChanged = false
        let admission = try state.withLock { state throws(AdmitError) -> Admission in
            guard !state.closed else { throw .closed }
            if let index = state.members.firstIndex(where: { $0.device == device }) {
                replaced = state.members[index].outbox
                state.members[index] = Member(
                    device: device, outbox: outbox, joinedAt: state.members[index].joinedAt,
                    holdsOfflineBuffer: holdsOfflineBuffer)
            } else {
                guard state.members.count < limits.maxMembersPerRoom else {
                    throw .full(limit: limits.maxMembersPerRoom)
                }
                notify = state.members.map(\.outbox)
                state.members.append(
                    Member(device: device, outbox: outbox, joinedAt: now, holdsOfflineBuffer: holdsOfflineBuffer))
                if state.host == nil {
                    state.host = device
                    hostChanged = true
                }
            }
            if state.clientIDs[device] == nil {
                state.clientIDs[device] = RecentClientIDs(newestFirst: recentIDs ?? [])
            }
            let buffer = state.buffers.removeValue(forKey: device)
            let usable = buffer.map { $0.expiresAt > now } ?? false
            return Admission(
                host: state.host,
                peers: state.members.lazy.filter { $0.device != device }.map(\.device),
                roomSeq: state.deliveredSeq,
                epoch: state.epoch,
                prunedThrough: state.prunedThrough,
                buffered: resuming || !usable ? [] : buffer?.messages ?? [],
                bufferOverflowed: !resuming && usable && buffer?.overflowed == true
            )
        }
        replaced?.close(.replaced)
        for peer in notify {
            peer.deliver(.peerJoined(room: id, device: device))
            if hostChanged { peer.deliver(.hostChanged(room: id, host: device)) }
        }
        return (admission, replaced == nil)
    }

    /// Removes the member connected through `outbox`; no-op if it was already replaced.
    /// Returns whether a member was removed.
    func remove(_ device: DeviceID, outbox: any Outbox, now: Int64) -> Bool {
        var notify: [any Outbox] = []
        var newHost: DeviceID??
        let removed = state.withLock { state -> Bool in
            guard let index = state.members.firstIndex(where: { $0.device == device && $0.outbox === outbox }) else {
                return false
            }
            let member = state.members.remove(at: index)
            if state.host == device {
                // The longest-connected remaining member takes over at once.
                state.host = state.members.first?.device
                newHost = .some(state.host)
            }
            if member.holdsOfflineBuffer, limits.bufferTTLMillis > 0 {
                state.buffers[device] = OfflineBuffer(
                    expiresAt: now + limits.bufferTTLMillis, maxBytes: limits.maxBufferBytes)
            }
            notify = state.members.map(\.outbox)
            return true
        }
        for peer in notify {
            peer.deliver(.peerLeft(room: id, device: device))
            if let newHost { peer.deliver(.hostChanged(room: id, host: newHost)) }
        }
        return removed
    }

    /// Sequences a message and queues it for storage, after which `deliver` hands it to its
    /// recipients; or, when `clientID` repeats one of the sender's recent ids, does nothing and
    /// reports the earlier seq.
    ///
    /// `render` builds the frame members receive from the assigned seq and server time; it runs
    /// inside the room's critical section, so it must be cheap.
    func publish(
        from sender: DeviceID,
        via outbox: any Outbox,
        to recipient: Recipient,
        clientID: String?,
        now: Int64,
        render: (_ seq: UInt64, _ createdAt: Int64) -> WireFrame
    ) throws(SendError) -> PublishResult {
        try state.withLock { state throws(SendError) -> PublishResult in
            guard state.members.contains(where: { $0.device == sender && $0.outbox === outbox }) else {
                throw .notMember
            }
            if let clientID, let seq = state.clientIDs[sender]?.seq(for: clientID) {
                return .duplicate(seq: seq)
            }
            let addressee: Addressee
            switch recipient {
            case .broadcast:
                addressee = .broadcast
            case .host:
                guard let host = state.host else { throw .noHost }
                guard host != sender else { throw .selfAddressed }
                addressee = .device(host)
            case .device(let target):
                guard target != sender else { throw .selfAddressed }
                addressee = .device(target)
            }
            state.lastSeq += 1
            let message = RoomMessage(
                room: id, seq: state.lastSeq, sender: sender, addressee: addressee,
                body: render(state.lastSeq, now), createdAt: now, clientID: clientID
            )
            let ticket = log.append(message, deliverTo: self)
            if let clientID { state.clientIDs[sender, default: RecentClientIDs()].insert(clientID, seq: message.seq) }
            return .published(message, ticket)
        }
    }

    /// Hands `frame` from `sender` to every other connected member at once, without sequencing or
    /// storing it, so it may overtake messages still waiting for commit.
    func relayTransient(_ frame: WireFrame, from sender: DeviceID, via outbox: any Outbox) throws(SendError) {
        try state.withLock { state throws(SendError) in
            guard state.members.contains(where: { $0.device == sender && $0.outbox === outbox }) else {
                throw .notMember
            }
            let event = RoomEvent.transient(room: id, sender: sender, frame: frame)
            for member in state.members where member.device != sender {
                member.outbox.deliver(event)
            }
        }
    }

    /// Hands durable messages (in seq order) to connected recipients and offline buffers.
    func deliver(_ messages: ArraySlice<RoomMessage>) {
        state.withLock { state in
            for message in messages {
                state.deliveredSeq = max(state.deliveredSeq, message.seq)
                switch message.addressee {
                case .broadcast:
                    for member in state.members where member.device != message.sender {
                        member.outbox.deliver(.message(message))
                    }
                    for device in state.buffers.keys where device != message.sender {
                        state.buffers[device]?.append(message)
                    }
                case .device(let target):
                    if let member = state.members.first(where: { $0.device == target }) {
                        member.outbox.deliver(.message(message))
                    } else {
                        state.buffers[target]?.append(message)
                    }
                }
            }
        }
    }

    /// Drops expired offline buffers and the id history of devices that are gone; marks the room
    /// closed (and returns true) when it holds neither members nor buffers, so the relay can forget it.
    func sweep(now: Int64) -> Bool {
        state.withLock { state in
            state.buffers = state.buffers.filter { $0.value.expiresAt > now }
            // A departed device's ids can be reloaded from storage when it rejoins, but only once
            // nothing it sent is still waiting for commit.
            if state.deliveredSeq == state.lastSeq, state.clientIDs.count > state.members.count {
                let present = Set(state.members.map(\.device)).union(state.buffers.keys)
                state.clientIDs = state.clientIDs.filter { present.contains($0.key) }
            }
            if state.members.isEmpty && state.buffers.isEmpty {
                state.closed = true
            }
            return state.closed
        }
    }

    /// Closes every member's connection with `reason`.
    func closeAll(_ reason: CloseReason) {
        let outboxes = state.withLock { $0.members.map(\.outbox) }
        for outbox in outboxes { outbox.close(reason) }
    }

    /// Closes `device`'s connection with `reason`; returns 1 if it was connected, else 0.
    func close(_ device: DeviceID, _ reason: CloseReason) -> Int {
        let outbox = state.withLock { $0.members.first { $0.device == device }?.outbox }
        outbox?.close(reason)
        return outbox == nil ? 0 : 1
    }

    /// The current host, if any.
    public var host: DeviceID? { state.withLock { $0.host } }

    /// Connected devices, longest-connected first.
    public var members: [DeviceID] { state.withLock { $0.members.map(\.device) } }

    /// The last sequence number assigned.
    public var lastSeq: UInt64 { state.withLock { $0.lastSeq } }
}
