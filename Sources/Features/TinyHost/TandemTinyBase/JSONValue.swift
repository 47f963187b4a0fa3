package import Foundation

/// A parsed JSON document. TinyBase frames are read with Foundation's `JSONDecoder` into this
/// shape; numbers are doubles, as in JavaScript.
package enum JSONValue: Sendable, Equatable {
    case null
    case bool(Bool)
    case number(Double)
    case string(String)
    case array([JSONValue])
    case object([String: JSONValue])

    /// Parses JSON text; nil when it is not valid JSON.
    package static func parse(_ text: Substring) -> JSONValue? {
        parse(Data(text.utf8))
    }

    /// Parses JSON bytes; nil when they are not valid JSON.
    package static func parse(_ data: Data) -> JSONValue? {
        try? decoder.decode(JSONValue.self, from: data)
    }

    /// One decoder for every frame (it holds no per-call state).
    private static let decoder = JSONDecoder()

    package var stringValue: String? {
        if case .string(let string) = self { return string }
        return nil
    }

    package var arrayValue: [JSONValue]? {
        if case .array(let array) = self { return array }
        return nil
    }

    package var objectValue: [String: JSONValue]? {
        if case .object(let object) = self { return object }
        return nil
    }

    package var numberValue: Double? {
        if case .number(let number) = self { return number }
        return nil
    }
}

extension JSONValue: Decodable {
    package init(from decoder: any Decoder) throws {
        let container = try decoder.singleValueContainer()
        if container.decodeNil() {
            self = .null
        } else if let bool = try? container.decode(Bool.self) {
            self = .bool(bool)
        } else if let number = try? container.decode(Double.self) {
            self = .number(number)
        } else if let string = try? container.decode(String.self) {
            self = .string(string)
        } else if let array = try? container.decode([JSONValue].self) {
            self = .array(array)
        } else {
            self = .object(try container.decode([String: JSONValue].self))
        }
    }
}
