import Foundation
import NIOCore

/// One SMTP conversation over an open channel: send a command, await its reply with a deadline.
struct SMTPSession {
    var replies: NIOAsyncChannelInboundStream<SMTPReply>.AsyncIterator
    let outbound: NIOAsyncChannelOutboundWriter<ByteBuffer>
    let channel: any Channel
    let timeout: Duration

    /// Reads the next reply and checks its code (any 2xx unless `accept` names one).
    @discardableResult
    mutating func expect(stage: String, accept: Int? = nil) async throws -> SMTPReply {
        let reply = try await nextReply(stage: stage)
        let ok = accept.map { reply.code == $0 } ?? reply.isPositive
        guard ok else { throw SMTPError.rejected(stage: stage, code: reply.code, text: reply.text) }
        return reply
    }

    /// Sends `line` (CRLF added) and checks the reply.
    @discardableResult
    mutating func command(_ line: String, stage: String, accept: Int? = nil) async throws -> SMTPReply {
        try await outbound.write(ByteBuffer(string: line + "\r\n"))
        return try await expect(stage: stage, accept: accept)
    }

    /// EHLO, returning the upper-cased extension keywords the server offers (with their
    /// parameters, e.g. `AUTH PLAIN LOGIN`).
    mutating func hello(_ name: String) async throws -> Set<String> {
        let reply = try await command("EHLO \(name)", stage: "EHLO")
        var capabilities = Set<String>()
        for line in reply.lines.dropFirst() {
            let upper = line.uppercased()
            capabilities.insert(upper)
            if let keyword = upper.split(separator: " ").first { capabilities.insert(String(keyword)) }
        }
        return capabilities
    }

    /// AUTH PLAIN when offered, else AUTH LOGIN.
    mutating func authenticate(user: String, password: String, capabilities: Set<String>) async throws {
        let mechanisms = Set(
            capabilities.filter { $0.hasPrefix("AUTH ") }.flatMap { $0.split(separator: " ").dropFirst() }.map(
                String.init))
        if mechanisms.contains("PLAIN") {
            let credentials = Data(("\u{0}" + user + "\u{0}" + password).utf8).base64EncodedString()
            try await command("AUTH PLAIN " + credentials, stage: "AUTH PLAIN", accept: 235)
        } else if mechanisms.contains("LOGIN") {
            try await command("AUTH LOGIN", stage: "AUTH LOGIN", accept: 334)
            try await command(Data(user.utf8).base64EncodedString(), stage: "AUTH LOGIN user", accept: 334)
            try await command(Data(password.utf8).base64EncodedString(), stage: "AUTH LOGIN password", accept: 235)
        } else {
            throw SMTPError.authenticationUnavailable(
                "the server offers no PLAIN or LOGIN mechanism (\(mechanisms.sorted().joined(separator: " ")))")
        }
    }

    private mutating func nextReply(stage: String) async throws -> SMTPReply {
        // A reply that does not come in time closes the channel, which ends the read below.
        let timer = Task { [channel, timeout] in
            try await Task.sleep(for: timeout)
            channel.close(promise: nil)
        }
        let result: Result<SMTPReply?, any Error>
        do {
            result = .success(try await replies.next())
        } catch {
            result = .failure(error)
        }
        timer.cancel()
        if (try? await timer.value) != nil { throw SMTPError.timeout(stage: stage) }
        guard let reply = try result.get() else { throw SMTPError.connectionClosed(stage: stage) }
        return reply
    }
}
