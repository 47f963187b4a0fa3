import Foundation
import Hummingbird
import HummingbirdWebSocket
import Logging
import NIOCore
import ServiceLifecycle
import TandemAuth
import TandemAuthSQLite
import TandemConnection
import TandemHone
import TandemLAN
import TandemLANSQLite
import TandemRelay
import TandemRelaySQLite
import TandemSDS
import TandemSDSSQLite
import TandemSQLite
import TandemTinyHost
import TandemTinyHostSQLite
import UnixSignals

/// The addresses a running server listens on.
public struct BoundPorts: Sendable, Equatable {
    public var http: Int
    public var webSocket: Int
    /// The LAN endpoint's port; nil when `lan.enabled` is false.
    public var lan: Int? = nil
    /// The accounts port, when the server runs the accounts service.
    public var accounts: Int? = nil
}

/// Tandem's server: the relay core with SQLite storage, the Hone adapter, the HTTP port (with the
/// relay at `/ws`) and the WebSocket-only port (relay at any path), under one service group.
public struct TandemServer: Sendable {
    public static let version = "0.1.0"

    public let configuration: ServerConfiguration
    public let relay: Relay
    /// The accounts service beside the relay, when it runs one.
    public let accounts: AccountService?
    let accountsConfiguration: AccountsConfiguration?
    let accountStore: (any AccountStore)?
    /// The SDS token authority; nil when sds.jwt.secret is empty (SDS endpoints off).
    public let sdsTokens: SDSTokenAuthority?
    public let signalHub: SignalHub
    let sdsBlobs: any SDSBlobStore
    /// The JotBunker LAN endpoint; nil when `lan.enabled` is false.
    public let lan: LANEndpoint?
    /// TinyHost's accounts (sign-up, sessions) on the HTTP port; nil when `tinyhost.enabled` is false.
    public let tinyHostAccounts: TinyHostAccounts?
    /// The users' TinyBase stores behind `/{namespace}/ws`; nil when `tinyhost.enabled` is false.
    public let tinyBaseHub: TinyBaseSyncHub?
    let logger: Logger
    let startedAt = ContinuousClock.now

    /// Opens storage and builds the relay (and, with `accounts`, the accounts service, whose
    /// devices and projects then decide who may join which room); nothing listens until
    /// `makeServiceGroup` runs.
    public init(configuration: ServerConfiguration, accounts: AccountsConfiguration? = nil, logger: Logger)
        async throws
    {
        self.configuration = configuration
        self.logger = logger
        let pool = try SQLiteDatabase.open(
            path: configuration.sqlitePath, durability: configuration.durability, migrations: Self.migrations)
        let log = MessageLog(store: SQLiteMessageStore(pool: pool)) { [logger] error in
            logger.error("storage commit failed; retrying", metadata: ["error": "\(error)"])
        }
        let relay = Relay(limits: configuration.limits, log: log)
        self.relay = relay
        self.accountsConfiguration = accounts
        if let accounts {
            guard accounts.authSecret == configuration.authSecret else {
                throw ConfigError(
                    description: "auth.conf auth.secret differs from the relay's: with `tandem serve` they must match")
            }
            let accountPool =
                accounts.sqlitePath == configuration.sqlitePath
                ? pool : try SQLiteDatabase.open(path: accounts.sqlitePath, migrations: Self.migrations)
            let store = SQLiteAccountStore(pool: accountPool)
            self.accountStore = store
            self.accounts = AccountsServer.makeService(accounts, store: store, relay: relay, logger: logger)
        } else {
            self.accountStore = nil
            self.accounts = nil
        }
        self.sdsTokens =
            configuration.sdsSecret.isEmpty
            ? nil : try await SDSTokenAuthority(secret: configuration.sdsSecret, issuer: configuration.sdsIssuer)
        self.sdsBlobs = SQLiteSDSBlobStore(pool: pool)
        self.signalHub = SignalHub(
            maxPeersPerStore: configuration.limits.maxMembersPerRoom, maxStores: configuration.limits.maxRooms)
        self.tinyHostAccounts =
            configuration.tinyHost.isEnabled
            ? TinyHostAccounts(
                store: SQLiteTinyHostAccountStore(pool: pool), settings: configuration.tinyHost, logger: logger) : nil
        self.tinyBaseHub =
            configuration.tinyHost.isEnabled
            ? TinyBaseSyncHub(
                storage: SQLiteTinyBaseStorage(pool: pool), settings: configuration.tinyHost.sync, logger: logger) : nil
        self.lan =
            configuration.lan.isEnabled
            ? try await Self.makeLANEndpoint(configuration.lan, store: SQLiteLANStore(pool: pool), logger: logger) : nil
    }

