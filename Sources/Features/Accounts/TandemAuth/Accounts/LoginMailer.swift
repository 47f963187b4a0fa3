/// Delivers magic links: by SMTP in production, to the console in development.
package protocol LoginMailer: Sendable {
    /// Sends `link` to `email`. `expiresAt` is in milliseconds since 1970.
    func sendLoginLink(to email: String, link: String, expiresAt: Int64) async throws
}
