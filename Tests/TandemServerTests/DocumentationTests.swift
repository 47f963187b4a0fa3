import Foundation
import Testing

@testable import TandemServer

@Suite("Documentation")
struct DocumentationTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    @Test("the README's configuration table lists every key with its default")
    func readmeListsEveryKey() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        for key in ConfigKey.all {
            let row = readme.split(separator: "\n").first { $0.hasPrefix("| `\(key.name)` |") }
            #expect(row != nil, "README has no row for \(key.name)")
            if let row, let value = key.defaultValue, !value.isEmpty {
                #expect(row.contains("`\(value)`"), "README row for \(key.name) lacks default \(value)")
            }
            for name in key.legacyEnvironment {
                #expect(row?.contains(name) == true, "README row for \(key.name) lacks \(name)")
            }
        }
    }

    @Test("the README's auth.conf table lists every accounts key with its default")
    func readmeListsEveryAccountsKey() throws {
        let readme = try String(contentsOf: Self.root.appendingPathComponent("README.md"), encoding: .utf8)
        let section = try #require(readme.range(of: "### Accounts (auth.conf)"))
        let rows = readme[section.upperBound...].split(separator: "\n").prefix { !$0.hasPrefix("#") }
        for key in ConfigKey.accounts {
            let row = rows.first { $0.hasPrefix("| `\(key.name)` |") }
            #expect(row != nil, "README's auth.conf table has no row for \(key.name)")
            if let row, let value = key.defaultValue, !value.isEmpty {
                #expect(row.contains("`\(value)`"), "README row for \(key.name) lacks default \(value)")
            }
        }
    }
}
