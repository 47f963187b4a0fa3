import Foundation
import NIOCore
import NIOEmbedded
import Testing

@testable import TandemMail

@Suite("SMTP replies and message format")
struct SMTPFormatTests {
    func decode(_ text: String) throws -> [SMTPReply] {
        let channel = EmbeddedChannel(handler: ByteToMessageHandler(SMTPReplyDecoder()))
        try channel.writeInbound(ByteBuffer(string: text))
        var replies: [SMTPReply] = []
        while let reply = try channel.readInbound(as: SMTPReply.self) { replies.append(reply) }
        return replies
    }

    @Test("multi-line replies are joined; a reply split across reads waits for its last line")
    func multiLine() throws {
        let replies = try decode("220 ready\r\n250-mail.example\r\n250-STARTTLS\r\n250 AUTH PLAIN LOGIN\r\n354")
        #expect(
            replies == [
                SMTPReply(code: 220, lines: ["ready"]),
                SMTPReply(code: 250, lines: ["mail.example", "STARTTLS", "AUTH PLAIN LOGIN"]),
            ])
        #expect(try decode("250\n") == [SMTPReply(code: 250, lines: [""])])
    }

    @Test("malformed replies are errors: no code, a bad separator, codes changing within a reply")
    func malformed() {
        for text in ["hello\r\n", "25\r\n", "250x\r\n", "250-a\r\n251 b\r\n"] {
            #expect(throws: SMTPError.self, "\(text)") { _ = try decode(text) }
        }
    }

    @Test("the data section has CRLF endings, doubled leading dots, and base64 for non-ASCII bodies")
    func dataSection() {
        let message = MailMessage(from: "a@b.c", to: "d@e.f", subject: "Hi", body: "x\n.y\r\nz")
        let data = message.dataSection(date: Date(timeIntervalSince1970: 0), messageID: "id@test")
        #expect(data.hasSuffix("\r\n\r\nx\r\n..y\r\nz\r\n"))
        #expect(data.contains("Date: Thu, 01 Jan 1970 00:00:00 +0000\r\n"))
        #expect(!data.replacingOccurrences(of: "\r\n", with: "").contains("\n"))

        let accented = MailMessage(from: "a@b.c", to: "d@e.f", subject: "Grüße", body: "Grüße")
        let encoded = accented.dataSection(date: Date(), messageID: "id@test")
        #expect(encoded.contains("Subject: =?utf-8?B?"))
        #expect(encoded.contains("Content-Transfer-Encoding: base64"))
        #expect(encoded.contains(Data("Grüße".utf8).base64EncodedString()))
    }

    @Test("envelope addresses come out of display names; line breaks and brackets are refused")
    func envelope() throws {
        #expect(try SMTPClient.envelopeAddress("Tandem <t@x.org>") == "t@x.org")
        #expect(try SMTPClient.envelopeAddress("t@x.org") == "t@x.org")
        for bad in ["", "no-at-sign", "a@b\r\nRCPT TO:<c@d>", "a b@c.d"] {
            #expect(throws: SMTPError.self, "\(bad)") { _ = try SMTPClient.envelopeAddress(bad) }
        }
    }
}
