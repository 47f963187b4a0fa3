/// `jot_manifest`: what each jot slot on the phone holds, so the computer knows what to fetch.
struct JotManifest: Decodable, Sendable {
    struct Entry: Decodable, Sendable {
        var id: Int
        var hasText: Bool
        var hasDrawing: Bool
        var imageIds: [String]
        var audioIds: [String]
        var fileIds: [String]?
    }
    var jots: [Entry]
}

/// One jot's metadata, as the phone sends it in `jot_meta_response` and `jot_refresh_response`.
package struct JotMeta: Codable, Sendable, Equatable {
    package struct Image: Codable, Sendable, Equatable {
        package var id: String
        package var format: String
        package var createdAt: Double
    }
    package struct Audio: Codable, Sendable, Equatable {
        package var id: String
        package var duration: Double
        package var format: String
        package var createdAt: Double
    }
    package struct File: Codable, Sendable, Equatable {
        package var id: String
        package var fileName: String
        package var mimeType: String
        package var size: Int
        package var createdAt: Double
    }

    package var id: Int
    package var text: String
    /// JSON of the drawing's SVG paths, sent inline; nil for no drawing.
    package var drawing: String?
    package var images: [Image]
    package var recordings: [Audio]
    package var files: [File]?
    package var textUpdatedAt: Double
    package var drawingUpdatedAt: Double
}

struct JotMetaResponse: Decodable, Sendable {
    var jot: JotMeta
}

struct JotRefreshResponse: Decodable, Sendable {
    var jots: [JotMeta]
}

/// `file_response`: one binary of a jot, base64, or an `error` with empty data.
struct FileResponse: Decodable, Sendable {
    var jotId: Int
    var fileId: String
    var fileType: String
    var data: String
    var format: String
    var error: String?
}

/// `jot_download_response`: whole jots with their binaries inline (the phone sends `drawing` as null).
struct JotDownloadResponse: Decodable, Sendable {
    struct Payload: Decodable, Sendable {
        var id: String
        var data: String
        /// Images and recordings.
        var format: String?
        /// Files.
        var mimeType: String?
    }
    struct Jot: Decodable, Sendable {
        var id: Int
        var images: [Payload]
        var recordings: [Payload]
        var files: [Payload]?

        var binaries: [JotCollector.Binary] {
            func binaries(_ payloads: [Payload], _ fileType: String) -> [JotCollector.Binary] {
                payloads.map { payload in
                    JotCollector.Binary(
                        jotId: id, fileId: payload.id, fileType: fileType,
                        format: payload.format ?? payload.mimeType ?? "", base64: payload.data)
                }
            }
            return binaries(images, "image") + binaries(recordings, "audio") + binaries(files ?? [], "file")
        }
    }
    var jots: [Jot]
}
