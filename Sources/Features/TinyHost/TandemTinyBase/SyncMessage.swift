/// One sync protocol message: `[requestId, message, body]` after the peer-id line.
package enum SyncMessage: Sendable, Equatable {
    /// 0: the answer to a request; its body's shape depends on what was asked.
    case response(JSONValue)
    /// 1: asks for `[tablesHash, valuesHash]`.
    case getContentHashes
    /// 2: announces the sender's hashes; receivers pull what differs.
    case contentHashes(tables: UInt32, values: UInt32)
    /// 3: changes the sender made or merged.
    case contentDiff(MergeableChanges)
    /// 4–7: diff requests carrying the requester's hashes.
    case getTableDiff(MergeableStore.TableHashes)
    case getRowDiff(MergeableStore.RowHashes)
    case getCellDiff(MergeableStore.CellHashes)
    case getValueDiff([String: UInt32])

    package var number: Int {
        switch self {
        case .response: 0
        case .getContentHashes: 1
        case .contentHashes: 2
        case .contentDiff: 3
        case .getTableDiff: 4
        case .getRowDiff: 5
        case .getCellDiff: 6
        case .getValueDiff: 7
        }
    }

    /// Reads a message from its number and body, checking the body's shape.
    package init(number: Int, body: JSONValue) throws(WireCodec.Malformed) {
        switch number {
        case 0:
            guard Self.isResponseShape(body) else { throw WireCodec.Malformed("unrecognised response body") }
            self = .response(body)
        case 1:
            guard body == .string("") else { throw WireCodec.Malformed("GetContentHashes takes an empty string") }
            self = .getContentHashes
        case 2:
            let hashes = try WireCodec.contentHashes(body)
            self = .contentHashes(tables: hashes.tables, values: hashes.values)
        case 3: self = .contentDiff(try WireCodec.changes(body))
        case 4: self = .getTableDiff(try WireCodec.hashes(body))
        case 5: self = .getRowDiff(try WireCodec.rowHashes(body))
        case 6: self = .getCellDiff(try WireCodec.cellHashes(body))
        case 7: self = .getValueDiff(try WireCodec.hashes(body))
        default: throw WireCodec.Malformed("unknown message \(number)")
        }
    }

    package var body: JSONValue {
        switch self {
        case .response(let body): body
        case .getContentHashes: .string("")
        case .contentHashes(let tables, let values): .array([.number(Double(tables)), .number(Double(values))])
        case .contentDiff(let changes): WireCodec.json(changes)
        case .getTableDiff(let hashes): WireCodec.json(hashes)
        case .getRowDiff(let hashes): WireCodec.json(hashes)
        case .getCellDiff(let hashes): WireCodec.json(hashes)
        case .getValueDiff(let hashes): WireCodec.json(hashes)
        }
    }

    /// Content hashes, a TablesStamp, a ValuesStamp, or `[TablesStamp, hashes]`.
    private static func isResponseShape(_ body: JSONValue) -> Bool {
        if (try? WireCodec.contentHashes(body)) != nil { return true }
        if (try? WireCodec.tablesStamp(body)) != nil { return true }
        if (try? WireCodec.leaves(body)) != nil { return true }
        guard let parts = body.arrayValue, parts.count == 2, (try? WireCodec.tablesStamp(parts[0])) != nil else {
            return false
        }
        return (try? WireCodec.hashes(parts[1])) != nil || (try? WireCodec.rowHashes(parts[1])) != nil
    }
}

/// A whole text frame: `<peer id>\n<JSON>`. From a client the id names the destination (`""` all,
/// `"S"` the server); from the server it names the source.
package struct SyncFrame: Sendable, Equatable {
    package static let serverID = "S"

    package var peer: String
    package var requestID: String?
    package var message: SyncMessage

    package init(peer: String, requestID: String?, message: SyncMessage) {
        self.peer = peer
        self.requestID = requestID
        self.message = message
    }

    /// The frame's text, JSON written as JavaScript writes it.
    package var text: String {
        var output = peer + "\n"
        let requestJSON: JSONValue = requestID.map { .string($0) } ?? .null
        JavaScriptJSON.write(.array([requestJSON, .number(Double(message.number)), message.body]), to: &output)
        return output
    }

    /// Reads `[requestId, message, body]`.
    package static func message(fromJSON json: JSONValue) throws(WireCodec.Malformed) -> (String?, SyncMessage) {
        guard let parts = json.arrayValue, parts.count == 3 else {
            throw WireCodec.Malformed("a message must be [requestId, message, body]")
        }
        let requestID: String?
        switch parts[0] {
        case .null: requestID = nil
        case .string(let id): requestID = id
        default: throw WireCodec.Malformed("requestId must be a string or null")
        }
        guard let number = parts[1].numberValue, number.rounded() == number, (0...7).contains(number) else {
            throw WireCodec.Malformed("message must be an integer from 0 to 7")
        }
        return (requestID, try SyncMessage(number: Int(number), body: parts[2]))
    }
}
