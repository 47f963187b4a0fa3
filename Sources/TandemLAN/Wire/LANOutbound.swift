import Foundation
import TandemMerge

/// Messages the server sends, each encoding to the JSON JotBunker's phone expects.
enum LANOutbound: Encodable, Sendable {
    case keyExchange(publicKey: [UInt8])
    /// The server's (the computer's) current state, which starts a sync: the phone answers with its own.
    case stateSync(SyncState, since: Double)
    case syncConfirm(mode: SyncConfirmMode, snapshot: SyncState, appliedAt: Double)
    case syncCancel
    case heartbeat
    case jotMetaRequest(jotId: Int)
    case fileRequest(jotId: Int, fileId: String, fileType: String)
    case jotRefreshRequest
    case jotDownloadRequest(jotIds: [Int])
    case jotClearRequest(jotIds: [Int])

    private enum CodingKeys: String, CodingKey {
        case type, publicKey, since, mode, snapshot, appliedAt, jotId, fileId, fileType, jotIds
    }

    func encode(to encoder: any Encoder) throws {
        var container = encoder.container(keyedBy: CodingKeys.self)
        switch self {
        case .keyExchange(let key):
            try container.encode("key_exchange", forKey: .type)
            try container.encode(Data(key).base64EncodedString(), forKey: .publicKey)
        case .stateSync(let state, let since):
            try container.encode("state_sync", forKey: .type)
            try container.encode(since, forKey: .since)
            try WireSnapshot(state).encode(to: encoder)
        case .syncConfirm(let mode, let snapshot, let appliedAt):
            try container.encode("sync_confirm", forKey: .type)
            try container.encode(mode, forKey: .mode)
            try container.encode(WireSnapshot(snapshot), forKey: .snapshot)
            try container.encode(appliedAt, forKey: .appliedAt)
        case .syncCancel: try container.encode("sync_cancel", forKey: .type)
        case .heartbeat: try container.encode("heartbeat", forKey: .type)
        case .jotMetaRequest(let jotId):
            try container.encode("jot_meta_request", forKey: .type)
            try container.encode(jotId, forKey: .jotId)
        case .fileRequest(let jotId, let fileId, let fileType):
            try container.encode("file_request", forKey: .type)
            try container.encode(jotId, forKey: .jotId)
            try container.encode(fileId, forKey: .fileId)
            try container.encode(fileType, forKey: .fileType)
        case .jotRefreshRequest: try container.encode("jot_refresh_request", forKey: .type)
        case .jotDownloadRequest(let jotIds):
            try container.encode("jot_download_request", forKey: .type)
            try container.encode(jotIds, forKey: .jotIds)
        case .jotClearRequest(let jotIds):
            try container.encode("jot_clear_request", forKey: .type)
            try container.encode(jotIds, forKey: .jotIds)
        }
    }

    /// The message type, for logs.
    var type: String {
        switch self {
        case .keyExchange: "key_exchange"
        case .stateSync: "state_sync"
        case .syncConfirm: "sync_confirm"
        case .syncCancel: "sync_cancel"
        case .heartbeat: "heartbeat"
        case .jotMetaRequest: "jot_meta_request"
        case .fileRequest: "file_request"
        case .jotRefreshRequest: "jot_refresh_request"
        case .jotDownloadRequest: "jot_download_request"
        case .jotClearRequest: "jot_clear_request"
        }
    }
}

/// `sync_confirm`'s `mode`: which side's data the phone is to treat as the result.
public enum SyncConfirmMode: String, Codable, Sendable {
    case desktopWins = "desktop-wins"
    case phoneWins = "phone-wins"
}

/// A state as the phone applies it: the scratchpad fields always present (empty when unknown), because the
/// phone reads `snapshot.scratchpad` without checking for it.
struct WireSnapshot: Encodable {
    var state: SyncState

    init(_ state: SyncState) {
        self.state = state
        self.state.scratchpad = state.scratchpad ?? []
        self.state.scratchpadCategories = state.scratchpadCategories ?? []
    }

    func encode(to encoder: any Encoder) throws {
        try state.encode(to: encoder)
    }
}
