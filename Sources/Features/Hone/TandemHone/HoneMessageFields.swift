import Foundation

/// The fields of a message the relay reads, from Foundation's JSONDecoder (which parses, and so
/// validates, the whole text but keeps only these) or from a parsed dictionary.
struct HoneMessageFields: Decodable {
    enum ID {
        case absent
        case invalid
        case string(String)
    }

    var type: String?
    var from: String?
    var to: String?
    var room: String?
    var id = ID.absent
    /// Whether the client sent `seq` or `ts`, which belong to the server.
    var hasServerFields = false

    private enum Key: String, CodingKey {
        case type, from, to, room, id, seq, ts
    }

    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: Key.self)
        // A field of another type reads as missing, so that validation names it.
        type = try? container.decodeIfPresent(String.self, forKey: .type)
        from = try? container.decodeIfPresent(String.self, forKey: .from)
        to = try? container.decodeIfPresent(String.self, forKey: .to)
        room = try? container.decodeIfPresent(String.self, forKey: .room)
        if container.contains(.id), (try? container.decodeNil(forKey: .id)) != true {
            id = (try? container.decode(String.self, forKey: .id)).map(ID.string) ?? .invalid
        }
        hasServerFields = container.contains(.seq) || container.contains(.ts)
    }

    /// The fields of a dictionary from `HoneJSON.object`.
    init(_ object: [String: Any]) {
        type = object["type"] as? String
        from = object["from"] as? String
        to = object["to"] as? String
        room = object["room"] as? String
        if let value = object["id"], !(value is NSNull) {
            id = (value as? String).map(ID.string) ?? .invalid
        }
        hasServerFields = object["seq"] != nil || object["ts"] != nil
    }

    /// One decoder for every message: decoding never changes it.
    private static let decoder = JSONDecoder()

    /// The fields of `text`, or nil when it is not a JSON object.
    static func decode(_ text: String) -> HoneMessageFields? {
        try? decoder.decode(HoneMessageFields.self, from: Data(text.utf8))
    }

    /// Whether every reader of `text` sees the addressing fields the relay decoded: the text holds no
    /// escape (so no key is spelled two ways) and names none of `type`, `from`, `to`, `room` and `id`
    /// twice (JSON parsers differ on which of two equal keys wins). A conservative byte test, not a
    /// parser: false only sends the message down the general path.
    static func readsOneWay(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in
            var seen: UInt8 = 0
            for index in bytes.indices {
                let byte = bytes[index]
                if byte == UInt8(ascii: "\\") { return false }
                if byte == UInt8(ascii: "\""), let bit = addressingKey(in: bytes, after: index) {
                    if seen & bit != 0 { return false }
                    seen |= bit
                }
            }
            return true
        }
    }

    private static let addressingKeys: [(name: [UInt8], bit: UInt8)] = [
        (Array("type\"".utf8), 1), (Array("from\"".utf8), 2), (Array("to\"".utf8), 4), (Array("room\"".utf8), 8),
        (Array("id\"".utf8), 16),
    ]

    /// The bit of the addressing key (with its closing quote) that follows the quote at `quote`, if any.
    private static func addressingKey(in bytes: UnsafeBufferPointer<UInt8>, after quote: Int) -> UInt8? {
        let start = quote + 1
        for key in addressingKeys where key.name.count <= bytes.count - start {
            if key.name.indices.allSatisfy({ bytes[start + $0] == key.name[$0] }) { return key.bit }
        }
        return nil
    }
}
