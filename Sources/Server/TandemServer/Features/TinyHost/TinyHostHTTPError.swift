import Foundation
import Hummingbird
import TandemTinyHost

/// A `TinyHostError` as an HTTP answer: its status and `{"error": code, "message": text}` (plus
/// `field` when one field is to blame), `Retry-After` on 429 and 503, `WWW-Authenticate` on 401.
/// Every TinyHost route answers its refusals through this one type.
struct TinyHostHTTPError: HTTPResponseError {
    struct Body: Encodable {
        let error: String
        let message: String
        var field: String?
    }

    let status: HTTPResponse.Status
    let body: Body
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.body = Body(error: code, message: message)
    }

    /// The one place a `TinyHostError` becomes an HTTP answer.
    init(_ error: TinyHostError) {
        status = Self.status(error.status)
        body = Body(error: error.code, message: error.message, field: error.field)
        if let seconds = error.retryAfterSeconds { headers[.retryAfter] = String(seconds) }
        if error.status == 401 {
            headers[.wwwAuthenticate] = error == .sessionRequired ? "Bearer" : "Bearer error=\"invalid_token\""
        }
    }

    /// A known TinyHost path asked with another method; `Allow` names the right one.
    static func methodNotAllowed(_ allowed: HTTPRequest.Method) -> TinyHostHTTPError {
        var error = TinyHostHTTPError(
            .methodNotAllowed, "method_not_allowed", "This endpoint accepts \(allowed.rawValue) only")
        error.headers[.allow] = allowed.rawValue
        return error
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .uncachedJSON(status, ByteBuffer(bytes: try JSONEncoder().encode(body)), headers: headers)
    }

    /// Runs `body`, turning a thrown `TinyHostError` into its HTTP answer.
    static func mapping<T>(_ body: () async throws -> T) async throws -> T {
        do {
            return try await body()
        } catch let error as TinyHostError {
            throw TinyHostHTTPError(error)
        }
    }

    private static func status(_ code: Int) -> HTTPResponse.Status {
        switch code {
        case 400: .badRequest
        case 401: .unauthorized
        case 404: .notFound
        case 409: .conflict
        case 413: .contentTooLarge
        case 429: .tooManyRequests
        case 503: .serviceUnavailable
        default: .internalServerError
        }
    }
}

/// Reading TinyHost requests: session UUIDs and bounded JSON bodies.
enum TinyHostRequest {
    /// The session UUID a request carries: `Authorization: Bearer <uuid>`, else the
    /// `X-Session-UUID` header (manual sync), else the `sessionUuid` query parameter (WebSocket).
    static func sessionUUID(_ request: Request) throws(TinyHostError) -> String {
        if let authorization = request.headers[.authorization] {
            let parts = authorization.split(separator: " ", maxSplits: 1)
            guard parts.count == 2, parts[0].lowercased() == "bearer" else { throw .sessionRequired }
            return parts[1].trimmingCharacters(in: .whitespaces)
        }
        if let header = request.headers.first(where: { $0.name.canonicalName == "x-session-uuid" })?.value,
            !header.isEmpty
        {
            return header
        }
        if let query = request.uri.queryParameters.get("sessionUuid"), !query.isEmpty { return query }
        throw .sessionRequired
    }

    /// The whole body, at most `limit` bytes (`bodyTooLarge` beyond).
    static func body(_ request: Request, limit: Int) async throws(TinyHostError) -> ByteBuffer {
        var request = request
        do {
            return try await request.collectBody(upTo: limit)
        } catch {
            throw .bodyTooLarge(limit: limit)
        }
    }

    /// Decodes a JSON object of at most `limit` bytes. A field of the wrong type is
    /// `invalidField`; anything that is not a JSON object is `invalidJSON`.
    static func decode<T: Decodable>(_ type: T.Type, _ request: Request, limit: Int) async throws(TinyHostError) -> T {
        let body = try await self.body(request, limit: limit)
        do {
            return try JSONDecoder().decode(T.self, from: Data(buffer: body))
        } catch DecodingError.typeMismatch(_, let context) where !context.codingPath.isEmpty {
            throw .invalidField(context.codingPath.map(\.stringValue).joined(separator: "."), rule: "must be a string")
        } catch {
            throw .invalidJSON
        }
    }
}