    /// The pairing secret is the configured one, else the one kept in the database, generated on first start.
    private static func makeLANEndpoint(_ configuration: LANConfiguration, store: SQLiteLANStore, logger: Logger)
        async throws -> LANEndpoint
    {
        let secret: PairingSecret
        if !configuration.secret.isEmpty {
            secret = PairingSecret(configuration.secret)
        } else if let kept = try await store.setting(LANEndpoint.secretSetting) {
            secret = PairingSecret(kept)
        } else {
            secret = PairingSecret.generate()
            try await store.setSetting(LANEndpoint.secretSetting, secret.value)
        }
        return LANEndpoint(
            store: store, secret: secret, settings: configuration.settings,
            files: JotFileStore(directory: URL(fileURLWithPath: configuration.filesPath)), logger: logger)
    }

    /// Every feature's schema steps, in the order they were released.
    static let migrations =
        RelaySchema.migrations + LANSchema.migrations + AccountsSchema.migrations + TinyHostSchema.migrations
        + SDSBlobSchema.migrations

    /// The services to run. `onReady` is called once both ports are bound.
    public func makeServiceGroup(
        gracefulShutdownSignals: [UnixSignal] = [.sigterm, .sigint],
        onReady: @escaping @Sendable (BoundPorts) async -> Void = { _ in }
    ) -> ServiceGroup {
        let ports = PortCollector(expectsLAN: lan != nil, expectsAccounts: accounts != nil, onReady: onReady)
        let access: any AccessPolicy
        if configuration.isDevelopmentMode {
            access = DeviceTokenPolicy(signer: nil)
        } else if let accountStore {
            access = AccountAccessPolicy(
                signer: DeviceTokenSigner(secret: configuration.authSecret), store: accountStore)
        } else {
            access = DeviceTokenPolicy(
                signer: DeviceTokenSigner(
                    secret: configuration.authSecret, acceptsLegacyTokens: configuration.acceptsLegacyTokens))
        }
        let hone = HoneEndpoint(
            relay: relay, access: access, logger: logger, joinTimeout: configuration.joinTimeout)
        // Each route bounds its messages (over the bound: close 1009); the HTTP port, which also
        // serves SDS, accepts frames up to the larger bound.
        let honeMaxMessage = configuration.limits.maxMessageBytes * 2
        func webSocketConfiguration(maxFrame: Int) -> WebSocketServerConfiguration {
            WebSocketServerConfiguration(
                maxFrameSize: maxFrame,
                autoPing: configuration.pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled,
                closeTimeout: .seconds(5))
        }
        let httpWebSocket = webSocketConfiguration(maxFrame: max(honeMaxMessage, configuration.sds.maxFrameBytes))
        let serve: @Sendable (WebSocketInboundStream, WebSocketOutboundWriter, any Channel) async -> Void = {
            inbound, outbound, channel in
            await hone.serve(
                inbound: inbound.wireFrames(maxSize: honeMaxMessage),
                connection: WebSocketWireConnection(outbound: outbound, channel: channel))
        }

        let router = Router(context: RelayRequestContext.self)
        router.add(middleware: FreshConnectionMiddleware())
        addRoutes(to: router)
        if let lan { LANRoutes(endpoint: lan).add(to: router) }
        var runners = [hone.runner]
        let tinyBaseEndpoint = tinyBaseHub.map { TinyBaseSyncEndpoint(hub: $0, logger: logger) }
        if let tinyHostAccounts, let tinyBaseEndpoint {
            TinyHostAccountRoutes(accounts: tinyHostAccounts).add(to: router)
            TinyHostSyncRoutes(accounts: tinyHostAccounts, endpoint: tinyBaseEndpoint).add(to: router)
            runners.append(tinyBaseEndpoint.runner)
        }
        router.ws("/ws") { inbound, outbound, context in
            await serve(inbound, outbound, context.requestContext.channel)
        }
        let sdsRoutes = sdsTokens.map { tokens in
            SDSRoutes(
                sync: SDSEndpoint(
                    relay: relay, tokens: tokens, settings: configuration.sds, blobs: sdsBlobs, logger: logger),
                signal: SignalEndpoint(
                    hub: signalHub, tokens: tokens, limits: configuration.limits,
                    maxFrameBytes: configuration.sds.maxFrameBytes),
                maxFrameBytes: configuration.sds.maxFrameBytes)
        }
        SDSRoutes.add(sdsRoutes, to: router)
        if let sdsRoutes { runners += [sdsRoutes.sync.runner, sdsRoutes.signal.runner] }
        if let lan { runners.append(lan.runner) }
        let httpApp = Application(
            router: router,
            server: .http1WebSocketUpgrade(webSocketRouter: router, configuration: .init(ws: httpWebSocket)),
            configuration: .init(address: .hostname(configuration.host, port: configuration.httpPort), serverName: nil),
            onServerRunning: { channel in await ports.bound(http: channel.localAddress?.port ?? 0) },
            logger: logger)

        // The WebSocket-only port upgrades any path, as Hone's did; plain HTTP gets the same routes.
        let plainRouter = Router()
        addRoutes(to: plainRouter)
        let webSocketApp = Application(
            router: plainRouter,
            server: .http1WebSocketUpgrade(configuration: .init(ws: webSocketConfiguration(maxFrame: honeMaxMessage))) {
                _, channel, _ in
                .upgrade([:]) { inbound, outbound, _ in await serve(inbound, outbound, channel) }
            },
            configuration: .init(
                address: .hostname(configuration.host, port: configuration.webSocketPort), serverName: nil),
            onServerRunning: { channel in await ports.bound(webSocket: channel.localAddress?.port ?? 0) },
            logger: logger)

        var services: [ServiceGroupConfiguration.ServiceConfiguration] = [
            .init(
                service: Listener(
                    name: "HTTP", host: configuration.host, port: configuration.httpPort, wrapped: httpApp)),
            .init(
                service: Listener(
                    name: "WebSocket", host: configuration.host, port: configuration.webSocketPort,
                    wrapped: webSocketApp)),
        ]
        if let accounts, let accountsConfiguration {
            services.append(
                .init(
                    service: AccountsServer.makeApplication(accounts, accountsConfiguration, logger: logger) { port in
                        await ports.bound(accounts: port)
                    }))
            services.append(.init(service: AccountsJanitor(service: accounts, logger: logger)))
        }
        if let tinyHostAccounts {
            services.append(.init(service: TinyHostSessionJanitor(accounts: tinyHostAccounts, logger: logger)))
        }
        let relayService = RelayService(relay: relay, retentionDays: configuration.retentionDays, logger: logger)
        if let lan {
            let app = makeLANApplication(lan, ports: ports, pingInterval: configuration.pingInterval)
            services.append(
                .init(
                    service: Listener(
                        name: "LAN", host: configuration.lan.host, port: configuration.lan.port, wrapped: app)))
        }
        services.append(.init(service: relayService))
        let tinyBaseHub = self.tinyBaseHub
        services.append(
            .init(service: DrainService(runners: runners) { await tinyBaseHub?.shutDown() }))
        return ServiceGroup(
            configuration: .init(
                // Shut down in reverse: LAN phones and the relay first (1001 to every socket, flush), then the ports.
                services: services,
                gracefulShutdownSignals: gracefulShutdownSignals,
                logger: logger))
    }

