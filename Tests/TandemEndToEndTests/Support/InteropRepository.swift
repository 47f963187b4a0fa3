import Foundation
import TandemTestSupport
import Testing

/// A real client's public repository on this machine, named by an environment variable: a checkout
/// or a bare git directory (`scripts/interop-clients.sh` clones them). Tests read its files with
/// `git show` at the commit they were written against; nothing of it is committed here.
struct InteropRepository: Sendable {
    /// The environment variable that names it.
    let variable: String
    let gitDirectory: String

    /// The repository `variable` names, or nil when it is unset or not a git repository.
    static func named(_ variable: String) -> InteropRepository? {
        guard let path = ProcessInfo.processInfo.environment[variable], !path.isEmpty else { return nil }
        let dotGit = (path as NSString).appendingPathComponent(".git")
        for candidate in [dotGit, path]
        where FileManager.default.fileExists(atPath: (candidate as NSString).appendingPathComponent("HEAD")) {
            return InteropRepository(variable: variable, gitDirectory: candidate)
        }
        return nil
    }

    /// Why a test that needs the repository `variable` names skips.
    static func missing(_ variable: String, _ repository: String) -> Comment {
        "set \(variable) to a checkout of \(repository) (scripts/interop-clients.sh clones one); node 20 is needed too"
    }

    /// Writes the file at `revision:path` to `file` (straight to the file: bundles are larger than a
    /// pipe's buffer); returns whether it worked.
    func extract(_ revision: String, _ path: String, to file: URL) async -> Bool {
        guard FileManager.default.createFile(atPath: file.path, contents: nil),
            let output = try? FileHandle(forWritingTo: file)
        else { return false }
        defer { try? output.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "--git-dir=\(gitDirectory)", "show", "\(revision):\(path)"]
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        while process.isRunning { try? await Task.sleep(for: .milliseconds(20)) }
        return process.terminationStatus == 0
    }

    /// Runs `script` (in Tests/Interop) under node with `arguments` and checks its report: exit 0
    /// and `count` JSON lines, each with `"ok": true`. Returns the reports for further checks.
    @discardableResult
    static func runChecks(
        _ script: String, _ arguments: [String], expecting count: Int, nodeOptions: [String] = []
    ) async throws -> [[String: Any]] {
        let path = PythonInteropTests.interop.appendingPathComponent(script).path
        let (status, output) = try await PythonInteropTests.run(
            ["node", "--experimental-websocket", "--no-warnings"] + nodeOptions + [path] + arguments)
        #expect(status == 0, "\(output)")
        let reports = output.split(separator: "\n").compactMap {
            try? JSONSerialization.jsonObject(with: Data($0.utf8)) as? [String: Any]
        }
        #expect(reports.count == count, "\(output)")
        for report in reports { #expect(report["ok"] as? Bool == true, "\(report)") }
        return reports
    }

    /// Whether node 20 with a WebSocket global runs here.
    static let hasNode: @Sendable () async -> Bool = {
        (try? await PythonInteropTests.run(["node", "--experimental-websocket", "-e", "WebSocket"]).status) == 0
    }
}
