import Foundation
package import Logging
import TandemConnection
package import TandemMerge
import TandemSodium

/// Runs the three-way merge for every paired phone against the computer's state, holds the syncs that wait
/// for a decision, and makes every phone end a sync holding the result.
///
/// A phone up to JotBunker 1.0.7 reads only `sync_confirm`'s mode: `phone-wins` keeps its own state,
/// `desktop-wins` adopts the last `state_sync` it received. So when the phone already holds the result the
/// server confirms `phone-wins`; otherwise it sends the result as a `state_sync`, takes the phone's answering
/// `state_sync` as the echo of that exchange (not a new sync), and then confirms `desktop-wins`. Both confirmations
/// carry the result as `snapshot` for the phones that read it. The device's ancestor becomes the result only once
/// the phone holds it, so an exchange cut short leaves the ancestor as it was and the next sync merges again.
///
/// One owner for the computer's state: syncs, answers, timeouts and disconnects run one at a time
/// (`exclusively`), so two phones never merge against the same stale state and a timeout never cancels an answer
/// being applied. Nothing waits on the network while holding that turn: replies are queued
/// to the peer.
package actor SyncCoordinator {
    private struct Pending {
        var report: PendingSyncReport
        /// The conflicts by their API key.
        var subjects: [String: ConflictSubject]
        var ancestor: SyncState?
        var phone: SyncState
        var desktop: SyncState
        var peer: LANPeer
        var timer: Task<Void, Never>
    }

    /// A result sent as `state_sync` to a phone that lacked it, waiting for the phone's answer.
    private struct Echo {
        /// The phone's state the result was merged from: an answer equal to it is the echo.
        var phone: SyncState
        var result: PhoneState
    }

    private let store: any LANStore
    private let policy: DecisionPolicy
    private let timeout: Duration
    private let now: @Sendable () -> Int64
    private let logger: Logger
    private var pending: [String: Pending] = [:]
    /// By connection (`LANPeer.id`).
    private var echoes: [UUID: Echo] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - timeout: how long a pending sync waits for an answer before it is cancelled.
    ///   - now: milliseconds since the epoch.
    package init(
        store: any LANStore, policy: DecisionPolicy, timeout: Duration, logger: Logger,
        now: @escaping @Sendable () -> Int64 = { Int64(Date().timeIntervalSince1970 * 1000) }
    ) {
        self.store = store
        self.policy = policy
        self.timeout = timeout
        self.logger = logger
        self.now = now
    }

    /// Sends the computer's state to `peer` as `state_sync`, which asks the phone for its own.
    /// The phone keeps this as pending, so any result awaiting its echo on this connection is abandoned.
    func offerState(to peer: LANPeer) async {
        await exclusively {
            echoes[peer.id] = nil
            do {
                let state = try await store.desktopState() ?? SyncState()
                peer.send(.stateSync(PhoneState(state), since: try await lastSync(of: peer.device)))
            } catch {
                logger.error("cannot read the computer's state", metadata: ["error": "\(error)"])
            }
        }
    }

    /// Handles the phone's `state_sync`: the echo of a result sent to it is confirmed `desktop-wins`; anything
    /// else is merged, then finished (see ``finish(_:ancestor:phone:desktop:to:)``), held for a decision, or (on a
    /// storage failure) answered `sync_cancel`. A newer sync from the same device supersedes a pending one.
    func sync(_ phone: SyncState, from peer: LANPeer) async {
        await exclusively {
            for (id, held) in pending where held.peer.device == peer.device {
                drop(id, notify: true)
            }
            do {
                // An answer that differs from what was merged means the phone changed meanwhile: merge it anew.
                if let echo = echoes.removeValue(forKey: peer.id), echo.phone == phone {
                    try await confirmEcho(echo, to: peer)
                    return
                }
                let desktop = try await store.desktopState() ?? SyncState()
                let ancestor = try await store.ancestor(device: peer.device)
                let result = SyncMerge.merge(ancestor: ancestor, phone: phone, desktop: desktop)
                if result.isSettled {
                    try await finish(result.state, ancestor: ancestor, phone: phone, desktop: desktop, to: peer)
                } else if let decision = policy.decision(for: result) {
                    let state = try SyncMerge.resolve(decision, ancestor: ancestor, phone: phone, desktop: desktop)
                    try await finish(state, ancestor: ancestor, phone: phone, desktop: desktop, to: peer)
                } else {
                    hold(result, ancestor: ancestor, phone: phone, desktop: desktop, peer: peer)
                }
            } catch {
                logger.error("sync failed", metadata: ["device": "\(peer.device)", "error": "\(error)"])
                peer.send(.syncCancel)
            }
        }
    }

    /// The syncs waiting for a decision, oldest first.
    package func pendingSyncs() -> [PendingSyncReport] {
        pending.values.map(\.report).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Applies a person's answer to the pending sync `id` and replies to its phone.
    ///
    /// - Returns: the result (the state both sides hold once the phone has it), or nil for `cancel`.
    package func answer(_ id: String, with answer: SyncAnswer) async throws(SyncDecisionError) -> SyncState? {
        let outcome: Result<SyncState?, SyncDecisionError> = await exclusively {
            guard let held = pending[id] else { return .failure(.notFound) }
            let decision: SyncDecision
            switch answer {
            case .cancel:
                drop(id, notify: true)
                return .success(nil)
            case .usePhone: decision = .usePhone
            case .useDesktop: decision = .useDesktop
            case .merge(let choices, let otherwise):
                let unknown = choices.keys.filter { held.subjects[$0] == nil }.sorted()
                guard unknown.isEmpty else { return .failure(.unknownConflicts(unknown)) }
                var decided: [ConflictSubject: SyncSide] = [:]
                for (key, side) in choices { if let subject = held.subjects[key] { decided[subject] = side } }
                decision = .merge(ConflictDecisions(decided, otherwise: otherwise), allowingLargeChange: true)
            }
            let state: SyncState
            do throws(SyncResolutionError) {
                state = try SyncMerge.resolve(
                    decision, ancestor: held.ancestor, phone: held.phone, desktop: held.desktop)
            } catch {
                switch error {
                case .undecidedConflicts(let subjects): return .failure(.undecided(subjects.map(\.key)))
                case .largeChangeNotAllowed: return .failure(.undecided([]))
                }
            }
            do {
                guard try await store.desktopState() ?? SyncState() == held.desktop else {
                    drop(id, notify: true)
                    return .failure(.stale)
                }
                let result = try await finish(
                    state, ancestor: held.ancestor, phone: held.phone, desktop: held.desktop, to: held.peer)
                drop(id, notify: false)
                return .success(result.state)
            } catch {
                drop(id, notify: true)
                return .failure(.storage("\(error)"))
            }
        }
        return try outcome.get()
    }

    /// Forgets the pending syncs of a connection that closed: there is nobody left to answer.
    func peerClosed(_ peer: LANPeer) async {
        await exclusively {
            for (id, held) in pending where held.peer.id == peer.id {
                drop(id, notify: false)
            }
            echoes[peer.id] = nil
        }
    }

    /// Finishes a sync with `state`, in the shape the phone holds. A phone that holds it already gets
    /// `sync_confirm phone-wins` and the result is stored as the computer's state and the device's ancestor (only
    /// the sync time, if nothing changed anywhere). A phone that lacks something of it gets it as `state_sync`;
    /// the result becomes the computer's state now and the device's ancestor once the echo is confirmed.
    @discardableResult
    private func finish(
        _ state: SyncState, ancestor: SyncState?, phone: SyncState, desktop: SyncState, to peer: LANPeer
    ) async throws -> PhoneState {
        let result = PhoneState(state)
        let time = now()
        if result.state == phone {
            if result.state == desktop && result.state == ancestor {
                try await store.recordEmptySync(device: peer.device, at: time)
                logger.debug("empty sync", metadata: ["device": "\(peer.device)"])
            } else {
                try await store.commitSync(device: peer.device, state: result.state, at: time)
                logger.info("synced", metadata: ["device": "\(peer.device)", "mode": "phone-wins"])
            }
            peer.send(.syncConfirm(mode: .phoneWins, snapshot: result, appliedAt: Double(time)))
        } else {
            if result.state != desktop { try await store.saveDesktopState(result.state, at: time) }
            echoes[peer.id] = Echo(phone: phone, result: result)
            peer.send(.stateSync(result, since: try await lastSync(of: peer.device)))
            logger.debug("sent the result, waiting for the echo", metadata: ["device": "\(peer.device)"])
        }
        return result
    }

    /// The phone answered the result it was sent: it now holds it as pending, and `desktop-wins` makes it adopt it.
    private func confirmEcho(_ echo: Echo, to peer: LANPeer) async throws {
        let time = now()
        try await store.confirmSync(device: peer.device, ancestor: echo.result.state, at: time)
        logger.info("synced", metadata: ["device": "\(peer.device)", "mode": "desktop-wins"])
        peer.send(.syncConfirm(mode: .desktopWins, snapshot: echo.result, appliedAt: Double(time)))
    }

    /// `since` for a `state_sync` to `device`: its last finished sync, 0 before the first.
    private func lastSync(of device: String) async throws -> Double {
        Double(try await store.devices().first { $0.deviceId == device }?.lastSyncAt ?? 0)
    }

    private func hold(_ result: MergeResult, ancestor: SyncState?, phone: SyncState, desktop: SyncState, peer: LANPeer)
    {
        let id = Sodium.randomBytes(6).lowercaseHex
        let createdAt = now()
        let millis = timeout.components.seconds * 1000 + timeout.components.attoseconds / 1_000_000_000_000_000
        let report = PendingSyncReport(
            id: id, deviceId: peer.device, createdAt: createdAt, expiresAt: createdAt + millis, result: result)
        let timeout = self.timeout
        let timer = Task { [weak self] in
            try? await Task.sleep(for: timeout)
            guard !Task.isCancelled else { return }
            await self?.expire(id)
        }
        pending[id] = Pending(
            report: report,
            subjects: Dictionary(
                result.conflicts.map { ($0.subject.key, $0.subject) }, uniquingKeysWith: { a, _ in a }),
            ancestor: ancestor, phone: phone, desktop: desktop, peer: peer, timer: timer)
        logger.notice(
            "sync waits for a decision",
            metadata: [
                "id": "\(id)", "device": "\(peer.device)", "conflicts": "\(report.conflicts.count)",
                "largeChange": "\(report.largeChange != nil)",
            ])
    }

    /// Cancels a pending sync nobody answered; waits for an answer being applied, so it never cancels one.
    private func expire(_ id: String) async {
        await exclusively {
            guard pending[id] != nil else { return }
            logger.notice("pending sync timed out", metadata: ["id": "\(id)"])
            drop(id, notify: true)
        }
    }

    private func drop(_ id: String, notify: Bool) {
        guard let held = pending.removeValue(forKey: id) else { return }
        held.timer.cancel()
        if notify { held.peer.send(.syncCancel) }
    }

    /// Runs `body` when no other sync or answer is running; the actor is reentrant across `await`s.
    private func exclusively<T>(_ body: () async -> T) async -> T {
        while busy {
            await withCheckedContinuation { waiting.append($0) }
        }
        busy = true
        defer {
            busy = false
            if !waiting.isEmpty { waiting.removeFirst().resume() }
        }
        return await body()
    }
}
