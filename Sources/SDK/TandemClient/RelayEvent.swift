import Foundation

/// Something that happened on the relay connection.
public enum RelayEvent: Sendable {
    /// The client joined (again) and is up to date from here on.
    case joined(JoinInfo)
    /// A message from another device, in room seq order, each exactly once.
    case message(RelayMessage)
    case peerJoined(device: String)
    case peerLeft(device: String)
    case hostChanged(host: String?)
    /// The client's lastSeq could not be resumed exactly (another epoch, or pruned history): the app
    /// should rebuild its state; the messages that follow start from the oldest the server has.
    case resyncRequired(epoch: String)
    /// An error frame not tied to one of this client's messages.
    case serverError(code: String, message: String)
    /// The connection was lost; the client reconnects by itself after `retryIn`.
    case disconnected(closeCode: Int?, retryIn: Duration)
    /// The client stopped for good (after `stop()` or a rejection).
    case stopped(RelayClientError?)
}

/// What `joined` told the client.
public struct JoinInfo: Sendable, Equatable {
    public let host: String?
    public let isHost: Bool
    public let peers: [String]
    public let roomSeq: UInt64
    public let epoch: String
}

/// A relayed message.
public struct RelayMessage: Sendable, Equatable {
    public let seq: UInt64
    public let from: String
    public let to: String
    /// The sender's message id, if it gave one.
    public let id: String?
    /// Server time of sequencing, milliseconds since 1970.
    public let timestamp: Int64
    /// The payload as JSON text.
    public let payloadJSON: String

    /// Decodes the payload.
    public func payload<T: Decodable>(as type: T.Type) throws -> T {
        try JSONDecoder().decode(T.self, from: Data(payloadJSON.utf8))
    }
}

/// Who a message is for.
public enum RelayRecipient: Sendable, Equatable {
    case broadcast
    case host
    case device(String)

    var wireValue: String {
        switch self {
        case .broadcast: "broadcast"
        case .host: "host"
        case .device(let id): id
        }
    }
}
