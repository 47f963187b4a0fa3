import Synchronization
import TandemConnection
import TandemRelay

/// An outbox that keeps what a room delivers to it, as a member's queue would hold it: events in
/// order, then at most one close, after which nothing more is taken.
final class RecordingOutbox: Outbox {
    enum Item: Equatable, Sendable {
        case event(RoomEvent)
        case close(CloseReason)
    }

    private let items = Mutex<(items: [Item], closed: Bool)>(([], false))

    func deliver(_ event: RoomEvent) {
        items.withLock { state in if !state.closed { state.items.append(.event(event)) } }
    }

    func close(_ reason: CloseReason) {
        items.withLock { state in
            guard !state.closed else { return }
            state.closed = true
            state.items.append(.close(reason))
        }
    }

    /// Items delivered and not yet taken.
    var queuedItemCount: Int { items.withLock { $0.items.count } }

    /// Takes every item delivered so far.
    func take() -> [Item] {
        items.withLock { state in
            defer { state.items = [] }
            return state.items
        }
    }
}
