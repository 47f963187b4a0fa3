import Crypto
package import Foundation
import TandemConnection

/// Jot binaries on disk, each in a file named by the lowercase hex SHA-256 of its content (so a file received
/// twice, or from two phones, is stored once).
package struct JotFileStore: Sendable {
    package let directory: URL

    package init(directory: URL) {
        self.directory = directory
    }

    /// Writes `content` (atomically, unless that content is already stored) and returns its hash.
    package func store(_ content: Data) throws -> String {
        let hash = SHA256.hash(data: content).lowercaseHex
        let url = self.url(for: hash)
        if !FileManager.default.fileExists(atPath: url.path) {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try content.write(to: url, options: .atomic)
        }
        return hash
    }

    /// Where the content with `hash` lives.
    package func url(for hash: String) -> URL {
        directory.appendingPathComponent(hash)
    }
}
