import Foundation
import TandemMerge

/// A message from the phone, decoded from its JSON (after decryption, for every message but `key_init`).
enum LANInbound: Sendable {
    case keyInit(publicKey: [UInt8])
    case handshake(Handshake)
    case stateSync(StateSync)
    /// The phone asks the computer to start a sync (JotBunker's sync-on-connect).
    case syncRequest
    case heartbeat
    case debugLog(lines: [String])
    case jotManifest(JotManifest)
    case jotMetaResponse(JotMetaResponse)
    case jotRefreshResponse(JotRefreshResponse)
    case fileResponse(FileResponse)
    case jotDownloadResponse(JotDownloadResponse)
    case jotClearAck(cleared: [Int])
    /// A well-formed message of a type the server does not act on (ignored, as JotBunker ignores them).
    case other(type: String)

    struct Handshake: Decodable, Sendable {
        var deviceId: String
        var lastSyncTimestamp: Double
        var pairingSecret: String
    }

    /// A `state_sync`: the mergeable state plus `since`; `notes` and `jotTexts` are not merged and not kept.
    struct StateSync: Decodable, Sendable {
        var state: SyncState
        var since: Double

        private enum CodingKeys: String, CodingKey { case since }

        init(from decoder: any Decoder) throws {
            state = try SyncState(from: decoder)
            since = try decoder.container(keyedBy: CodingKeys.self).decode(Double.self, forKey: .since)
        }
    }

    private struct KeyInit: Decodable { var publicKey: String }
    private struct DebugLog: Decodable { var lines: [String] }
    private struct ClearAck: Decodable { var cleared: [Int] }

    /// Decodes one message; throws `DecodingError` for unknown shapes and missing fields.
    static func decode(_ json: Data) throws -> LANInbound {
        let decoder = JSONDecoder()
        let type = try decoder.decode(LANMessageType.self, from: json).type
        switch type {
        case "key_init":
            let raw = try decoder.decode(KeyInit.self, from: json).publicKey
            guard let key = Data(base64Encoded: raw) else {
                throw DecodingError.dataCorrupted(.init(codingPath: [], debugDescription: "publicKey is not base64"))
            }
            return .keyInit(publicKey: Array(key))
        case "handshake": return .handshake(try decoder.decode(Handshake.self, from: json))
        case "state_sync": return .stateSync(try decoder.decode(StateSync.self, from: json))
        case "sync_request": return .syncRequest
        case "heartbeat": return .heartbeat
        case "debug_log": return .debugLog(lines: try decoder.decode(DebugLog.self, from: json).lines)
        case "jot_manifest": return .jotManifest(try decoder.decode(JotManifest.self, from: json))
        case "jot_meta_response": return .jotMetaResponse(try decoder.decode(JotMetaResponse.self, from: json))
        case "jot_refresh_response": return .jotRefreshResponse(try decoder.decode(JotRefreshResponse.self, from: json))
        case "file_response": return .fileResponse(try decoder.decode(FileResponse.self, from: json))
        case "jot_download_response":
            return .jotDownloadResponse(try decoder.decode(JotDownloadResponse.self, from: json))
        case "jot_clear_ack": return .jotClearAck(cleared: try decoder.decode(ClearAck.self, from: json).cleared)
        default: return .other(type: type)
        }
    }
}
