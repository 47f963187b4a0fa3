import Foundation
public import TandemConnection
public import TandemRelay

/// A relayed message `{"from","to","room","payload",...}`, validated against the joined member and
/// pre-rendered so that sequencing only adds the server's fields.
///
/// The common message is relayed as the client's own text with `"seq":N,"ts":N,` spliced in after
/// its opening brace: the JSON is parsed once (to validate it and read the addressing fields) and
/// never serialized again. A message that carries its own `seq` or `ts`, or whose text might read
/// differently to the relay and to its receivers (an escape, an addressing key named twice), takes
/// the general path instead: parsed into a dictionary and re-serialized, which drops the client's
/// `seq`/`ts` and leaves one value per key.
@_spi(Benchmarks) public struct HoneMessage: Sendable {
    public let recipient: Recipient
    /// The client's id for the message (`id`), acknowledged once stored.
    public let clientID: String?
    /// The text before the server's fields.
    private let head: Substring
    /// The text after them.
    private let tail: Substring
    /// Whether the server's fields open the object (`"seq":N,"ts":N,`) or close it (`,"seq":N,"ts":N`).
    private let fieldsFirst: Bool

    static let maxAddressLength = 128

    public static func parse(_ text: String, device: DeviceID, room: RoomID) -> Result<HoneMessage, HoneError> {
        if HoneMessageFields.readsOneWay(text), let fields = HoneMessageFields.decode(text), !fields.hasServerFields,
            let brace = text.utf8.firstIndex(of: UInt8(ascii: "{"))
        {
            let afterBrace = text.utf8.index(after: brace)
            return validate(fields, device: device, room: room).map { recipient, clientID in
                HoneMessage(
                    recipient: recipient, clientID: clientID, head: text[..<afterBrace], tail: text[afterBrace...],
                    fieldsFirst: true)
            }
        }
        guard var object = HoneJSON.object(text) else { return .failure(.invalidJSON) }
        let recipient: Recipient
        let clientID: String?
        switch validate(HoneMessageFields(object), device: device, room: room) {
        case .failure(let error): return .failure(error)
        case .success(let validated): (recipient, clientID) = validated
        }
        // seq and ts belong to the server; a client's own values are replaced.
        object["seq"] = nil
        object["ts"] = nil
        guard let serialized = HoneJSON.text(object), serialized.hasSuffix("}") else { return .failure(.invalidJSON) }
        return .success(
            HoneMessage(
                recipient: recipient, clientID: clientID, head: serialized.dropLast(), tail: "}", fieldsFirst: false))
    }

    /// Hone's checks, in Hone's order: the recipient and the client's id, or why the message is refused.
    private static func validate(_ fields: HoneMessageFields, device: DeviceID, room: RoomID) -> Result<
        (Recipient, String?), HoneError
    > {
        if fields.type == "join" { return .failure(.alreadyJoined) }
        guard let from = fields.from, !from.isEmpty else { return .failure(.missingField("from")) }
        guard let to = fields.to, !to.isEmpty else { return .failure(.missingField("to")) }
        guard let roomName = fields.room, !roomName.isEmpty else { return .failure(.missingField("room")) }
        guard from.count <= maxAddressLength else { return .failure(.fieldTooLong("from", limit: maxAddressLength)) }
        guard to.count <= maxAddressLength else { return .failure(.fieldTooLong("to", limit: maxAddressLength)) }
        guard from == device.rawValue else { return .failure(.senderMismatch) }
        guard roomName == room.rawValue else { return .failure(.roomMismatch) }
        var clientID: String?
        switch fields.id {
        case .absent: break
        case .invalid: return .failure(.invalidID)
        case .string(let id):
            guard !id.isEmpty else { return .failure(.invalidID) }
            guard id.count <= maxAddressLength else { return .failure(.fieldTooLong("id", limit: maxAddressLength)) }
            clientID = id
        }
        let recipient: Recipient =
            switch to {
            case "host": .host
            case "broadcast": .broadcast
            default: .device(DeviceID(to))
            }
        return .success((recipient, clientID))
    }

    /// The frame members receive: the message with the room `seq` and server time `ts` (ms).
    public func render(seq: UInt64, createdAt: Int64) -> WireFrame {
        var text = String()
        text.reserveCapacity(head.utf8.count + tail.utf8.count + 48)
        text += head
        text += fieldsFirst ? "\"seq\":" : ",\"seq\":"
        text += String(seq)
        text += ",\"ts\":"
        text += String(createdAt)
        if fieldsFirst { text += "," }
        text += tail
        return .text(text)
    }
}
