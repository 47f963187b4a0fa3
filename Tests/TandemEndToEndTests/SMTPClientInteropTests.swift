import Foundation
import TandemMail
import Testing

@Suite(
    "SMTP client against aiosmtpd",
    .timeLimit(.minutes(1)),
    .enabled(if: SMTPSink.isAvailable, "python3 with aiosmtpd is not installed (pip install aiosmtpd)"))
struct SMTPClientInteropTests {
    static let message = MailMessage(
        from: "Tandem <tandem@example.test>", to: "ada@example.test", subject: "Hello",
        body: "first line\n.starts with a dot\n..two dots\nlast line")

    @Test("delivers in plain text; lines starting with '.' survive dot-stuffing")
    func plain() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let client = SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port, timeout: .seconds(5)))
        try await client.send(Self.message)
        let received = try await sink.next()
        #expect(received.from == "tandem@example.test")
        #expect(received.to == ["ada@example.test"])
        #expect(!received.tls)
        #expect(received.data.contains("Subject: Hello"))
        #expect(received.data.contains("\n.starts with a dot\r\n..two dots\r\nlast line"))
    }

    @Test("upgrades with STARTTLS (certificate checked against a trusted self-signed CA) and authenticates")
    func startTLSAndAuth() async throws {
        let certificate = try #require(
            try await makeSelfSignedCertificate(), "openssl is needed to make a test certificate")
        let sink = try await SMTPSink.start(["--tls", certificate.cert, certificate.key, "--auth", "mailer:s3cret"])
        defer { sink.stop() }
        var configuration = SMTPConfiguration(
            host: "127.0.0.1", port: sink.port, user: "mailer", password: "s3cret", security: .startTLS,
            trustRootsFile: certificate.cert, timeout: .seconds(5))
        try await SMTPClient(configuration: configuration).send(Self.message)
        let received = try await sink.next()
        #expect(received.tls)
        #expect(received.auth == "mailer")

        configuration.password = "wrong"
        await #expect(throws: SMTPError.self) { try await SMTPClient(configuration: configuration).send(Self.message) }
        // Without trusting the self-signed certificate, the upgrade fails.
        configuration.password = "s3cret"
        configuration.trustRootsFile = nil
        do {
            try await SMTPClient(configuration: configuration).send(Self.message)
            Issue.record("an untrusted certificate was accepted")
        } catch {
            guard case .tls = error else {
                Issue.record("unexpected error \(error)")
                return
            }
        }
        #expect(try await sink.expectNothing())
    }

    @Test("refuses to send credentials without TLS, and to continue when STARTTLS is required but missing")
    func noTLS() async throws {
        let sink = try await SMTPSink.start()
        defer { sink.stop() }
        let withUser = SMTPConfiguration(host: "127.0.0.1", port: sink.port, user: "u", password: "p")
        await #expect(throws: SMTPError.authenticationUnavailable("the connection is not encrypted")) {
            try await SMTPClient(configuration: withUser).send(Self.message)
        }
        let required = SMTPConfiguration(host: "127.0.0.1", port: sink.port, security: .startTLS)
        await #expect(throws: SMTPError.startTLSUnavailable) {
            try await SMTPClient(configuration: required).send(Self.message)
        }
    }

    @Test("a refused recipient and a silent server become typed errors")
    func refusalsAndTimeouts() async throws {
        let sink = try await SMTPSink.start(["--reject", "nobody"])
        defer { sink.stop() }
        var message = Self.message
        message.to = "nobody@example.test"
        do {
            try await SMTPClient(configuration: .init(host: "127.0.0.1", port: sink.port)).send(message)
            Issue.record("a refused recipient was accepted")
        } catch {
            #expect(error == .rejected(stage: "RCPT TO", code: 550, text: "5.1.1 No such user here"))
        }

        let silent = try await SMTPSink.start(["--silent"])
        defer { silent.stop() }
        let started = ContinuousClock.now
        do {
            try await SMTPClient(
                configuration: .init(host: "127.0.0.1", port: silent.port, timeout: .milliseconds(300))
            ).send(Self.message)
            Issue.record("a silent server did not time out")
        } catch {
            #expect(error == .timeout(stage: "greeting"))
        }
        #expect(ContinuousClock.now - started < .seconds(3))
    }
}
