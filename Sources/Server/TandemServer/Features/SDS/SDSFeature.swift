import TandemRelay
import TandemSDS
import TandemSDSSQLite
import TandemSQLite

/// The SDS protocol on the HTTP port: `/ws/:storeId` (stores as relay rooms, value blobs in its own
/// table), `/signal/:storeId` and `/api/token`. Without `sds.jwt.secret` the routes answer 503.
enum SDSFeature: FeatureKind {
    static let name = "the SDS endpoints"
    static let migrations = SDSBlobSchema.migrations

    static func isEnabled(_ settings: FeatureSettings) -> Bool { true }

    static func make(_ context: FeatureContext) async throws -> Feature {
        let configuration = context.configuration
        var routes: SDSRoutes?
        if !configuration.sdsSecret.isEmpty {
            let tokens = try await SDSTokenAuthority(secret: configuration.sdsSecret, issuer: configuration.sdsIssuer)
            routes = SDSRoutes(
                sync: SDSEndpoint(
                    relay: context.relay, tokens: tokens, settings: configuration.sds,
                    blobs: SQLiteSDSBlobStore(pool: context.database), logger: context.logger),
                signal: SignalEndpoint(
                    hub: SignalHub(
                        maxPeersPerStore: configuration.limits.maxMembersPerRoom,
                        maxStores: configuration.limits.maxRooms),
                    tokens: tokens, limits: configuration.limits, maxFrameBytes: configuration.sds.maxFrameBytes),
                maxFrameBytes: configuration.sds.maxFrameBytes)
        }
        let enabled = routes
        return Feature(
            httpMaxFrameBytes: configuration.sds.maxFrameBytes,
            routes: { router in SDSRoutes.add(enabled, to: router) },
            runners: enabled.map { [$0.sync.runner, $0.signal.runner] } ?? [])
    }
}
