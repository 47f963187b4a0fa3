import Foundation

/// Which namespaces (the first path segment of `/{namespace}/sign-in`) this server serves.
///
/// A namespace is 1 to 64 of `A-Z a-z 0-9 _ -`, is not one of the server's own top-level path
/// words (`reserved`, compared without case), and, when an allow-list is set, is on it.
package struct TinyHostNamespaces: Sendable, Equatable {
    /// First path segments other routes of the same HTTP port use, or may use.
    package static let reserved: Set<String> = [
        "ws", "signal", "api", "lan", "health", "auth", "metrics", "admin", "static", "tinyhost",
    ]
    package static let maxLength = 64

    /// Empty: any well-formed, unreserved namespace.
    package let allowList: Set<String>

    /// Any well-formed, unreserved namespace.
    package static let any = TinyHostNamespaces(checked: [])

    private init(checked allowList: Set<String>) {
        self.allowList = allowList
    }

    /// - Throws: `unknownNamespace` naming the first entry that is malformed or reserved.
    package init(allowList: Set<String>) throws(TinyHostError) {
        for name in allowList.sorted() where !Self.isWellFormed(name) { throw .unknownNamespace(name) }
        self.allowList = allowList
    }

    /// Parses a comma-separated allow-list (`tinyhost.namespaces`); blanks are ignored.
    package init(list: String) throws(TinyHostError) {
        let names = list.split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        try self.init(allowList: Set(names))
    }

    /// Accepts `namespace` or throws `unknownNamespace` (HTTP 404).
    package func validate(_ namespace: String) throws(TinyHostError) {
        guard Self.isWellFormed(namespace), allowList.isEmpty || allowList.contains(namespace) else {
            throw .unknownNamespace(String(namespace.prefix(Self.maxLength)))
        }
    }

    static func isWellFormed(_ name: String) -> Bool {
        guard !name.isEmpty, name.utf8.count <= maxLength else { return false }
        let allowed = name.utf8.allSatisfy { byte in
            (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5a) || (byte >= 0x61 && byte <= 0x7a)
                || byte == 0x5f || byte == 0x2d
        }
        return allowed && !reserved.contains(name.lowercased())
    }
}
