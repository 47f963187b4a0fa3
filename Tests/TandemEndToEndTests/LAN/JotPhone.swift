import Foundation
import Synchronization
import Testing

/// A JotBunker phone's sync behaviour on the wire, per generation: it holds its lists, never starts a sync,
/// answers every `state_sync` with its own state (keeping the received one as pending) and applies
/// `sync_confirm` as its generation does.
final class JotPhone: Sendable {
    enum Generation: String, Sendable, CaseIterable, CustomTestStringConvertible {
        /// Up to 1.0.7: reads only `mode`; `phone-wins` keeps its state, `desktop-wins` adopts the pending one.
        case modeOnly
        /// The 1.1 line: adopts `snapshot` when present, else behaves as `modeOnly`.
        case snapshotPreferring

        var testDescription: String { rawValue }
    }

    /// What one connection saw: every `state_sync` received (the server's offer first) and how the sync ended.
    struct Run {
        var received: [[String: Any]]
        var end: [String: Any]

        /// Every state the phone could have adopted: the `state_sync`s and the confirmation's snapshot.
        var adoptable: [[String: Any]] {
            received + [end["snapshot"] as? [String: Any]].compactMap { $0 }
        }
    }

    let device: String
    let generation: Generation
    /// The phone's state as JSON (the six fields of ``LANFixture/stateKeys``).
    private let held: Mutex<Data>

    init(_ device: String, _ generation: Generation, items: [[String: Any]] = []) {
        self.device = device
        self.generation = generation
        held = Mutex(try! JSONSerialization.data(withJSONObject: LANFixture.state(items)))
    }

    var state: [String: Any] {
        held.withLock { try! JSONSerialization.jsonObject(with: $0) as! [String: Any] }
    }

    /// The items of the first list slot, by id.
    var firstList: [String: [String: Any]] { LANFixture.firstList(state) }

    /// Adds `item` at the top of the first list, as the phone's add button does.
    func add(_ item: [String: Any]) {
        let lists = state["lists"] as! [[[String: Any]]]
        setFirstList([item] + lists[0])
    }

    /// Replaces the first list, as edits on the phone would.
    func setFirstList(_ items: [[String: Any]]) {
        var state = self.state
        var lists = state["lists"] as! [[[String: Any]]]
        lists[0] = items
        state["lists"] = lists
        adopt(state)
    }

    /// Deletes an item of the first list: the phone removes it and keeps no marker.
    func remove(_ id: String) {
        let lists = state["lists"] as! [[[String: Any]]]
        setFirstList(lists[0].filter { $0["id"] as? String != id })
    }

    /// Connects, hands over to the sync the server starts, and closes once the server confirms or cancels it.
    @discardableResult
    func sync(_ server: TestServer, timeout: Duration = .seconds(10)) async throws -> Run {
        let (client, offer) = try await PhoneClient.pair(server, device: device)
        do {
            let run = try await exchange(client, offer: offer, timeout: timeout)
            await client.close()
            return run
        } catch {
            await client.close()
            throw error
        }
    }

    private func exchange(_ client: PhoneClient, offer: [String: Any], timeout: Duration) async throws -> Run {
        var run = Run(received: [offer], end: [:])
        var pending = offer
        client.send(answer())
        while true {
            let message = try await client.next(timeout: timeout)
            switch message["type"] as? String {
            case "state_sync":
                run.received.append(message)
                pending = message
                client.send(answer())
            case "sync_confirm":
                apply(message, pending: pending)
                run.end = message
                return run
            case "sync_cancel":
                run.end = message
                return run
            default:
                continue
            }
        }
    }

    /// The phone's own (pre-merge) state as `state_sync`.
    private func answer() -> [String: Any] {
        state.merging(["type": "state_sync", "since": 0]) { _, new in new }
    }

    private func apply(_ confirm: [String: Any], pending: [String: Any]) {
        if generation == .snapshotPreferring, let snapshot = confirm["snapshot"] as? [String: Any] {
            adopt(snapshot)
        } else if confirm["mode"] as? String == "desktop-wins" {
            adopt(pending)
        }
    }

    /// Replaces the phone's state with the six state fields of `source` (a scratchpad field it lacks is kept).
    private func adopt(_ source: [String: Any]) {
        var state = held.withLock { try! JSONSerialization.jsonObject(with: $0) as! [String: Any] }
        for key in LANFixture.stateKeys {
            if let value = source[key] { state[key] = value }
        }
        let data = try! JSONSerialization.data(withJSONObject: state)
        held.withLock { $0 = data }
    }
}
