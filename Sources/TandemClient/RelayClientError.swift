/// Errors a `RelayClient` reports.
public enum RelayClientError: Error, Sendable, Equatable {
    case syncDisabled
    case invalidConfiguration(String)
    /// The payload is not valid JSON.
    case invalidPayload
    /// The server refused the message (code and text from its error frame); it will not be retried.
    case refused(code: String, message: String)
    /// The server ended the session for good (bad token, another connection of this device...).
    case rejected(closeCode: Int, reason: String)
    /// `stop()` was called before the message was acknowledged.
    case stopped
}
