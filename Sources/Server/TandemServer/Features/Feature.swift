import GRDB
import Hummingbird
import Logging
import ServiceLifecycle
import TandemAuth
import TandemConnection
import TandemRelay
import TandemSQLite

/// One wire protocol as the server composes it: the kind declares what is needed before anything
/// opens (its storage's schema steps, whether it runs), and builds the running feature from the
/// opened storage and the relay.
protocol FeatureKind: Sendable {
    /// The name start-up errors and logs use.
    static var name: String { get }
    /// Its storage's schema steps, in release order.
    static var migrations: [SQLiteMigration] { get }
    /// Whether it runs with these settings (its tables are created only then).
    static func isEnabled(_ context: FeatureSettings) -> Bool
    /// Builds the running feature; errors name what failed.
    static func make(_ context: FeatureContext) async throws -> Feature
}

/// What every feature is configured from.
struct FeatureSettings: Sendable {
    let configuration: ServerConfiguration
    /// The accounts service's settings, when `tandem serve` runs it beside the relay.
    let accounts: AccountsConfiguration?
}

/// What a feature is built from.
struct FeatureContext: Sendable {
    let settings: FeatureSettings
    let relay: Relay
    /// The server's database, migrated for every enabled feature.
    let database: DatabasePool
    /// Who may join which room.
    let access: any AccessPolicy
    /// The accounts' storage, when the accounts service runs in this process.
    let accountStore: (any AccountStore)?
    /// What every WebSocket listener puts in front of a connection (the per-address count, the
    /// handshake deadline).
    let listenerGuard: ListenerGuard
    /// The certificates the HTTP and WebSocket ports speak TLS with, when configured.
    let tls: TLSCertificates?
    /// The routes every port serves (`/health`, `/`).
    let commonRoutes: CommonRoutes
    /// The conformance echo every WebSocket listener serves, when `conformance.echo` is on.
    let echo: ConformanceEcho?
    let logger: Logger

    var configuration: ServerConfiguration { settings.configuration }
}

/// A running feature: what it adds to the server.
struct Feature: Sendable {
    /// The ports it listens on besides the HTTP port.
    var ports: Set<PortCollector.Port> = []
    /// Largest WebSocket frame its routes on the HTTP port accept.
    var httpMaxFrameBytes = 0
    /// Adds its routes to the HTTP port's router.
    var routes: @Sendable (Router<RelayRequestContext>) -> Void = { _ in }
    /// Services of its own (a listener on its own port, janitors); a listener reports its port.
    var services: @Sendable (PortCollector) -> [any Service] = { _ in [] }
    /// Its endpoints, whose connections are closed with 1001 at shutdown.
    var runners: [ConnectionRunner] = []
    /// Runs once its connections are closed (say, saving stores).
    var afterDrain: @Sendable () async -> Void = {}
    /// Its part of `OpenedServer`, for commands and tests.
    var exposes: OpenedServer.Parts = .init()
}
