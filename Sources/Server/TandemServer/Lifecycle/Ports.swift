/// The addresses a running server listens on.
package struct BoundPorts: Sendable, Equatable {
    package var http: Int
    package var webSocket: Int
    /// The LAN endpoint's port; nil when `lan.enabled` is false.
    package var lan: Int? = nil
    /// The accounts port, when the server runs the accounts service.
    package var accounts: Int? = nil
}

/// Collects the bound ports and reports them once every expected one is known.
actor PortCollector {
    enum Port: Hashable, Sendable {
        case http, webSocket, lan, accounts
    }

    private var bound: [Port: Int] = [:]
    private let expected: Set<Port>
    private let onReady: @Sendable (BoundPorts) async -> Void

    init(expecting expected: Set<Port>, onReady: @escaping @Sendable (BoundPorts) async -> Void) {
        self.expected = expected.union([.http])
        self.onReady = onReady
    }

    func bound(_ port: Port, _ number: Int) async {
        bound[port] = number
        guard expected.isSubset(of: Set(bound.keys)), let http = bound[.http] else { return }
        await onReady(
            BoundPorts(
                http: http, webSocket: bound[.webSocket] ?? 0, lan: bound[.lan], accounts: bound[.accounts]))
    }
}
