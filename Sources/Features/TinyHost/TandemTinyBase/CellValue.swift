/// What a TinyBase cell or value holds. Objects and arrays are kept, hashed and sent the way
/// TinyBase v8+ keeps them: as a string of U+FFFD followed by their JSON.
package enum CellValue: Sendable, Hashable {
    case string(String)
    case number(Double)
    case bool(Bool)
    case null

    /// U+FFFC: the string TinyBase sends for `undefined`, i.e. a deleted cell.
    package static let undefinedMarker = "\u{FFFC}"
    /// U+FFFD: the prefix of an object or array encoded as a string.
    package static let encodedJSONPrefix: Character = "\u{FFFD}"

    /// A leaf read from the wire: nil for the deletion marker, `.invalid` for what no cell can hold
    /// (a non-finite number cannot arrive in JSON, so only shapes are checked).
    package static func fromWire(_ json: JSONValue) -> Leaf {
        switch json {
        case .string(let string): string == undefinedMarker ? .deleted : .value(.string(string))
        case .number(let number): number.isFinite ? .value(.number(number)) : .invalid
        case .bool(let bool): .value(.bool(bool))
        case .null: .value(.null)
        case .array, .object:
            .value(.string(String(encodedJSONPrefix) + JavaScriptJSON.stringify(json)))
        }
    }

    package var json: JSONValue {
        switch self {
        case .string(let string): .string(string)
        case .number(let number): .number(number)
        case .bool(let bool): .bool(bool)
        case .null: .null
        }
    }

    /// The value as `getMergeableContent()` shows it: encoded objects and arrays decoded.
    package var decodedJSON: JSONValue {
        if case .string(let string) = self, string.first == Self.encodedJSONPrefix,
            let decoded = JSONValue.parse(string.dropFirst())
        {
            return decoded
        }
        return json
    }

    /// One wire leaf: a value, the deletion marker, or something invalid.
    package enum Leaf: Sendable, Equatable {
        case value(CellValue)
        case deleted
        case invalid
    }
}

/// A cell or value with its stamp; `value` nil is a deletion (a tombstone, kept forever).
package struct LeafStamp: Sendable, Equatable {
    package var value: CellValue?
    package var hlc: String

    package init(_ value: CellValue?, hlc: String) {
        self.value = value
        self.hlc = hlc
    }

    /// TinyBase's leaf hash: FNV-1a of `JSON.stringify(value ?? null) + ":" + hlc`.
    package var hash: UInt32 {
        FNV1a.hash(JavaScriptJSON.stringify(value?.json ?? .null) + ":" + hlc)
    }
}
