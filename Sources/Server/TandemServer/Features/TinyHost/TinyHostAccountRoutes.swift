import HTTPTypes
import Hummingbird
import NIOCore
import TandemTinyHost

/// TinyHost's account routes on the HTTP port: `POST /{namespace}/sign-up`, `/sign-in`,
/// `/sign-out` and `GET /api/session`. Every refusal is a JSON `TinyHostHTTPError`.
struct TinyHostAccountRoutes: Sendable {
    let accounts: TinyHostAccounts
    /// The reverse proxies whose forwarding header names the client the rate limits count.
    let proxies: TrustedProxies

    func add(to router: Router<RelayRequestContext>) {
        let accounts = self.accounts
        let proxies = self.proxies
        let settings = accounts.settings
        router.post("/:namespace/sign-up") { request, context -> Response in
            try await TinyHostHTTPError.mapping {
                let namespace = try Self.namespace(context, settings)
                let body = try await TinyHostRequest.decode(
                    TinyHostCredentialsRequest.self, request, limit: settings.maxRequestBytes)
                try await accounts.signUp(
                    namespace: namespace, email: body.email, password: body.password,
                    clientAddress: Self.clientAddress(request, context, proxies))
                return try EditedResponse(
                    status: .created, response: TinyHostSuccessBody(message: "Account created successfully")
                ).response(from: request, context: context)
            }
        }
        router.post("/:namespace/sign-in") { request, context in
            try await TinyHostHTTPError.mapping {
                let namespace = try Self.namespace(context, settings)
                let body = try await TinyHostRequest.decode(
                    TinyHostCredentialsRequest.self, request, limit: settings.maxRequestBytes)
                let signedIn = try await accounts.signIn(
                    namespace: namespace, email: body.email, password: body.password,
                    clientAddress: Self.clientAddress(request, context, proxies))
                return TinyHostSignInBody(
                    sessionUUID: signedIn.sessionUUID, session: signedIn.session, user: signedIn.user)
            }
        }
        router.post("/:namespace/sign-out") { request, context in
            try await TinyHostHTTPError.mapping {
                let namespace = try Self.namespace(context, settings)
                try await accounts.signOut(sessionUUID: TinyHostRequest.sessionUUID(request), namespace: namespace)
                return TinyHostSuccessBody(message: "Signed out successfully")
            }
        }
        // Other methods on these paths get a JSON 405 instead of an empty 404.
        let endpoints: [(String, HTTPRequest.Method)] = [
            ("/:namespace/sign-up", .post), ("/:namespace/sign-in", .post), ("/:namespace/sign-out", .post),
            ("/api/session", .get),
        ]
        for (path, allowed) in endpoints {
            for method in [HTTPRequest.Method.get, .post, .put, .patch, .delete] where method != allowed {
                router.on(RouterPath(path), method: method) { _, _ -> Response in
                    throw TinyHostHTTPError.methodNotAllowed(allowed)
                }
            }
        }
        router.get("/api/session") { request, _ in
            try await TinyHostHTTPError.mapping {
                let uuid = try TinyHostRequest.sessionUUID(request)
                let found = try await accounts.authenticate(sessionUUID: uuid, namespace: nil)
                return TinyHostSessionBody(
                    sessionUUID: SessionToken.normalize(uuid) ?? uuid, session: found.session, user: found.user)
            }
        }
    }

    /// The `:namespace` path segment, checked against the allow-list and reserved words.
    static func namespace(_ context: RelayRequestContext, _ settings: TinyHostSettings) throws(TinyHostError)
        -> String
    {
        let namespace = context.parameters.get("namespace") ?? ""
        try settings.namespaces.validate(namespace)
        return namespace
    }

    /// The address the rate limits count by: the TCP peer, or the client a trusted proxy names.
    static func clientAddress(_ request: Request, _ context: RelayRequestContext, _ proxies: TrustedProxies) -> String {
        let peer = context.channel.remoteAddress?.ipAddress ?? ""
        guard proxies.trusts(peer), let name = HTTPField.Name(proxies.header.rawValue) else { return peer }
        return proxies.client(peer: peer, headerValues: request.headers[values: name])
    }
}
