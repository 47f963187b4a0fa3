import Foundation
import TandemConnection
import TandemRelay

/// The first frame of a Hone connection: `{"type":"join","room","device","token"?,"lastSeq"?}`.
struct HoneJoin: Equatable {
    let room: RoomID
    let device: DeviceID
    let token: String?
    /// Present when the client resumes: it has everything up to this room seq.
    let lastSeq: UInt64?
    /// The room epoch the client's lastSeq belongs to, when it knows one.
    var epoch: String? = nil

    static let maxIdentifierLength = 128

    /// Parses and validates a join frame, with Hone's error texts in Hone's order.
    static func parse(_ frame: WireFrame) -> Result<HoneJoin, HoneError> {
        guard case .text(let text) = frame, let object = HoneJSON.object(text),
            object["type"] as? String == "join"
        else { return .failure(.joinRequired) }
        guard let roomValue = object["room"] else { return .failure(.missingRoom) }
        guard let deviceValue = object["device"] else { return .failure(.missingDevice) }
        guard let room = roomValue as? String else { return .failure(.invalidJoinField("room", "must be a string")) }
        guard let device = deviceValue as? String else {
            return .failure(.invalidJoinField("device", "must be a string"))
        }
        guard !room.isEmpty, !device.isEmpty else { return .failure(.emptyRoomOrDevice) }
        guard room.count <= maxIdentifierLength, device.count <= maxIdentifierLength else {
            return .failure(.invalidJoinField("room or device", "at most \(maxIdentifierLength) characters"))
        }
        guard !room.hasPrefix(RoomID.namespacePrefix) else {
            return .failure(.invalidJoinField("room", "names starting with '\(RoomID.namespacePrefix)' are reserved"))
        }
        var token: String?
        if let tokenValue = object["token"], !(tokenValue is NSNull) {
            guard let string = tokenValue as? String else {
                return .failure(.invalidJoinField("token", "must be a string"))
            }
            token = string
        }
        var lastSeq: UInt64?
        if let seqValue = object["lastSeq"], !(seqValue is NSNull) {
            guard let seq = HoneJSON.nonNegativeInteger(seqValue) else {
                return .failure(.invalidJoinField("lastSeq", "must be a non-negative integer"))
            }
            lastSeq = seq
        }
        var epoch: String?
        if let epochValue = object["epoch"], !(epochValue is NSNull) {
            guard let string = epochValue as? String, string.count <= maxIdentifierLength else {
                return .failure(
                    .invalidJoinField("epoch", "must be a string of at most \(maxIdentifierLength) characters"))
            }
            epoch = string
        }
        return .success(
            HoneJoin(room: RoomID(room), device: DeviceID(device), token: token, lastSeq: lastSeq, epoch: epoch))
    }
}
