import ServiceLifecycle

/// A service that listens on one address, named, so that a failure (a port already in use, an
/// address that is not this machine's) says which listener failed and where.
struct Listener<Wrapped: Service>: Service {
    let name: String
    let host: String
    let port: Int
    let wrapped: Wrapped

    func run() async throws {
        do {
            try await wrapped.run()
        } catch {
            throw ListenerError(listener: name, host: host, port: port, underlying: "\(error)")
        }
    }
}

/// A listener stopped with an error, typically when it could not bind its address.
package struct ListenerError: Error, CustomStringConvertible, Equatable {
    /// `HTTP`, `WebSocket`, `accounts` or `LAN`.
    package let listener: String
    package let host: String
    package let port: Int
    package let underlying: String

    package var description: String {
        let address = host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
        let setting = ["HTTP": "port", "WebSocket": "ws.port", "accounts": "auth.conf port", "LAN": "lan.port"][
            listener]
        return "the \(listener) listener on \(address) failed: \(underlying)"
            + (setting.map { " (its setting: \($0); see README, Configuration)" } ?? "")
    }
}