    /// The LAN port: a WebSocket at any path (JotBunker's phone connects to `ws://ip:port` with no path) and
    /// `GET /ping`, which the phone uses to check reachability.
    private func makeLANApplication(_ lan: LANEndpoint, ports: PortCollector, pingInterval: Duration?)
        -> some Service
    {
        let router = Router()
        router.get("/ping") { _, _ in ["status": "ok", "deviceId": "desktop"] }
        let maxFrame = lan.settings.maxFrameBytes
        return Application(
            router: router,
            server: .http1WebSocketUpgrade(
                configuration: .init(
                    ws: WebSocketServerConfiguration(
                        maxFrameSize: maxFrame,
                        autoPing: pingInterval.map { .enabled(timePeriod: $0) } ?? .disabled,
                        closeTimeout: .seconds(5)))
            ) { _, channel, _ in
                .upgrade([:]) { inbound, outbound, _ in
                    await lan.serve(
                        inbound: inbound.wireFrames(maxSize: maxFrame),
                        connection: WebSocketWireConnection(outbound: outbound, channel: channel))
                }
            },
            configuration: .init(
                address: .hostname(configuration.lan.host, port: configuration.lan.port), serverName: nil),
            onServerRunning: { channel in await ports.bound(lan: channel.localAddress?.port ?? 0) },
            logger: logger)
    }

