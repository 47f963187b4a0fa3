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
    /// `stop()` was called before the message was acknowledged. With a persisted outbox the message
    /// stays in the file and is sent by the next client opened on it.
    case stopped
    /// The persisted outbox could not be read or written (the operation, path and system error).
    /// A `send` that fails with it sent nothing.
    case outbox(String)
    /// `acknowledgement(of:)` was asked about an id that is neither pending nor restored.
    case unknownMessage(id: String)
}
