import Foundation

/// A Tandem server with the accounts service mailing through a real SMTP server (aiosmtpd).
struct AccountsFixture {
    static let secret = "accounts-test-secret-0123456789abcdef"

    let server: TestServer
    let mail: SharedMailbox

    /// Starts a server whose accounts mail through the shared SMTP sink; `accounts` are extra
    /// auth.conf keys.
    static func start(_ accounts: [String: String] = [:], relay: [String: String] = [:]) async throws
        -> AccountsFixture
    {
        let mail = try await SharedMailbox.shared.value
        let sink = mail.sink
        var settings = [
            "smtp.host": "127.0.0.1", "smtp.port": "\(sink.port)", "smtp.from": "Tandem <tandem@example.test>",
            "smtp.timeout.seconds": "5",
        ]
        settings.merge(accounts) { $1 }
        let server = try await TestServer.start(relay.merging(["auth.secret": secret]) { $1 }, accounts: settings)
        return AccountsFixture(server: server, mail: mail)
    }

    var url: String { server.accountsURL }

    /// Starts a login for `email` and returns the link that arrived by mail and the login id.
    func requestLink(_ email: String, device: String? = nil) async throws -> (link: String, loginId: String) {
        var target = "\(url)/auth/login?email=\(query(email))"
        if let device { target += "&deviceName=\(query(device))&platform=linux" }
        let answer = try await http("GET", target)
        guard answer.status == 200, let loginId = answer["loginId"] as? String else {
            throw Timeout(description: "login refused: \(answer.status) \(answer.body)")
        }
        let received = try await mail.next(to: email.lowercased())
        guard let link = received.link else { throw Timeout(description: "no link in \(received.data)") }
        return (link, loginId)
    }

    /// Signs in by mail as a client that calls verify itself; returns the device token and ids.
    func signIn(_ email: String, device: String = "laptop") async throws -> (
        token: String, userId: Int, deviceId: String
    ) {
        let (link, _) = try await requestLink(email)
        let answer = try await http("GET", link + "&deviceName=\(query(device))&platform=linux")
        guard answer.status == 200, let token = answer["deviceToken"] as? String, let userId = answer["userId"] as? Int,
            let deviceId = answer["deviceId"] as? String
        else { throw Timeout(description: "verify refused: \(answer.status) \(answer.body)") }
        return (token, userId, deviceId)
    }

    /// Registers a project and returns its answer.
    func register(_ key: String, token: String) async throws -> HTTPAnswer {
        try await http(
            "POST", "\(url)/auth/project", bearer: token, json: ["projectKey": key, "name": "Project \(key)"])
    }

    func stop() async throws {
        try await server.stop()
    }
}