    private func addRoutes<Context: RequestContext>(to router: Router<Context>) {
        let relay = self.relay
        let startedAt = self.startedAt
        router.get("/health") { _, _ in
            let uptime = ContinuousClock.now - startedAt
            return HealthReport(
                status: "ok",
                uptime: uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000,
                rooms: relay.roomCount, connections: relay.connections, version: Self.version,
                timestamp: TinyHostTime.string(Date()))
        }
        router.get("/") { _, _ in "Tandem relay \(Self.version)\n" }
    }
}

/// Collects the bound ports and reports them once all are known.
private actor PortCollector {
    private var http: Int?
    private var webSocket: Int?
    private var lan: Int?
    private var accounts: Int?
    private let expectsLAN: Bool
    private let expectsAccounts: Bool
    private let onReady: @Sendable (BoundPorts) async -> Void

    init(expectsLAN: Bool, expectsAccounts: Bool, onReady: @escaping @Sendable (BoundPorts) async -> Void) {
        self.expectsLAN = expectsLAN
        self.expectsAccounts = expectsAccounts
        self.onReady = onReady
    }

    func bound(lan: Int) async {
        self.lan = lan
        await reportIfReady()
    }

    func bound(accounts: Int) async {
        self.accounts = accounts
        await reportIfReady()
    }

    func bound(http: Int) async {
        self.http = http
        await reportIfReady()
    }

    func bound(webSocket: Int) async {
        self.webSocket = webSocket
        await reportIfReady()
    }

    private func reportIfReady() async {
        guard let http, let webSocket, lan != nil || !expectsLAN, accounts != nil || !expectsAccounts else { return }
        await onReady(BoundPorts(http: http, webSocket: webSocket, lan: lan, accounts: accounts))
    }
}

extension TandemServer {
    /// The LAN pairing secret a server with `configuration` uses: `lan.secret`, else the one kept in the database
    /// (nil if the server never started with the LAN endpoint on). For commands that talk to a running server.
    public static func lanPairingSecret(_ configuration: ServerConfiguration) async throws -> String? {
        if !configuration.lan.secret.isEmpty { return configuration.lan.secret }
        let pool = try SQLiteDatabase.open(
            path: configuration.sqlitePath, durability: configuration.durability, migrations: Self.migrations)
        return try await SQLiteLANStore(pool: pool).setting(LANEndpoint.secretSetting)
    }
}
