import Foundation

#if canImport(FoundationNetworking)
import FoundationNetworking
import TandemTestSupport
#endif

/// A server with the LAN endpoint on (loopback, ephemeral port, known secret, files in a temp dir), plus the
/// state shapes a phone sends.
enum LANFixture {
    static let secret = "test-pairing-secret-0123456789"

    static func start(_ settings: [String: String] = [:], databasePath: String? = nil) async throws -> TestServer {
        let files = TestFiles.directory("tandem-lan")
        var all = [
            "lan.enabled": "true", "lan.host": "127.0.0.1", "lan.port": "0", "lan.secret": secret,
            "lan.files.path": files.path,
        ]
        all.merge(settings) { _, new in new }
        return try await TestServer.start(all, databasePath: databasePath)
    }

    /// A list item with JotBunker's field names.
    static func item(
        _ id: String, _ text: String, position: Double = 1, updatedAt: Double = 1000, done: Bool = false,
        deleted: Bool = false
    ) -> [String: Any] {
        var item: [String: Any] = [
            "id": id, "text": text, "done": done, "position": position, "createdAt": 1000, "updatedAt": updatedAt,
        ]
        if deleted {
            item["deleted"] = true
            item["deletedAt"] = updatedAt
        }
        return item
    }

    /// A phone's state as a JotBunker phone sends it: `items` in the first of six list slots, six empty locked
    /// lists, the default categories of each section and six empty scratchpad slots.
    static func state(_ items: [[String: Any]]) -> [String: Any] {
        let empty: [[String: Any]] = []
        return [
            "lists": [items, empty, empty, empty, empty, empty],
            "lockedLists": [empty, empty, empty, empty, empty, empty],
            "listsCategories": categories("lists", ["ASAP", "TODO", "WORK", "HOME", "SHOP", "TEMP"]),
            "lockedListsCategories": categories(
                "lockedLists", ["NAMES", "PLACES", "LEGAL", "LOGINS", "CRATE", "CUSTOM"]),
            "scratchpad": (0..<6).map { _ in ["content": "", "updatedAt": 0] as [String: Any] },
            "scratchpadCategories": categories(
                "scratchpad", ["CLIENT", "SCHOOL", "CREATE", "DREAM", "TEMP", "CUSTOM"]),
        ]
    }

    static func categories(_ section: String, _ labels: [String]) -> [[String: Any]] {
        labels.map { ["label": $0, "section": section, "updatedAt": 0] }
    }

    /// The fields of a state a phone keeps (a `state_sync` or snapshot less `type` and `since`).
    static let stateKeys = [
        "lists", "lockedLists", "listsCategories", "lockedListsCategories", "scratchpad", "scratchpadCategories",
    ]

    /// The items of the first list slot of a `state_sync` or `sync_confirm` snapshot, by id.
    static func firstList(_ state: [String: Any]?) -> [String: [String: Any]] {
        guard let lists = state?["lists"] as? [[[String: Any]]], let first = lists.first else { return [:] }
        return Dictionary(first.map { ($0["id"] as? String ?? "", $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// An admin API request with the pairing secret; returns status and parsed JSON (nil for no body).
    static func api(
        _ server: TestServer, _ method: String, _ path: String, body: [String: Any]? = nil,
        secret: String = LANFixture.secret
    ) async throws -> (status: Int, json: Any?) {
        var request = URLRequest(url: URL(string: server.httpURL + path)!)
        request.httpMethod = method
        request.setValue("Bearer \(secret)", forHTTPHeaderField: "Authorization")
        if let body { request.httpBody = try JSONSerialization.data(withJSONObject: body) }
        let (data, response) = try await URLSession.shared.data(for: request)
        let status = (response as? HTTPURLResponse)?.statusCode ?? 0
        return (status, data.isEmpty ? nil : try JSONSerialization.jsonObject(with: data))
    }

    /// The pending syncs the API lists.
    static func pending(_ server: TestServer) async throws -> [[String: Any]] {
        try await api(server, "GET", "/lan/pending").json as? [[String: Any]] ?? []
    }
}

extension TestServer {
    /// The LAN endpoint (no path, as the phone connects).
    var lanURL: String { "ws://127.0.0.1:\(ports.lan ?? 0)/" }
}
