/// Why a message could not be sent.
package enum SMTPError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The TCP connection could not be opened.
    case connectionFailed(String)
    /// The server did not answer within the configured time at `stage`.
    case timeout(stage: String)
    /// The server refused a command (or greeting) with this reply.
    case rejected(stage: String, code: Int, text: String)
    /// The server sent something that is not an SMTP reply.
    case malformedReply(String)
    /// The connection closed before the exchange finished.
    case connectionClosed(stage: String)
    /// TLS was required but the server does not offer STARTTLS.
    case startTLSUnavailable
    /// Credentials are configured but the connection is not encrypted, or the server offers no
    /// mechanism this client speaks (PLAIN, LOGIN).
    case authenticationUnavailable(String)
    /// TLS setup failed (bad certificate, handshake).
    case tls(String)
    /// An address would break the protocol (line breaks, angle brackets).
    case invalidAddress(String)

    package var description: String {
        switch self {
        case .connectionFailed(let why): "cannot connect to the SMTP server: \(why)"
        case .timeout(let stage): "the SMTP server did not answer in time (\(stage))"
        case .rejected(let stage, let code, let text): "the SMTP server refused \(stage): \(code) \(text)"
        case .malformedReply(let line): "the SMTP server sent a malformed reply: \(line.prefix(200))"
        case .connectionClosed(let stage): "the SMTP server closed the connection (\(stage))"
        case .startTLSUnavailable: "the SMTP server does not offer STARTTLS, which is required"
        case .authenticationUnavailable(let why): "cannot authenticate to the SMTP server: \(why)"
        case .tls(let why): "TLS with the SMTP server failed: \(why)"
        case .invalidAddress(let address): "invalid mail address: \(address)"
        }
    }
}
