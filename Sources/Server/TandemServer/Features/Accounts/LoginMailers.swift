import Foundation
import Logging
import TandemAuth
import TandemMail

/// Sends login links through an SMTP server.
struct SMTPLoginMailer: LoginMailer {
    let client: SMTPClient
    let from: String

    func sendLoginLink(to email: String, link: String, expiresAt: Int64) async throws {
        let minutes = max(1, (expiresAt - Int64(Date().timeIntervalSince1970 * 1000) + 59_999) / 60_000)
        let body = """
            Someone (hopefully you) asked to sign in to Tandem with this address.

            Open this link to sign in. It works once, for \(minutes) minute\(minutes == 1 ? "" : "s"):

            \(link)

            If you did not ask for it, ignore this mail: nothing happens unless the link is opened.
            """
        try await client.send(MailMessage(from: from, to: email, subject: "Your Tandem sign-in link", body: body))
    }
}

/// Development mode without an SMTP server: login links go to standard output and the log.
struct ConsoleLoginMailer: LoginMailer {
    let logger: Logger

    func sendLoginLink(to email: String, link: String, expiresAt: Int64) async throws {
        logger.notice("login link (development mode: not mailed)", metadata: ["email": "\(email)"])
        FileHandle.standardOutput.write(Data("Login link for \(email): \(link)\n".utf8))
    }
}
