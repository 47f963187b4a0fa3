import Foundation
import Logging
import NIOSSL
import ServiceLifecycle
import TandemChaos
import TandemServer
import TandemTestSupport

/// A real Tandem server on 127.0.0.1 with ephemeral ports and its own SQLite file.
final class TestServer: Sendable {
    let server: OpenedServer
    let ports: BoundPorts
    let databasePath: String
    private let group: ServiceGroup
    private let task: Task<Void, any Error>

    /// Starts a server; `settings` are relay.conf keys applied over the test defaults. With
    /// `accounts` (auth.conf keys), the accounts service runs beside the relay on a free port.
    static func start(
        _ settings: [String: String] = [:], databasePath: String? = nil, accounts: [String: String]? = nil
    ) async throws -> TestServer {
        let path = databasePath ?? TestServer.temporaryDatabasePath()
        // TinyHost's Argon2id at libsodium's minimum cost: every server hashes once at start.
        var overrides: [(String, String)] = [
            ("port", "0"), ("sqlite.path", path), ("ping.interval.seconds", "0"), ("tinyhost.password.ops", "1"),
            ("tinyhost.password.memory.kib", "8"),
        ]
        overrides += settings.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
        let (configuration, _) = try ConfigLoader.load(
            configPath: nil, searchWorkingDirectory: false, environment: [:], overrides: overrides)
        var logger = Logger(label: "tandem-test")
        logger.logLevel = .warning
        var accountsConfiguration: AccountsConfiguration?
        if let accounts {
            var loader = ConfigLoader.forAccounts()
            try loader.applyOverride("port", "0")
            for (key, value) in accounts.sorted(by: { $0.key < $1.key }) { try loader.applyOverride(key, value) }
            accountsConfiguration = try loader.accountsConfiguration(relay: configuration)
        }
        let server = try await TandemServer(
            configuration: configuration, accounts: accountsConfiguration, logger: logger
        ).open()
        let ready = Mailbox<BoundPorts>()
        let group = server.makeServiceGroup(gracefulShutdownSignals: []) { ports in ready.put(ports) }
        let task = Task { try await group.run() }
        guard let ports = try await ready.next(timeout: .seconds(10)) else {
            throw Timeout(description: "server did not start")
        }
        return TestServer(server: server, ports: ports, databasePath: path, group: group, task: task)
    }

    private init(
        server: OpenedServer, ports: BoundPorts, databasePath: String, group: ServiceGroup, task: Task<Void, any Error>
    ) {
        self.server = server
        self.ports = ports
        self.databasePath = databasePath
        self.group = group
        self.task = task
    }

    /// The WebSocket-only port, at any path.
    var webSocketURL: String { "ws://127.0.0.1:\(ports.webSocket)/sync" }
    /// The relay on the HTTP port.
    var httpWebSocketURL: String { "ws://127.0.0.1:\(ports.http)/ws" }
    var httpURL: String { "http://127.0.0.1:\(ports.http)" }
    /// The accounts service, when started with `accounts`.
    var accountsURL: String { "http://127.0.0.1:\(ports.accounts ?? 0)" }

    /// Graceful shutdown, as on SIGTERM; fails the test if it takes more than 20 s.
    func stop() async throws {
        await group.triggerGracefulShutdown()
        let task = self.task
        try await withThrowingTaskGroup(of: Void.self) { group in
            group.addTask { try await task.value }
            group.addTask {
                try await Task.sleep(for: .seconds(20))
                throw Timeout(description: "graceful shutdown took more than 20 s")
            }
            defer { group.cancelAll() }
            try await group.next()
        }
    }

    static func temporaryDatabasePath() -> String {
        TestFiles.directory("tandem-tests").appendingPathComponent("relay.db").path
    }
}

/// Opens a socket and joins; returns the socket and its `joined` reply.
func join(
    _ url: String, room: String, device: String, token: String? = nil, lastSeq: Int? = nil,
    tls: TLSConfiguration? = nil
) async throws -> (TestSocket, [String: Any]) {
    let socket = try await TestSocket.connect(url, tls: tls)
    var frame: [String: Any] = ["type": "join", "room": room, "device": device]
    if let token { frame["token"] = token }
    if let lastSeq { frame["lastSeq"] = lastSeq }
    socket.send(json: frame)
    return (socket, try await socket.next())
}

/// Joins `devices` in order and reads the peer-joined notices the earlier ones get, so every
/// socket starts with nothing pending.
func joinAll(_ url: String, room: String, devices: [String]) async throws -> [TestSocket] {
    var sockets: [TestSocket] = []
    for device in devices {
        let (socket, _) = try await join(url, room: room, device: device)
        for earlier in sockets { _ = try await earlier.next() }
        sockets.append(socket)
    }
    return sockets
}
