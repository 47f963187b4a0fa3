import Foundation
import Hummingbird
import TandemAuth

/// An error answer of the accounts API: a status, a stable `error` code, a sentence for people,
/// and the values a client needs to react (limit, tier, retry time). docs/auth-api.md lists them.
struct AccountsHTTPError: HTTPResponseError {
    struct Body: Encodable {
        let error: String
        let message: String
        var parameter: String?
        var limit: Int?
        var tier: String?
        var windowSeconds: Int?
        var retryAfter: Int?
    }

    let status: HTTPResponse.Status
    var body: Body
    var headers: HTTPFields = [:]

    init(_ status: HTTPResponse.Status, _ code: String, _ message: String) {
        self.status = status
        self.body = Body(error: code, message: message)
    }

    func response(from request: Request, context: some RequestContext) throws -> Response {
        .uncachedJSON(status, ByteBuffer(bytes: try JSONEncoder().encode(body)), headers: headers)
    }

    static let notFound = AccountsHTTPError(.notFound, "not_found", "No such endpoint")
    static let invalidJSON = AccountsHTTPError(
        .badRequest, "invalid_json", "The request body must be a JSON object with the documented fields")

    static func methodNotAllowed(_ allowed: [HTTPRequest.Method]) -> AccountsHTTPError {
        var error = AccountsHTTPError(
            .methodNotAllowed, "method_not_allowed",
            "This endpoint accepts \(allowed.map(\.rawValue).joined(separator: ", ")) only")
        error.headers[.allow] = allowed.map(\.rawValue).joined(separator: ", ")
        return error
    }
}

extension AccountsHTTPError {
    /// The one place account errors become HTTP answers.
    init(_ error: AccountError) {
        switch error {
        case .missingParameter(let name):
            self.init(.badRequest, "missing_parameter", "Missing parameter: \(name)")
            body.parameter = name
        case .invalidParameter(let name, let rule):
            self.init(.badRequest, "invalid_parameter", "Invalid \(name): \(rule)")
            body.parameter = name
        case .invalidEmail:
            self.init(.badRequest, "invalid_email", "That is not a valid email address")
            body.parameter = "email"
        case .rateLimited(let scope, let limit, let window, let retryAfter):
            let what = scope == .email ? "this email address" : "your address"
            self.init(
                .tooManyRequests, "rate_limited",
                "Too many requests for \(what): at most \(limit) per \(window) seconds. Try again in \(retryAfter) seconds."
            )
            body.limit = limit
            body.windowSeconds = window
            body.retryAfter = retryAfter
            headers[.retryAfter] = String(retryAfter)
        case .linkUnknown:
            self.init(.notFound, "link_unknown", "This login link is not valid. Request a new one.")
        case .linkExpired:
            self.init(.gone, "link_expired", "This login link has expired. Request a new one.")
        case .linkUsed:
            self.init(.gone, "link_used", "This login link was already used. Request a new one.")
        case .loginUnknown:
            self.init(.notFound, "login_unknown", "No login with this id")
        case .loginExpired:
            self.init(.gone, "login_expired", "The login expired before its link was opened. Start again.")
        case .loginClaimed:
            self.init(.conflict, "login_claimed", "This login's device token was already handed out")
        case .quickSetupDisabled:
            self.init(.forbidden, "quick_setup_disabled", "Quick setup is disabled on this server; sign in by email")
        case .authenticationRequired:
            self.init(.unauthorized, "auth_required", "Send Authorization: Bearer <deviceToken>")
            headers[.wwwAuthenticate] = "Bearer"
        case .invalidToken:
            self.init(.unauthorized, "invalid_token", "The device token is invalid or its device was removed")
            headers[.wwwAuthenticate] = "Bearer error=\"invalid_token\""
        case .deviceNotFound:
            self.init(.notFound, "device_not_found", "You have no device with this id")
        case .projectNotFound:
            self.init(.notFound, "project_not_found", "You have no project with this id")
        case .userNotFound:
            self.init(.notFound, "user_not_found", "No such user")
        case .tierLimit(let tier, let limit):
            self.init(
                .forbidden, "tier_limit",
                "The \(tier.rawValue) tier allows \(limit) synced project\(limit == 1 ? "" : "s")")
            body.tier = tier.rawValue
            body.limit = limit
        case .pairingCodeUnknown:
            self.init(.notFound, "pairing_code_unknown", "No such pairing code")
        case .pairingCodeExpired:
            self.init(.gone, "pairing_code_expired", "This pairing code has expired. Create a new one.")
        case .pairingCodeUsed:
            self.init(.gone, "pairing_code_used", "This pairing code was already used. Create a new one.")
        case .mailUnavailable:
            self.init(.serviceUnavailable, "mail_unavailable", "The login mail could not be sent; try again later")
        case .storageUnavailable:
            self.init(.serviceUnavailable, "storage_unavailable", "Storage is unavailable; try again later")
        }
    }
}

/// Answers Hummingbird's own errors (unknown path, body too large) in the API's JSON shape.
struct AccountsErrorMiddleware: RouterMiddleware {
    typealias Context = AccountsRequestContext

    func handle(
        _ request: Request, context: Context, next: (Request, Context) async throws -> Response
    ) async throws -> Response {
        do {
            return try await next(request, context)
        } catch let error as HTTPError {
            if error.status == .notFound { throw AccountsHTTPError.notFound }
            let code = error.status.reasonPhrase.lowercased().replacingOccurrences(of: " ", with: "_")
            throw AccountsHTTPError(error.status, code, error.body ?? error.status.reasonPhrase)
        }
    }
}
