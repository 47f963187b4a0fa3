import Foundation

#if canImport(Darwin)
import Darwin
#elseif canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#endif

/// The persisted outbox: an append-only JSON-lines log, one record per line.
///
/// `{"id":"…","frame":"…"}` adds a message (its id and the exact frame to send), written and
/// fsynced before the message goes out. `{"done":"…"}` removes it once acknowledged or refused;
/// not fsynced, since a lost removal only makes a relaunched client resend a message the server
/// recognises by its id. A line without its trailing newline (a write cut short by a crash), or one
/// that does not decode, is dropped on load and the others are kept. When removed records dominate,
/// the live ones are rewritten to a temporary file that replaces the log (fsync, then rename).
final class OutboxFile {
    struct Entry: Equatable, Sendable {
        let id: String
        let frame: String
    }

    private struct Record: Codable {
        var id: String?
        var frame: String?
        var done: String?
    }

    let url: URL
    /// Lines of removed messages that may accumulate before the log is compacted.
    let compactAfter: Int
    private var descriptor: Int32
    private var size: off_t
    /// Lines in the log.
    private(set) var lines: Int
    /// Messages in the log not yet removed.
    private(set) var live: Int

    /// Opens the log at `url`, creating it if needed, and returns it with the messages it holds,
    /// oldest first, and the number of damaged lines that were dropped.
    static func open(_ url: URL, compactAfter: Int = 256) throws(RelayClientError) -> (
        file: OutboxFile, entries: [Entry], dropped: Int
    ) {
        var data = Data()
        if FileManager.default.fileExists(atPath: url.path) {
            do {
                data = try Data(contentsOf: url)
            } catch {
                throw .outbox("read \(url.path): \(error.localizedDescription)")
            }
        }
        let (entries, lines, dropped) = parse(data)
        let descriptor: Int32
        let size: off_t
        if lines == entries.count, dropped == 0, !data.isEmpty {
            descriptor = try openDescriptor(url.path, flags: O_WRONLY | O_APPEND)
            size = off_t(data.count)
        } else {
            // Something to drop, or a new log: start from a fresh file holding just the live records.
            (descriptor, size) = try writeReplacement(of: url, with: entries)
        }
        let file = OutboxFile(
            url: url, compactAfter: compactAfter, descriptor: descriptor, size: size, live: entries.count)
        return (file, entries, dropped)
    }

    private init(url: URL, compactAfter: Int, descriptor: Int32, size: off_t, live: Int) {
        self.url = url
        self.compactAfter = compactAfter
        self.descriptor = descriptor
        self.size = size
        self.lines = live
        self.live = live
    }

    deinit { _ = close(descriptor) }

    /// Appends a message and fsyncs; on failure the log is left as it was.
    func append(_ entry: Entry) throws(RelayClientError) {
        try write(Record(id: entry.id, frame: entry.frame))
        guard Self.sync(descriptor) else { throw failure("fsync") }
        live += 1
    }

    /// Records that a message is done with; compacts the log (writing `remaining()`, the messages
    /// still pending, oldest first) once removed records dominate.
    func remove(_ id: String, remaining: () -> [Entry]) throws(RelayClientError) {
        try write(Record(done: id))
        live -= 1
        let dead = lines - live
        if dead >= compactAfter, dead > live {
            try compact(remaining())
        }
    }

    /// Rewrites the log with just `entries`.
    func compact(_ entries: [Entry]) throws(RelayClientError) {
        let (replacement, size) = try Self.writeReplacement(of: url, with: entries)
        _ = close(descriptor)
        descriptor = replacement
        self.size = size
        lines = entries.count
        live = entries.count
    }

    // MARK: - Format

