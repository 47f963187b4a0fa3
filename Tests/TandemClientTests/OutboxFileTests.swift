import Foundation
import TandemTestSupport
import Testing

@testable import TandemClient

@Suite("Client SDK: the persisted outbox file")
struct OutboxFileTests {
    private func entry(_ number: Int) -> OutboxFile.Entry {
        OutboxFile.Entry(
            id: "m\(number)",
            frame: #"{"from":"d","to":"broadcast","room":"r","id":"m\#(number)","payload":\#(number)}"#)
    }

    private func newFile() -> URL {
        TestFiles.directory("outbox").appendingPathComponent("outbox.jsonl")
    }

    private func lines(_ url: URL) throws -> [String] {
        try String(contentsOf: url, encoding: .utf8).split(separator: "\n").map(String.init)
    }

    @Test("appended messages come back in order, with their frames, after reopening")
    func appendAndReload() throws {
        let url = newFile()
        do {
            let (file, entries, dropped) = try OutboxFile.open(url)
            #expect(entries.isEmpty && dropped == 0)
            for number in 1...5 { try file.append(entry(number)) }
        }
        let (_, entries, dropped) = try OutboxFile.open(url)
        #expect(entries == (1...5).map(entry))
        #expect(dropped == 0)
    }

    @Test("removed messages are not restored; reopening drops their records from the file")
    func removal() throws {
        let url = newFile()
        do {
            let (file, _, _) = try OutboxFile.open(url)
            for number in 1...4 { try file.append(entry(number)) }
            try file.remove("m2") { [entry(1), entry(3), entry(4)] }
            try file.remove("m4") { [entry(1), entry(3)] }
            #expect(try lines(url).count == 6)
        }
        let (file, entries, _) = try OutboxFile.open(url)
        #expect(entries == [entry(1), entry(3)])
        #expect(try lines(url).count == 2)
        #expect(file.lines == 2 && file.live == 2)
        // An id can be used again once done with.
        try file.append(entry(2))
        #expect(try OutboxFile.open(url).entries == [entry(1), entry(3), entry(2)])
    }

    @Test("a torn last record is dropped, the others kept, and the next append starts on a clean line")
    func tornLastRecord() throws {
        let url = newFile()
        do {
            let (file, _, _) = try OutboxFile.open(url)
            for number in 1...3 { try file.append(entry(number)) }
        }
        // A crash in the middle of writing the third record: its tail, newline included, is missing.
        let data = try Data(contentsOf: url)
        try data.dropLast(9).write(to: url)
        let (file, entries, dropped) = try OutboxFile.open(url)
        #expect(entries == [entry(1), entry(2)])
        #expect(dropped == 1)
        try file.append(entry(4))
        #expect(try OutboxFile.open(url).entries == [entry(1), entry(2), entry(4)])
    }

    @Test("a complete record without its newline counts as torn; an undecodable line is dropped alone")
    func damagedLines() throws {
        let url = newFile()
        let good = OutboxFile.line(entry(1)) + Array("not json\n".utf8) + Array(#"{"other":1}"#.utf8) + [10]
        let unterminated = OutboxFile.line(entry(2)).dropLast()
        try Data(good + OutboxFile.line(entry(3)) + unterminated).write(to: url)
        let (_, entries, dropped) = try OutboxFile.open(url)
        #expect(entries == [entry(1), entry(3)])
        #expect(dropped == 3)
        // A file of zeros, as a crash can leave after the size was extended but not the data written.
        try Data(OutboxFile.line(entry(1)) + [UInt8](repeating: 0, count: 100)).write(to: url)
        #expect(try OutboxFile.open(url).entries == [entry(1)])
    }

    @Test("the log is compacted once removed records outnumber the live ones")
    func compaction() throws {
        let url = newFile()
        let (file, _, _) = try OutboxFile.open(url, compactAfter: 8)
        var pending = (1...10).map(entry)
        for item in pending { try file.append(item) }
        for _ in 1...3 {
            let done = pending.removeFirst()
            try file.remove(done.id) { pending }
        }
        // 13 lines, 6 of them dead: below the threshold.
        #expect(try lines(url).count == 13)
        let done = pending.removeFirst()
        try file.remove(done.id) { pending }
        // 14 lines, 8 dead, 6 live: rewritten with the 6.
        #expect(try lines(url).count == 6)
        #expect(file.lines == 6 && file.live == 6)
        try file.append(entry(11))
        let reopened = try OutboxFile.open(url)
        #expect(reopened.entries == pending + [entry(11)])
        #expect(reopened.dropped == 0)
        #expect(!FileManager.default.fileExists(atPath: url.path + ".tmp"))
    }

    @Test("an outbox in a missing directory fails with a typed error")
    func unwritable() {
        let url = newFile().deletingLastPathComponent().appendingPathComponent("missing/outbox.jsonl")
        let error = #expect(throws: RelayClientError.self) { try OutboxFile.open(url) }
        guard case .outbox(let text) = error else {
            Issue.record("expected an outbox error, got \(String(describing: error))")
            return
        }
        #expect(text.contains("missing/outbox.jsonl"))
    }

    @Test("a client on an outbox file persists before sending and restores what is left")
    func clientRestores() async throws {
        let url = newFile()
        // Nothing listens on port 9 of the loopback interface: the client never connects.
        let configuration = RelayClientConfiguration(url: "ws://127.0.0.1:9/ws", room: "r", device: "d")
        let first = try RelayClient(configuration: configuration, outboxFile: url)
        #expect(first.restoredIDs.isEmpty)
        await first.start()
        let sends = (1...3).map { number in
            Task { try await first.send(number, id: "m\(number)") }
        }
        while await first.unacknowledgedCount < 3 { try await Task.sleep(for: .milliseconds(5)) }
        #expect(Set(try OutboxFile.parse(Data(contentsOf: url)).entries.map(\.id)) == ["m1", "m2", "m3"])
        await first.stop()
        for send in sends { await #expect(throws: RelayClientError.stopped) { try await send.value } }

        let second = try RelayClient(configuration: configuration, outboxFile: url)
        #expect(Set(second.restoredIDs) == ["m1", "m2", "m3"])
        #expect(await second.unacknowledgedCount == 3)
        await #expect(throws: RelayClientError.unknownMessage(id: "other")) {
            try await second.acknowledgement(of: "other")
        }
        let waiting = Task { try await second.acknowledgement(of: "m2") }
        try await Task.sleep(for: .milliseconds(50))
        await second.stop()
        await #expect(throws: RelayClientError.stopped) { try await waiting.value }
        await #expect(throws: RelayClientError.stopped) { try await second.acknowledgement(of: "m1") }
        #expect(try OutboxFile.parse(Data(contentsOf: url)).entries.count == 3)
    }
}
