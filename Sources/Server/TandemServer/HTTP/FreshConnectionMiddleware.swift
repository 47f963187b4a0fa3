import Hummingbird

/// Ends the connection after every plain HTTP answer on a port that also upgrades to WebSocket.
///
/// The HTTP/1 upgrade can only happen on a connection's first request, and clients such as
/// Node's fetch/WebSocket reuse a kept-alive connection: an app that signs in (or asks for a token)
/// and then opens its WebSocket would otherwise have its upgrade refused. Upgrade requests are left
/// alone.
struct FreshConnectionMiddleware<Context: RequestContext>: RouterMiddleware {
    func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response)
        async throws -> Response
    {
        guard request.headers[.upgrade] == nil else { return try await next(request, context) }
        var response: Response
        do {
            response = try await next(request, context)
        } catch let error as any HTTPResponseError {
            response = try error.response(from: request, context: context)
        }
        response.headers[.connection] = "close"
        return response
    }
}
