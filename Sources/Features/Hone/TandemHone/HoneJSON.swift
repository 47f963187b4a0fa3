import Foundation

/// The adapter's only door to JSON: Foundation's parser and serializer, never a hand-written parser;
/// frames built in bulk use `appendString`, which writes exactly the serializer's bytes (tested).
enum HoneJSON {
    /// The text as a JSON object, or nil when it is not one.
    static func object(_ text: String) -> [String: Any]? {
        guard let data = text.data(using: .utf8),
            let value = try? JSONSerialization.jsonObject(with: data, options: [])
        else { return nil }
        return value as? [String: Any]
    }

    /// Serializes a dictionary built from parsed JSON (so always serializable).
    static func text(_ object: [String: Any]) -> String? {
        guard let data = try? JSONSerialization.data(withJSONObject: object, options: [.withoutEscapingSlashes])
        else { return nil }
        return String(decoding: data, as: UTF8.self)
    }

    /// A JSON number that is a whole number >= 0, as UInt64.
    static func nonNegativeInteger(_ value: Any) -> UInt64? {
        guard let number = value as? NSNumber, !isBoolean(number) else { return nil }
        switch UInt8(bitPattern: number.objCType.pointee) {
        case UInt8(ascii: "f"), UInt8(ascii: "d"):
            let double = number.doubleValue
            guard double >= 0, double.rounded() == double, double < 1.8e19 else { return nil }
            return UInt64(double)
        case UInt8(ascii: "Q"), UInt8(ascii: "L"), UInt8(ascii: "I"), UInt8(ascii: "S"), UInt8(ascii: "C"):
            return number.uint64Value
        default:
            let value = number.int64Value
            return value >= 0 ? UInt64(value) : nil
        }
    }

    /// Foundation parses JSON true/false into NSNumber, which casts to Int; tell them apart.
    static func isBoolean(_ number: NSNumber) -> Bool {
        UInt8(bitPattern: number.objCType.pointee) == UInt8(ascii: "c")
    }

    /// Appends `string` as a JSON string literal to `bytes`, escaped exactly as `encode` escapes it
    /// (quote, backslash, control characters; slashes and non-ASCII as they are). For frames built
    /// in bulk, such as a `deltas` page, where the encoder's per-value cost dominates.
    static func appendString(_ string: String, to bytes: inout [UInt8]) {
        bytes.append(UInt8(ascii: "\""))
        var string = string
        string.withUTF8 { utf8 in
            var start = 0
            for index in utf8.indices {
                let byte = utf8[index]
                guard byte < 0x20 || byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") else { continue }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start..<index]))
                bytes.append(UInt8(ascii: "\\"))
                switch byte {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"): bytes.append(byte)
                case 0x0A: bytes.append(UInt8(ascii: "n"))
                case 0x0D: bytes.append(UInt8(ascii: "r"))
                case 0x09: bytes.append(UInt8(ascii: "t"))
                case 0x08: bytes.append(UInt8(ascii: "b"))
                case 0x0C: bytes.append(UInt8(ascii: "f"))
                default:
                    bytes.append(contentsOf: "u00".utf8)
                    bytes.append(hexDigits[Int(byte >> 4)])
                    bytes.append(hexDigits[Int(byte & 0x0F)])
                }
                start = index + 1
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[start...]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    private static let hexDigits = Array("0123456789abcdef".utf8)

    /// One configured encoder for every control frame (acks go out once per message).
    private static let encoder: JSONEncoder = {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes, .sortedKeys]
        return encoder
    }()

    static func encode<Value: Encodable>(_ value: Value) -> String {
        // Encoding plain structs of strings and numbers cannot fail.
        let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self)
    }
}
