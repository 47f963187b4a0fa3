import Foundation
import Logging
import TandemMerge

/// Runs the three-way merge for every paired phone against the computer's state, and holds the syncs that wait
/// for a decision.
///
/// One owner for the computer's state: syncs, answers, timeouts and disconnects run one at a time
/// (`exclusively`), so two phones never merge against the same stale state and a timeout never cancels an answer
/// being applied. Nothing waits on the network while holding that turn: replies are queued
/// to the peer.
public actor SyncCoordinator {
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

    private let store: any LANStore
    private let policy: DecisionPolicy
    private let timeout: Duration
    private let now: @Sendable () -> Int64
    private let logger: Logger
    private var pending: [String: Pending] = [:]
    private var busy = false
    private var waiting: [CheckedContinuation<Void, Never>] = []

    /// - Parameters:
    ///   - timeout: how long a pending sync waits for an answer before it is cancelled.
    ///   - now: milliseconds since the epoch.
    public init(
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
    func offerState(to peer: LANPeer) async {
        do {
            let state = try await store.desktopState() ?? SyncState()
            let since = try await store.devices().first { $0.deviceId == peer.device }?.lastSyncAt ?? 0
            peer.send(.stateSync(state, since: Double(since)))
        } catch {
            logger.error("cannot read the computer's state", metadata: ["error": "\(error)"])
        }
    }

    /// Merges the phone's `state_sync`; replies `sync_confirm`, holds the sync for a decision, or (on a storage
    /// failure) replies `sync_cancel`. A newer sync from the same device supersedes a pending one.
    func sync(_ phone: SyncState, from peer: LANPeer) async {
        await exclusively {
            for (id, held) in pending where held.peer.device == peer.device {
                drop(id, notify: true)
            }
            do {
                let desktop = try await store.desktopState() ?? SyncState()
                let ancestor = try await store.ancestor(device: peer.device)
                let result = SyncMerge.merge(ancestor: ancestor, phone: phone, desktop: desktop)
                if result.isSettled {
                    try await apply(
                        result.state, mode: .phoneWins, ancestor: ancestor, phone: phone, desktop: desktop, to: peer)
                } else if let decision = policy.decision(for: result) {
                    let state = try SyncMerge.resolve(decision, ancestor: ancestor, phone: phone, desktop: desktop)
                    try await apply(
                        state, mode: decision.mode, ancestor: ancestor, phone: phone, desktop: desktop, to: peer)
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
    public func pendingSyncs() -> [PendingSyncReport] {
        pending.values.map(\.report).sorted { ($0.createdAt, $0.id) < ($1.createdAt, $1.id) }
    }

    /// Applies a person's answer to the pending sync `id` and replies to its phone.
    ///
    /// - Returns: the state both sides now hold, or nil for `cancel`.
    public func answer(_ id: String, with answer: SyncAnswer) async throws(SyncDecisionError) -> SyncState? {
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
                try await apply(
                    state, mode: decision.mode, ancestor: held.ancestor, phone: held.phone, desktop: held.desktop,
                    to: held.peer)
                drop(id, notify: false)
                return .success(state)
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
        }
    }

    /// Stores `state` (unless nothing changed anywhere) and confirms it to the phone.
    private func apply(
        _ state: SyncState, mode: SyncConfirmMode, ancestor: SyncState?, phone: SyncState, desktop: SyncState,
        to peer: LANPeer
    ) async throws {
        let time = now()
        if state == desktop && state == phone && state == ancestor {
            try await store.recordEmptySync(device: peer.device, at: time)
            logger.debug("empty sync", metadata: ["device": "\(peer.device)"])
        } else {
            try await store.commitSync(device: peer.device, state: state, at: time)
            logger.info("synced", metadata: ["device": "\(peer.device)", "mode": "\(mode.rawValue)"])
        }
        peer.send(.syncConfirm(mode: mode, snapshot: state, appliedAt: Double(time)))
    }

    private func hold(_ result: MergeResult, ancestor: SyncState?, phone: SyncState, desktop: SyncState, peer: LANPeer)
    {
        let id = Sodium.randomHex(6)
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

extension SyncDecision {
    /// The `sync_confirm` mode that describes this decision's result.
    var mode: SyncConfirmMode {
        switch self {
        case .useDesktop: .desktopWins
        case .usePhone, .merge: .phoneWins
        }
    }
}
