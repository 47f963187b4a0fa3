import Foundation
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TandemConnection
import TandemRelay
import TandemSDS

/// The SDS endpoints on the HTTP port: `/ws/:storeId`, `/signal/:storeId` and `POST /api/token`.
struct SDSRoutes: Sendable {
    let sync: SDSEndpoint
    let signal: SignalEndpoint
    /// Largest frame the WebSocket layer accepts before the endpoints' own checks.
    let maxFrameBytes: Int

    /// Adds the routes; with `routes` nil (no sds.jwt.secret) they answer 503.
    static func add(_ routes: SDSRoutes?, to router: Router<RelayRequestContext>) {
        let disabled = HTTPError(.serviceUnavailable, message: "SDS endpoints are off: set sds.jwt.secret")
        let shouldUpgrade: @Sendable (Request, RelayRequestContext) async throws -> RouterShouldUpgrade = { _, _ in
            guard routes != nil else { throw disabled }
            return .upgrade([:])
        }
        router.ws("/ws/:storeId", shouldUpgrade: shouldUpgrade) { inbound, outbound, context in
            guard let routes else { return }
            try await inbound.wireFrames(maxSize: routes.maxFrameBytes) { frames in
                await routes.sync.serve(
                    store: storeID(context.requestContext), token: context.request.uri.queryParameters.get("token"),
                    inbound: frames,
                    connection: WebSocketWireConnection(outbound: outbound, channel: context.requestContext.channel))
            }
        }
        router.ws("/signal/:storeId", shouldUpgrade: shouldUpgrade) { inbound, outbound, context in
            guard let routes else { return }
            try await inbound.wireFrames(maxSize: routes.maxFrameBytes) { frames in
                await routes.signal.serve(
                    store: storeID(context.requestContext), token: context.request.uri.queryParameters.get("token"),
                    inbound: frames,
                    connection: WebSocketWireConnection(outbound: outbound, channel: context.requestContext.channel))
            }
        }
        router.post("/api/token") { request, _ -> Response in
            guard let routes else { throw disabled }
            return await routes.issueToken(request)
        }
    }

    private static func storeID(_ context: RelayRequestContext) -> String {
        let raw = context.parameters.get("storeId") ?? ""
        return raw.removingPercentEncoding ?? raw
    }

    /// `POST /api/token`: an admin token of a store issues a token for the same store.
    /// Error texts are the original server's, plus two for values it silently accepted.
    private func issueToken(_ request: Request) async -> Response {
        guard let header = request.headers[.authorization], header.hasPrefix("Bearer ") else {
            return Self.json(["error": "missing token"], status: .unauthorized)
        }
        let admin: SDSClaims
        do {
            admin = try await sync.tokens.verify(String(header.dropFirst("Bearer ".count)))
        } catch {
            return Self.json(["error": "invalid token"], status: .unauthorized)
        }
        guard admin.scope == .admin else { return Self.json(["error": "admin scope required"], status: .forbidden) }
        guard let body = try? await request.body.collect(upTo: 64 * 1024),
            let object = try? JSONSerialization.jsonObject(with: Data(buffer: body)) as? [String: Any]
        else { return Self.json(["error": "invalid JSON body"], status: .badRequest) }
        guard let subject = object["sub"] as? String, let scopeName = object["scope"] as? String else {
            return Self.json(["error": "sub and scope required"], status: .badRequest)
        }
        guard let scope = SDSScope(rawValue: scopeName) else {
            return Self.json(["error": "scope must be read, write or admin"], status: .badRequest)
        }
        var lifetime = SDSTokenLifetime.standard
        if let exp = object["exp"] {
            guard let text = exp as? String, let parsed = SDSTokenLifetime.parse(text) else {
                return Self.json(
                    ["error": "exp must be a whole number and s, m, h or d (like 30s, 15m, 1h, 7d), at most 3650d"],
                    status: .badRequest)
            }
            lifetime = parsed
        }
        do {
            let token = try await sync.tokens.issue(
                subject: subject, store: admin.aud, scope: scope, lifetime: lifetime)
            return Self.json(["token": token], status: .ok)
        } catch {
            return Self.json(["error": "could not sign the token"], status: .internalServerError)
        }
    }

    private static func json(_ object: [String: String], status: HTTPResponse.Status) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: [.contentType: "application/json"], body: .init(byteBuffer: ByteBuffer(data: data))
        )
    }
}
