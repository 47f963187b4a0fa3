import Foundation
import TandemCore

/// A relayed message `{"from","to","room","payload",...}`, validated against the joined member and
/// pre-rendered so that sequencing only appends the server's fields.
struct HoneMessage {
    let recipient: Recipient
    /// The client's id for the message (`id`), acknowledged once stored.
    let clientID: String?
    /// The message serialized without its closing brace; `seq` and `ts` are appended per message.
    private let openObject: String

    static let maxAddressLength = 128

    static func parse(_ text: String, device: DeviceID, room: RoomID) -> Result<HoneMessage, HoneError> {
        guard var object = HoneJSON.object(text) else { return .failure(.invalidJSON) }
        if object["type"] as? String == "join" { return .failure(.alreadyJoined) }
        guard let from = object["from"] as? String, !from.isEmpty else { return .failure(.missingField("from")) }
        guard let to = object["to"] as? String, !to.isEmpty else { return .failure(.missingField("to")) }
        guard let roomName = object["room"] as? String, !roomName.isEmpty else {
            return .failure(.missingField("room"))
        }
        guard from.count <= maxAddressLength else { return .failure(.fieldTooLong("from", limit: maxAddressLength)) }
        guard to.count <= maxAddressLength else { return .failure(.fieldTooLong("to", limit: maxAddressLength)) }
        guard from == device.rawValue else { return .failure(.senderMismatch) }
        guard roomName == room.rawValue else { return .failure(.roomMismatch) }
        var clientID: String?
        if let idValue = object["id"], !(idValue is NSNull) {
            guard let id = idValue as? String, !id.isEmpty else { return .failure(.invalidID) }
            guard id.count <= maxAddressLength else { return .failure(.fieldTooLong("id", limit: maxAddressLength)) }
            clientID = id
        }
        // seq and ts belong to the server; a client's own values are replaced.
        object["seq"] = nil
        object["ts"] = nil
        guard let serialized = HoneJSON.text(object), serialized.hasSuffix("}") else { return .failure(.invalidJSON) }
        let recipient: Recipient =
            switch to {
            case "host": .host
            case "broadcast": .broadcast
            default: .device(DeviceID(to))
            }
        return .success(
            HoneMessage(recipient: recipient, clientID: clientID, openObject: String(serialized.dropLast())))
    }

    /// The frame members receive: the message with the room `seq` and server time `ts` (ms).
    func render(seq: UInt64, createdAt: Int64) -> WireFrame {
        .text(openObject + ",\"seq\":\(seq),\"ts\":\(createdAt)}")
    }
}
