package import TandemTinyBase

/// The checks a TinyBase v9.3+ peer runs on every message it receives (`isProtocolMessageValid`
/// and `decodeProtocolMessage` in `src/synchronizers/common.ts`); one failure closes the socket
/// with 1007. The server's own reading is lenient where older clients differ; this is what what
/// it sends must pass.
package enum StrictValidator {
    /// Whether a whole frame `<id>\n[requestId, message, body]` passes, size limit included.
    package static func isValid(frame: String) -> Bool {
        guard frame.utf8.count <= 16_777_216, let newline = frame.firstIndex(of: "\n"),
            let json = JSONValue.parse(frame[frame.index(after: newline)...]),
            let parts = json.arrayValue, parts.count == 3
        else { return false }
        switch parts[0] {
        case .null, .string: break
        default: return false
        }
        guard let number = parts[1].numberValue, number.rounded() == number else { return false }
        return isBodyValid(Int(number), parts[2])
    }

    package static func isBodyValid(_ message: Int, _ body: JSONValue) -> Bool {
        switch message {
        case 0: isResponse(body)
        case 1: body == .string("")
        case 2: isContentHashes(body)
        case 3: isChanges(body)
        case 4, 7: isHashTree(body, depth: 0)
        case 5: isHashTree(body, depth: 1)
        case 6: isHashTree(body, depth: 2)
        default: false
        }
    }

    static func isHash(_ json: JSONValue) -> Bool {
        guard let number = json.numberValue else { return false }
        return number.rounded() == number && number >= 0 && number <= 4_294_967_295
    }

    static func isHashTree(_ json: JSONValue, depth: Int) -> Bool {
        guard let object = json.objectValue else { return false }
        return object.values.allSatisfy { depth > 0 ? isHashTree($0, depth: depth - 1) : isHash($0) }
    }

    /// `[thing]` or `[thing, hlc]` (hlc empty or 16 characters of the alphabet), `depth` levels of
    /// stamped objects above a leaf.
    static func isStamp(_ json: JSONValue, depth: Int) -> Bool {
        guard let parts = json.arrayValue, parts.count == 1 || parts.count == 2 else { return false }
        if parts.count == 2 {
            guard let hlc = parts[1].stringValue, hlc.isEmpty || HLC.isWellFormed(hlc) else { return false }
        }
        guard depth > 0 else {
            // A leaf: string, finite number, boolean, null (objects and arrays travel as strings).
            switch parts[0] {
            case .string, .number, .bool, .null: return true
            default: return false
            }
        }
        guard let object = parts[0].objectValue else { return false }
        return object.values.allSatisfy { isStamp($0, depth: depth - 1) }
    }

    static func isContentHashes(_ json: JSONValue) -> Bool {
        guard let parts = json.arrayValue, parts.count == 2 else { return false }
        return isHash(parts[0]) && isHash(parts[1])
    }

    static func isChanges(_ json: JSONValue) -> Bool {
        guard let parts = json.arrayValue, parts.count == 2 || (parts.count == 3 && parts[2] == .number(1)) else {
            return false
        }
        return isStamp(parts[0], depth: 3) && isStamp(parts[1], depth: 1)
    }

    static func isResponse(_ json: JSONValue) -> Bool {
        if isContentHashes(json) || isStamp(json, depth: 3) || isStamp(json, depth: 1) { return true }
        guard let parts = json.arrayValue, parts.count == 2 else { return false }
        return isStamp(parts[0], depth: 3) && (isHashTree(parts[1], depth: 0) || isHashTree(parts[1], depth: 1))
    }
}
