import Crypto
import Foundation
import TandemTestSupport
import Testing

@Suite("LAN jots", .timeLimit(.minutes(1)))
struct LANJotTests {
    typealias F = LANFixture

    static func manifest(fileIds: [String], imageIds: [String] = []) -> [String: Any] {
        [
            "type": "jot_manifest",
            "jots": [
                [
                    "id": 1, "hasText": true, "hasDrawing": false, "imageIds": imageIds, "audioIds": [],
                    "fileIds": fileIds,
                ],
                ["id": 2, "hasText": false, "hasDrawing": false, "imageIds": [], "audioIds": [], "fileIds": []],
            ],
        ]
    }

    static func meta(fileSize: Int) -> [String: Any] {
        [
            "type": "jot_meta_response",
            "jot": [
                "id": 1, "text": "shopping", "drawing": NSNull(), "textUpdatedAt": 1000, "drawingUpdatedAt": 0,
                "images": [["id": "img", "format": "jpg", "createdAt": 1000]], "recordings": [],
                "files": [
                    ["id": "doc", "fileName": "a.txt", "mimeType": "text/plain", "size": fileSize, "createdAt": 1000]
                ],
            ] as [String: Any],
        ]
    }

    static func fileResponse(_ fileId: String, _ fileType: String, _ content: Data) -> [String: Any] {
        [
            "type": "file_response", "jotId": 1, "fileId": fileId, "fileType": fileType,
            "data": content.base64EncodedString(), "format": fileType == "image" ? "jpg" : "text/plain",
        ]
    }

    @Test("manifest -> meta request -> file requests; files are stored by SHA-256 with their size checked")
    func jotFlow() async throws {
        let files = TestFiles.directory("tandem-jots")
        let server = try await F.start(["lan.files.path": files.path, "lan.max.file.bytes": "64"])
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        let document = Data("hello from the phone".utf8)
        let image = Data((0..<40).map { UInt8($0) })

        phone.send(Self.manifest(fileIds: ["doc"], imageIds: ["img"]))
        let metaRequest = try await phone.next()
        #expect(metaRequest["type"] as? String == "jot_meta_request")
        #expect(metaRequest["jotId"] as? Int == 1)

        phone.send(Self.meta(fileSize: document.count))
        let first = try await phone.next()
        let second = try await phone.next()
        #expect(first["type"] as? String == "file_request")
        #expect([first["fileId"] as? String, second["fileId"] as? String] == ["img", "doc"])
        #expect([first["fileType"] as? String, second["fileType"] as? String] == ["image", "file"])

        // Wrong size for its metadata, too large, and not in any metadata: all dropped.
        phone.send(Self.fileResponse("doc", "file", Data("short".utf8)))
        phone.send(Self.fileResponse("img", "image", Data(count: 65)))
        phone.send(Self.fileResponse("other", "file", document))
        try await phone.roundTrip()
        #expect((try? FileManager.default.contentsOfDirectory(atPath: files.path))?.isEmpty ?? true)

        phone.send(Self.fileResponse("doc", "file", document))
        phone.send(Self.fileResponse("img", "image", image))
        try await phone.roundTrip()
        for content in [document, image] {
            let hash = SHA256.hash(data: content).map { String(format: "%02x", $0) }.joined()
            #expect(FileManager.default.contents(atPath: files.appendingPathComponent(hash).path) == content)
        }

        // The same manifest again: nothing new to fetch, so the next reply is the heartbeat.
        phone.send(Self.manifest(fileIds: ["doc"], imageIds: ["img"]))
        try await phone.roundTrip()
        // A new file in the jot: its metadata is fetched again.
        phone.send(Self.manifest(fileIds: ["doc", "doc2"], imageIds: ["img"]))
        #expect(try await phone.next()["type"] as? String == "jot_meta_request")
        await phone.close()
        try await server.stop()
    }

    @Test("operator requests over the API: refresh fetches metadata, download stores binaries, clear reaches the phone")
    func operatorRequests() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        let document = Data("a document".utf8)
        let image = Data([0xFF, 0xD8, 0xFF, 0xE0])

        #expect(try await F.api(server, "POST", "/lan/devices/phone/jots/refresh").status == 202)
        #expect(try await phone.next()["type"] as? String == "jot_refresh_request")
        var refresh = Self.meta(fileSize: document.count)
        refresh["type"] = "jot_refresh_response"
        refresh["jots"] = [refresh.removeValue(forKey: "jot") as Any]
        phone.send(refresh)
        #expect(try await phone.next()["fileId"] as? String == "img")
        #expect(try await phone.next()["fileId"] as? String == "doc")

        #expect(
            try await F.api(server, "POST", "/lan/devices/phone/jots/download", body: ["jotIds": [1]]).status == 202)
        let download = try await phone.next()
        #expect(download["type"] as? String == "jot_download_request")
        #expect(download["jotIds"] as? [Int] == [1])
        phone.send([
            "type": "jot_download_response",
            "jots": [
                [
                    "id": 1, "text": "shopping", "drawing": NSNull(), "recordings": [],
                    "images": [["id": "img", "data": image.base64EncodedString(), "format": "jpg"]],
                    "files": [
                        [
                            "id": "doc", "data": document.base64EncodedString(), "fileName": "a.txt",
                            "mimeType": "text/plain", "size": document.count,
                        ]
                    ],
                ] as [String: Any]
            ],
        ])
        try await phone.roundTrip()
        let archived = try await F.api(server, "GET", "/lan/devices/phone/jots").json as? [String: Any]
        let files = try #require(archived?["files"] as? [[String: Any]])
        let hashes = Dictionary(files.map { ($0["fileId"] as? String ?? "", $0["sha256"] as? String ?? "") }) { a, _ in
            a
        }
        #expect(hashes["doc"] == SHA256.hash(data: document).map { String(format: "%02x", $0) }.joined())
        #expect(hashes["img"] == SHA256.hash(data: image).map { String(format: "%02x", $0) }.joined())
        #expect((archived?["jots"] as? [[String: Any]])?.first?["text"] as? String == "shopping")

        #expect(try await F.api(server, "POST", "/lan/devices/phone/jots/clear", body: ["jotIds": [1]]).status == 202)
        let clear = try await phone.next()
        #expect(clear["type"] as? String == "jot_clear_request")
        #expect(clear["jotIds"] as? [Int] == [1])

        #expect(try await F.api(server, "POST", "/lan/devices/phone/jots/download").status == 400)
        #expect(try await F.api(server, "POST", "/lan/devices/ghost/jots/refresh").status == 409)
        await phone.close()
        try await server.stop()
    }

    @Test("debug_log lines are accepted and the connection stays up")
    func debugLog() async throws {
        let server = try await F.start()
        let (phone, _) = try await PhoneClient.pair(server, device: "phone")
        phone.send(["type": "debug_log", "lines": ["[SYNC] one", "[SYNC] two"]])
        try await phone.roundTrip()
        await phone.close()
        try await server.stop()
    }
}
