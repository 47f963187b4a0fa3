import Foundation
import Logging

/// The one-way jot flow: the phone's manifest tells what it holds; the server asks for the metadata of jots it
/// has not seen in that form, then for every binary it does not have yet, and stores them.
///
/// Only binaries named in stored metadata are accepted, and a `file` must have the size its metadata states.
struct JotCollector: Sendable {
    let store: any LANStore
    let files: JotFileStore
    let maxFileBytes: Int
    let logger: Logger
    let now: @Sendable () -> Int64

    func handle(_ manifest: JotManifest, from peer: LANPeer) async throws {
        let known = Dictionary(
            try await store.jots(device: peer.device).map { ($0.id, $0) }, uniquingKeysWith: { a, _ in a })
        for entry in manifest.jots where entry.hasContent {
            if let meta = known[entry.id], entry.describes(meta) { continue }
            peer.send(.jotMetaRequest(jotId: entry.id))
        }
    }

    func handle(_ metas: [JotMeta], from peer: LANPeer) async throws {
        let stored = Set(try await store.files(device: peer.device).map { "\($0.jotId)/\($0.fileId)" })
        for meta in metas {
            try await store.saveJot(device: peer.device, meta: meta, at: now())
            for (fileId, fileType) in meta.binaries where !stored.contains("\(meta.id)/\(fileId)") {
                peer.send(.fileRequest(jotId: meta.id, fileId: fileId, fileType: fileType))
            }
        }
    }

    func handle(_ response: FileResponse, from peer: LANPeer) async throws {
        if let error = response.error {
            logger.warning(
                "phone could not send a file",
                metadata: ["jot": "\(response.jotId)", "file": "\(response.fileId)", "error": "\(error)"])
            return
        }
        try await accept(
            Binary(
                jotId: response.jotId, fileId: response.fileId, fileType: response.fileType, format: response.format,
                base64: response.data), from: peer.device)
    }

    /// Stores every binary of a `jot_download_response` under the same checks as a `file_response`.
    func handle(_ response: JotDownloadResponse, from peer: LANPeer) async throws {
        for jot in response.jots {
            for binary in jot.binaries { try await accept(binary, from: peer.device) }
        }
    }

    /// One binary as the phone sent it, from either message.
    struct Binary {
        var jotId: Int
        var fileId: String
        var fileType: String
        var format: String
        var base64: String
    }

    private func accept(_ binary: Binary, from device: String) async throws {
        let metadata: Logger.Metadata = ["device": "\(device)", "jot": "\(binary.jotId)", "file": "\(binary.fileId)"]
        guard let meta = try await store.jots(device: device).first(where: { $0.id == binary.jotId }),
            let expected = meta.binaries.first(where: { $0.fileId == binary.fileId }),
            expected.fileType == binary.fileType
        else {
            logger.warning("file not in the jot's metadata; dropped", metadata: metadata)
            return
        }
        guard let data = Data(base64Encoded: binary.base64), data.count <= maxFileBytes else {
            logger.warning("file is not base64 or larger than lan.max.file.bytes; dropped", metadata: metadata)
            return
        }
        if let size = meta.files?.first(where: { $0.id == binary.fileId })?.size, size != data.count {
            logger.warning(
                "file size differs from its metadata; dropped",
                metadata: metadata.merging(["expected": "\(size)", "received": "\(data.count)"]) { a, _ in a })
            return
        }
        let hash = try files.store(data)
        try await store.saveFile(
            StoredJotFile(
                deviceId: device, jotId: binary.jotId, fileId: binary.fileId, fileType: binary.fileType,
                format: binary.format, sha256: hash, size: data.count, receivedAt: now()))
        logger.info("jot file stored", metadata: metadata.merging(["bytes": "\(data.count)"]) { a, _ in a })
    }
}

extension JotManifest.Entry {
    var hasContent: Bool {
        hasText || hasDrawing || !imageIds.isEmpty || !audioIds.isEmpty || !(fileIds ?? []).isEmpty
    }

    /// Whether `meta` already holds what this entry announces (same binaries, same presence of text and drawing).
    func describes(_ meta: JotMeta) -> Bool {
        hasText == !meta.text.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty
            && hasDrawing == (meta.drawing != nil)
            && Set(imageIds) == Set(meta.images.map(\.id))
            && Set(audioIds) == Set(meta.recordings.map(\.id))
            && Set(fileIds ?? []) == Set((meta.files ?? []).map(\.id))
    }
}

extension JotMeta {
    /// Every binary of the jot with its `fileType` on the wire.
    var binaries: [(fileId: String, fileType: String)] {
        images.map { ($0.id, "image") } + recordings.map { ($0.id, "audio") } + (files ?? []).map { ($0.id, "file") }
    }
}
