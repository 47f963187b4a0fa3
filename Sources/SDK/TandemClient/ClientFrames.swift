import Foundation

/// Encodes what the client sends and decodes what the server sends, with Foundation's JSON.
enum ClientFrames {
    enum Inbound {
        case joined(JoinInfo, resync: Bool)
        case message(RelayMessage)
        case deltas([RelayMessage])
        case ack(id: String, seq: UInt64)
        case error(code: String, message: String, id: String?)
        case peerJoined(String)
        case peerLeft(String)
        case host(String?)
        case unknown
    }

    static func join(_ configuration: RelayClientConfiguration, lastSeq: UInt64, epoch: String?) -> String {
        var frame: [String: Any] = [
            "type": "join", "room": configuration.room, "device": configuration.device, "lastSeq": lastSeq,
        ]
        if let token = configuration.token { frame["token"] = token }
        if let epoch { frame["epoch"] = epoch }
        return text(frame)
    }

    /// A message frame; `payloadJSON` must already be valid JSON.
    static func message(from: String, to: RelayRecipient, room: String, id: String, payloadJSON: String) -> String {
        let head = text(["from": from, "to": to.wireValue, "room": room, "id": id])
        return head.dropLast() + ",\"payload\":" + payloadJSON + "}"
    }

    static func isValidJSON(_ text: String) -> Bool {
        (try? JSONSerialization.jsonObject(with: Data(text.utf8), options: [.fragmentsAllowed])) != nil
    }

    static func decode(_ text: String) -> Inbound {
        guard let data = text.data(using: .utf8),
            let object = (try? JSONSerialization.jsonObject(with: data)) as? [String: Any]
        else { return .unknown }
        switch object["type"] as? String {
        case "joined":
            let info = JoinInfo(
                host: object["host"] as? String, isHost: object["isHost"] as? Bool ?? false,
                peers: object["peers"] as? [String] ?? [], roomSeq: uint(object["roomSeq"]) ?? 0,
                epoch: object["epoch"] as? String ?? "")
            return .joined(info, resync: object["resync"] as? Bool ?? false)
        case "deltas":
            let entries = object["deltas"] as? [[String: Any]] ?? []
            return .deltas(
                entries.compactMap { entry in
                    guard let payload = entry["payload"] as? String,
                        let stored = (try? JSONSerialization.jsonObject(with: Data(payload.utf8))) as? [String: Any]
                    else { return nil }
                    return message(stored)
                })
        case "ack":
            guard let id = object["id"] as? String, let seq = uint(object["seq"]) else { return .unknown }
            return .ack(id: id, seq: seq)
        case "error":
            return .error(
                code: object["code"] as? String ?? "", message: object["error"] as? String ?? "",
                id: object["id"] as? String)
        case "peer-joined":
            return .peerJoined(object["device"] as? String ?? "")
        case "peer-left":
            return .peerLeft(object["device"] as? String ?? "")
        case "host":
            return .host(object["host"] as? String)
        default:
            if object["type"] == nil, object["error"] is String {
                return .error(code: "", message: object["error"] as? String ?? "", id: nil)
            }
            return message(object).map(Inbound.message) ?? .unknown
        }
    }

    private static func message(_ object: [String: Any]) -> RelayMessage? {
        guard let seq = uint(object["seq"]), let from = object["from"] as? String else { return nil }
        let payload = object["payload"].flatMap { value in
            (try? JSONSerialization.data(withJSONObject: value, options: [.fragmentsAllowed]))
                .map { String(decoding: $0, as: UTF8.self) }
        }
        return RelayMessage(
            seq: seq, from: from, to: object["to"] as? String ?? "", id: object["id"] as? String,
            timestamp: (object["ts"] as? NSNumber)?.int64Value ?? 0, payloadJSON: payload ?? "null")
    }

    private static func uint(_ value: Any?) -> UInt64? {
        guard let number = value as? NSNumber, number.int64Value >= 0 else { return nil }
        return number.uint64Value
    }

    private static func text(_ object: [String: Any]) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