    /// The live messages in `data`, the number of complete lines, and the number of damaged ones.
    static func parse(_ data: Data) -> (entries: [Entry], lines: Int, dropped: Int) {
        var entries: [Entry?] = []
        var index: [String: Int] = [:]
        var dropped = 0
        let decoder = JSONDecoder()
        var parts = data.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false)
        // What follows the last newline is empty unless the last write was cut short.
        if let torn = parts.popLast(), !torn.isEmpty { dropped += 1 }
        for line in parts {
            guard let record = try? decoder.decode(Record.self, from: Data(line)) else {
                dropped += 1
                continue
            }
            if let id = record.id, let frame = record.frame {
                guard index[id] == nil else { continue }
                index[id] = entries.count
                entries.append(Entry(id: id, frame: frame))
            } else if let id = record.done {
                if let position = index.removeValue(forKey: id) { entries[position] = nil }
            } else {
                dropped += 1
            }
        }
        return (entries.compactMap { $0 }, parts.count, dropped)
    }

    static func line(_ entry: Entry) -> [UInt8] {
        encode(Record(id: entry.id, frame: entry.frame))
    }

    private static func encode(_ record: Record) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.withoutEscapingSlashes]
        // Encoding strings cannot fail, and JSON text never holds a raw newline.
        return Array((try? encoder.encode(record)) ?? Data()) + [UInt8(ascii: "\n")]
    }

    // MARK: - Files

    private func write(_ record: Record) throws(RelayClientError) {
        let bytes = Self.encode(record)
        guard Self.writeAll(bytes, to: descriptor) else {
            let error = failure("write")
            // Cut off a partial record so the next one starts on a fresh line.
            _ = ftruncate(descriptor, size)
            throw error
        }
        size += off_t(bytes.count)
        lines += 1
    }

    private func failure(_ operation: String) -> RelayClientError {
        Self.failure(operation, url.path)
    }

    private static func failure(_ operation: String, _ path: String) -> RelayClientError {
        .outbox("\(operation) \(path): \(String(cString: strerror(errno)))")
    }

    private static func openDescriptor(_ path: String, flags: Int32) throws(RelayClientError) -> Int32 {
        let descriptor = path.withCString { posixOpen($0, flags | O_CLOEXEC, 0o600) }
        guard descriptor >= 0 else { throw failure("open", path) }
        return descriptor
    }

    /// Writes `entries` to a temporary file, fsyncs it and renames it over `url`; returns its
    /// descriptor, open for appending, and its size.
    private static func writeReplacement(of url: URL, with entries: [Entry]) throws(RelayClientError) -> (
        Int32, off_t
    ) {
        let temporary = url.path + ".tmp"
        let descriptor = try openDescriptor(temporary, flags: O_WRONLY | O_CREAT | O_TRUNC | O_APPEND)
        let bytes = entries.flatMap(line)
        guard writeAll(bytes, to: descriptor), sync(descriptor) else {
            let error = failure("write", temporary)
            _ = close(descriptor)
            _ = unlink(temporary)
            throw error
        }
        guard rename(temporary, url.path) == 0 else {
            let error = failure("rename", temporary)
            _ = close(descriptor)
            _ = unlink(temporary)
            throw error
        }
        // Make the rename itself durable.
        let directory = url.deletingLastPathComponent().path.withCString { posixOpen($0, O_RDONLY | O_CLOEXEC, 0) }
        if directory >= 0 {
            _ = sync(directory)
            _ = close(directory)
        }
        return (descriptor, off_t(bytes.count))
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32) -> Bool {
        var offset = 0
        while offset < bytes.count {
            let written = bytes.withUnsafeBytes { buffer in
                posixWrite(descriptor, buffer.baseAddress! + offset, buffer.count - offset)
            }
            if written < 0 {
                if errno == EINTR { continue }
                return false
            }
            offset += written
        }
        return true
    }

    /// Flushes to stable storage: F_FULLFSYNC on Apple platforms, where fsync stops at the drive's cache.
    private static func sync(_ descriptor: Int32) -> Bool {
        #if canImport(Darwin)
        if fcntl(descriptor, F_FULLFSYNC) == 0 { return true }
        #endif
        return fsync(descriptor) == 0
    }
}

// `open` and `write` name methods of `OutboxFile`; these reach the C functions.
private func posixOpen(_ path: UnsafePointer<CChar>, _ flags: Int32, _ mode: mode_t) -> Int32 {
    open(path, flags, mode)
}

private func posixWrite(_ descriptor: Int32, _ buffer: UnsafeRawPointer, _ count: Int) -> Int {
    write(descriptor, buffer, count)
}
