import Foundation
import TandemMerge

/// Messages the server sends, each encoding to the JSON JotBunker's phone expects.
enum LANOutbound: Encodable, Sendable {
    case keyExchange(publicKey: [UInt8])
    /// A state for the phone: the server's, which starts a sync, or a merge result the phone lacks, which the
    /// phone keeps as pending until `sync_confirm`. Either way the phone answers with its own state.
    case stateSync(PhoneState, since: Double)
    case syncConfirm(mode: SyncConfirmMode, snapshot: PhoneState, appliedAt: Double)
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
            try state.encode(to: encoder)
        case .syncConfirm(let mode, let snapshot, let appliedAt):
            try container.encode("sync_confirm", forKey: .type)
            try container.encode(mode, forKey: .mode)
            try container.encode(snapshot, forKey: .snapshot)
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

/// `sync_confirm`'s `mode`, all a phone up to JotBunker 1.0.7 reads of it: `phone-wins` keeps the phone's state,
/// `desktop-wins` makes it adopt the last `state_sync` it received.
package enum SyncConfirmMode: String, Codable, Sendable {
    case desktopWins = "desktop-wins"
    case phoneWins = "phone-wins"
}
