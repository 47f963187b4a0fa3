import Foundation
import Synchronization
import TandemTestSupport

/// Python's aiosmtpd as a real SMTP server on a free loopback port (Tests/Interop/smtp_sink.py),
/// with the messages it receives.
final class SMTPSink: Sendable {
    struct Received: Sendable {
        let from: String
        let to: [String]
        let data: String
        let tls: Bool
        let auth: String?
    }

    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("Interop/smtp_sink.py")

    /// Whether python3 with aiosmtpd is installed (`pip install aiosmtpd`); tests skip otherwise.
    static let isAvailable: Bool = {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", "import aiosmtpd"]
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        guard (try? process.run()) != nil else { return false }
        process.waitUntilExit()  // once per test run, before any server starts
        return process.terminationStatus == 0
    }()

    let port: Int
    private let process: Process
    private let lines: Mailbox<String>

    /// Starts the server; `arguments` are the script's options (`--tls`, `--auth`, `--reject`, `--silent`).
    static func start(_ arguments: [String] = []) async throws -> SMTPSink {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-u", script.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        // The script exits when this pipe closes, so it never outlives the test process.
        let input = Pipe()
        process.standardInput = input
        let lines = Mailbox<String>()
        let pending = Mutex(Data())
        pipe.fileHandleForReading.readabilityHandler = { handle in
            let chunk = handle.availableData
            if chunk.isEmpty {
                handle.readabilityHandler = nil
                lines.finish()
                return
            }
            let complete = pending.withLock { buffer -> [String] in
                buffer.append(chunk)
                var out: [String] = []
                while let newline = buffer.firstIndex(of: UInt8(ascii: "\n")) {
                    out.append(String(decoding: buffer[buffer.startIndex..<newline], as: UTF8.self))
                    buffer.removeSubrange(buffer.startIndex...newline)
                }
                return out
            }
            for line in complete { lines.put(line) }
        }
        try process.run()
        guard let first = try await lines.next(timeout: .seconds(10)), first.hasPrefix("PORT "),
            let port = Int(first.dropFirst(5))
        else {
            try? input.fileHandleForWriting.close()
            throw Timeout(description: "the SMTP sink did not start")
        }
        return SMTPSink(port: port, process: process, input: input, lines: lines)
    }

    private let input: Pipe

    private init(port: Int, process: Process, input: Pipe, lines: Mailbox<String>) {
        self.port = port
        self.process = process
        self.input = input
        self.lines = lines
    }

    /// The next message the server accepted.
    func next(timeout: Duration = .seconds(10)) async throws -> Received {
        guard let line = try await lines.next(timeout: timeout),
            let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any]
        else { throw Timeout(description: "no message arrived at the SMTP sink") }
        return Received(
            from: object["from"] as? String ?? "", to: object["to"] as? [String] ?? [],
            data: object["data"] as? String ?? "", tls: object["tls"] as? Bool ?? false, auth: object["auth"] as? String
        )
    }

    /// Whether a message arrives within `window`.
    func expectNothing(for window: Duration = .milliseconds(300)) async throws -> Bool {
        do {
            _ = try await lines.next(timeout: window)
            return false
        } catch is Timeout {
            return true
        }
    }

    /// Ends the server: closing its stdin makes it exit. Does not block a thread waiting for it.
    func stop() {
        try? input.fileHandleForWriting.close()
    }
}

extension SMTPSink.Received {
    /// The first `https?://...` link in the message body.
    var link: String? {
        let unfolded = data.replacingOccurrences(of: "\r\n", with: "\n")
        guard let range = unfolded.range(of: #"https?://[^\s]+"#, options: .regularExpression) else { return nil }
        return String(unfolded[range])
    }
}

/// A self-signed certificate for localhost and 127.0.0.1 made with the openssl command, or nil
/// when openssl is missing.
func makeSelfSignedCertificate() async throws -> (cert: String, key: String)? {
    let directory = TestFiles.directory("tandem-tls")
    let cert = directory.appendingPathComponent("cert.pem").path
    let key = directory.appendingPathComponent("key.pem").path
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
        "openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
        "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost",
        "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
    ]
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    guard (try? process.run()) != nil else { return nil }
    while process.isRunning { try await Task.sleep(for: .milliseconds(20)) }
    return process.terminationStatus == 0 ? (cert, key) : nil
}
