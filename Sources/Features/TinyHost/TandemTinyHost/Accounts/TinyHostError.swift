/// Everything the TinyHost accounts refuse. Each case carries its HTTP status, a stable `error`
/// code and a sentence for people, so every route answers the same way.
package enum TinyHostError: Error, Sendable, Equatable {
    /// The body is not a JSON object.
    case invalidJSON
    case missingField(String)
    /// A field has the wrong type or breaks a rule.
    case invalidField(String, rule: String)
    case invalidEmail
    case passwordTooShort(minimum: Int)
    case passwordTooLong(maximumBytes: Int)
    case bodyTooLarge(limit: Int)
    /// The namespace is not served: not in the allow-list, not a valid name, or a reserved word.
    case unknownNamespace(String)
    case emailTaken
    /// Unknown email or wrong password; deliberately the same answer for both.
    case invalidCredentials
    /// No session UUID was sent.
    case sessionRequired
    /// The session UUID is unknown, was signed out, or belongs to another namespace.
    case invalidSession
    case sessionExpired
    case rateLimited(retryAfterSeconds: Int)
    /// Too many password hashes are already waiting for a worker.
    case busy
    /// Storage or hashing failed; details go to the log, not to the client.
    case internalError

    package var status: Int {
        switch self {
        case .invalidJSON, .missingField, .invalidField, .invalidEmail, .passwordTooShort, .passwordTooLong: 400
        case .invalidCredentials, .sessionRequired, .invalidSession, .sessionExpired: 401
        case .unknownNamespace: 404
        case .emailTaken: 409
        case .bodyTooLarge: 413
        case .rateLimited: 429
        case .internalError: 500
        case .busy: 503
        }
    }

    package var code: String {
        switch self {
        case .invalidJSON: "invalid_json"
        case .missingField: "missing_field"
        case .invalidField: "invalid_field"
        case .invalidEmail: "invalid_email"
        case .passwordTooShort: "password_too_short"
        case .passwordTooLong: "password_too_long"
        case .bodyTooLarge: "body_too_large"
        case .unknownNamespace: "unknown_namespace"
        case .emailTaken: "email_taken"
        case .invalidCredentials: "invalid_credentials"
        case .sessionRequired: "session_required"
        case .invalidSession: "invalid_session"
        case .sessionExpired: "session_expired"
        case .rateLimited: "rate_limited"
        case .busy: "busy"
        case .internalError: "internal_error"
        }
    }

    package var message: String {
        switch self {
        case .invalidJSON: "The request body must be a JSON object"
        case .missingField(let name): "Missing field: \(name)"
        case .invalidField(let name, let rule): "Invalid \(name): \(rule)"
        case .invalidEmail: "That is not a valid email address"
        case .passwordTooShort(let minimum): "The password must have at least \(minimum) characters"
        case .passwordTooLong(let maximum): "The password must be at most \(maximum) bytes"
        case .bodyTooLarge(let limit): "The request body is larger than \(limit) bytes"
        case .unknownNamespace(let name): "No namespace named '\(name)' on this server"
        case .emailTaken: "An account with this email already exists in this namespace"
        case .invalidCredentials: "Wrong email or password"
        case .sessionRequired: "Send Authorization: Bearer <session_uuid>"
        case .invalidSession: "The session is not valid; sign in again"
        case .sessionExpired: "The session has expired; sign in again"
        case .rateLimited(let seconds): "Too many attempts; try again in \(seconds) seconds"
        case .busy: "The server is busy; try again shortly"
        case .internalError: "Something went wrong on the server; try again later"
        }
    }

    /// The `field` member of the JSON error, when one field is to blame.
    package var field: String? {
        switch self {
        case .missingField(let name), .invalidField(let name, _): name
        case .invalidEmail: "email"
        case .passwordTooShort, .passwordTooLong: "password"
        default: nil
        }
    }

    /// Seconds to send in `Retry-After`, for answers that have one.
    package var retryAfterSeconds: Int? {
        switch self {
        case .rateLimited(let seconds): seconds
        case .busy: 1
        default: nil
        }
    }
}
