import TandemConnection
import TandemRelay

/// Every error the Hone adapter reports: a stable machine-readable code, the human text (Hone's own
/// wording where Hone had one), and, for join failures, the WebSocket close code that follows.
///
/// docs/protocol-hone.md lists them all; keep the two in step.
public struct HoneError: Error, Sendable, Equatable {
    public let code: String
    public let text: String
    /// Set for errors that end the connection.
    public let close: UInt16?
    /// The configured limit the error enforces, when there is one.
    public let limit: Int?

    init(_ code: String, _ text: String, close: UInt16? = nil, limit: Int? = nil) {
        self.code = code
        self.text = text
        self.close = close
        self.limit = limit
    }

    // Join phase: each closes the connection.
    static let joinRequired = HoneError("join_required", "First message must be join", close: 4400)
    static func joinTimeout(_ timeout: Duration) -> HoneError {
        HoneError("join_timeout", "No join frame within \(timeout.components.seconds) seconds", close: 4400)
    }
    static let missingRoom = HoneError("missing_room", "Missing room", close: 4400)
    static let missingDevice = HoneError("missing_device", "Missing device", close: 4400)
    static let emptyRoomOrDevice = HoneError("empty_room_or_device", "Empty room or device", close: 4400)
    static func invalidJoinField(_ field: String, _ rule: String) -> HoneError {
        HoneError("invalid_field", "Invalid \(field): \(rule)", close: 4400)
    }
    static let authenticationRequired = HoneError("auth_required", "Authentication required", close: 4401)
    static let invalidToken = HoneError("invalid_token", "Invalid token", close: 4401)
    static let wrongDevice = HoneError("device_mismatch", "Token belongs to another device", close: 4403)
    static let roomForbidden = HoneError("room_forbidden", "Not allowed in this room", close: 4403)
    static func roomFull(limit: Int) -> HoneError {
        HoneError("room_full", "Room full", close: 4503, limit: limit)
    }
    static func tooManyRooms(limit: Int) -> HoneError {
        HoneError("too_many_rooms", "Too many rooms on this server (limit \(limit))", close: 4503, limit: limit)
    }
    static let shuttingDown = HoneError("shutting_down", "Server shutting down", close: 1001)
    static let storageUnavailable = HoneError("storage_unavailable", "Storage unavailable, try again", close: 1011)

    // After join: the frame is refused, the connection stays open.
    static let invalidJSON = HoneError("invalid_json", "Message is not a JSON object")
    static let binaryFrame = HoneError("binary_not_supported", "Binary frames are not part of this protocol")
    static let alreadyJoined = HoneError("already_joined", "Already joined: one room per connection")
    static func missingField(_ field: String) -> HoneError {
        HoneError("invalid_message", "Missing or empty \(field): from, to and room must be non-empty strings")
    }
    static func fieldTooLong(_ field: String, limit: Int) -> HoneError {
        HoneError("field_too_long", "\(field) is longer than \(limit) characters", limit: limit)
    }
    static let invalidID = HoneError("invalid_id", "id must be a non-empty string")
    static let senderMismatch = HoneError("sender_mismatch", "from must be the joined device")
    static let roomMismatch = HoneError("room_mismatch", "room must be the joined room")
    static let noHost = HoneError("no_host", "The room has no host")
    static let selfAddressed = HoneError("self_addressed", "A message cannot be addressed to its sender")
    static let notMember = HoneError("not_member", "This connection is no longer in the room")
    static func messageTooLarge(limit: Int) -> HoneError {
        HoneError("message_too_large", "Message larger than \(limit) bytes", limit: limit)
    }

    static func from(_ error: AccessDenied) -> HoneError {
        switch error {
        case .tokenRequired: .authenticationRequired
        case .invalidToken: .invalidToken
        case .wrongDevice: .wrongDevice
        case .roomForbidden: .roomForbidden
        }
    }

    static func from(_ error: JoinError) -> HoneError {
        switch error {
        case .roomFull(let limit): .roomFull(limit: limit)
        case .tooManyRooms(let limit): .tooManyRooms(limit: limit)
        case .shuttingDown: .shuttingDown
        case .storageUnavailable: .storageUnavailable
        }
    }

    static func from(_ error: SendError) -> HoneError {
        switch error {
        case .noHost: .noHost
        case .selfAddressed: .selfAddressed
        case .notMember: .notMember
        }
    }
}
