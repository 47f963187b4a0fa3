import Foundation

/// A plain-text mail: envelope, headers and body.
package struct MailMessage: Sendable, Equatable {
    package var from: String
    package var to: String
    package var subject: String
    /// Plain text; line endings are normalised to CRLF when sent.
    package var body: String

    package init(from: String, to: String, subject: String, body: String) {
        self.from = from
        self.to = to
        self.subject = subject
        self.body = body
    }

    /// The message as sent after DATA: headers, a blank line, the body (base64 when it is not
    /// ASCII), with CRLF line endings and every line starting with "." doubled (dot-stuffing).
    /// Does not include the terminating `.` line.
    func dataSection(date: Date, messageID: String) -> String {
        let ascii = body.unicodeScalars.allSatisfy(\.isASCII)
        var headers = [
            "From: \(from)",
            "To: \(to)",
            "Subject: \(Self.encodedHeader(subject))",
            "Date: \(Self.rfc5322Date(date))",
            "Message-ID: <\(messageID)>",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
        ]
        let text: String
        if ascii {
            headers.append("Content-Transfer-Encoding: 7bit")
            text = body
        } else {
            headers.append("Content-Transfer-Encoding: base64")
            text = Data(body.utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn])
        }
        let lines = (headers + [""] + Self.lines(text)).map { $0.hasPrefix(".") ? "." + $0 : $0 }
        return lines.joined(separator: "\r\n") + "\r\n"
    }

    /// Splits on CRLF, CR or LF.
    static func lines(_ text: String) -> [String] {
        text.replacingOccurrences(of: "\r\n", with: "\n").replacingOccurrences(of: "\r", with: "\n")
            .split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    }

    /// ASCII headers as they are; anything else as an RFC 2047 encoded word.
    static func encodedHeader(_ value: String) -> String {
        if value.unicodeScalars.allSatisfy({ $0.isASCII && $0.value >= 0x20 }) { return value }
        return "=?utf-8?B?" + Data(value.utf8).base64EncodedString() + "?="
    }

    static func rfc5322Date(_ date: Date) -> String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.timeZone = TimeZone(secondsFromGMT: 0)
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        return formatter.string(from: date)
    }
}
