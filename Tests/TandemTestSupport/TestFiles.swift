package import Foundation

/// Files the tests write, kept under one folder per test process that is removed when the
/// process exits, so repeated `swift test` runs leave nothing behind in the temporary directory.
package enum TestFiles {
    /// A new empty directory named `prefix-UUID`.
    package static func directory(_ prefix: String) -> URL {
        let directory = root.appendingPathComponent("\(prefix)-\(UUID().uuidString)")
        // Creating a folder inside a fresh one in the temporary directory only fails on a full disk,
        // which the first write there reports.
        try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        return directory
    }

    private static let root: URL = {
        let root = rootPath(of: getpid())
        try? FileManager.default.createDirectory(at: root, withIntermediateDirectories: true)
        atexit { try? FileManager.default.removeItem(at: TestFiles.rootPath(of: getpid())) }
        return root
    }()

    private static func rootPath(of process: pid_t) -> URL {
        FileManager.default.temporaryDirectory.appendingPathComponent("tandem-test-run-\(process)")
    }
}
