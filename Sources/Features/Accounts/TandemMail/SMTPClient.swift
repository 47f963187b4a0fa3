import Foundation
package import NIOCore
import NIOPosix
import NIOSSL

/// Sends mail over SMTP (RFC 5321) on SwiftNIO: EHLO, STARTTLS when offered or required, AUTH
/// PLAIN or LOGIN when credentials are set, then MAIL FROM, RCPT TO and DATA. One connection per
/// message; every wait is bounded by the configured timeout.
package struct SMTPClient: Sendable {
    package let configuration: SMTPConfiguration
    private let group: any EventLoopGroup

    package init(configuration: SMTPConfiguration, group: any EventLoopGroup = MultiThreadedEventLoopGroup.singleton) {
        self.configuration = configuration
        self.group = group
    }

    /// Delivers `message` to its recipient.
    package func send(_ message: MailMessage) async throws(SMTPError) {
        let from = try Self.envelopeAddress(message.from)
        let to = try Self.envelopeAddress(message.to)
        let tlsContext = try makeTLSContext()
        do {
            try await exchange(message, from: from, to: to, tlsContext: tlsContext)
        } catch let error as SMTPError {
            throw error
        } catch let error as NIOSSLError {
            throw .tls(String(describing: error))
        } catch let error as BoringSSLError {
            throw .tls(String(describing: error))
        } catch {
            throw .connectionFailed(String(describing: error))
        }
    }

    private func exchange(_ message: MailMessage, from: String, to: String, tlsContext: NIOSSLContext?) async throws {
        let implicitTLS = configuration.security == .tls
        let sniName = Self.isIPAddress(configuration.host) ? nil : configuration.host
        // The bootstrap's own connect timeout bounds the connection; a race with a timer here could
        // drop a connected channel without closing it.
        let channel = try await ClientBootstrap(group: group)
            .connectTimeout(.nanoseconds(configuration.timeoutNanoseconds))
            .connect(host: configuration.host, port: configuration.port) { channel in
                channel.eventLoop.makeCompletedFuture {
                    if implicitTLS, let tlsContext {
                        try channel.pipeline.syncOperations.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: sniName))
                    }
                    try channel.pipeline.syncOperations.addHandler(ByteToMessageHandler(SMTPReplyDecoder()))
                    return try NIOAsyncChannel<SMTPReply, ByteBuffer>(wrappingChannelSynchronously: channel)
                }
            }
        try await channel.executeThenClose { inbound, outbound in
            var session = SMTPSession(
                replies: inbound.makeAsyncIterator(), outbound: outbound, channel: channel.channel,
                timeout: configuration.timeout)
            try await session.expect(stage: "greeting")
            var capabilities = try await session.hello(configuration.heloName)
            var encrypted = implicitTLS
            if !encrypted, let tlsContext, configuration.security != .none {
                if capabilities.contains("STARTTLS") {
                    let guardHandler = try await channel.channel.eventLoop.submit {
                        let handler = STARTTLSGuard()
                        try channel.channel.pipeline.syncOperations.addHandler(handler, position: .first)
                        return NIOLoopBound(handler, eventLoop: channel.channel.eventLoop)
                    }.get()
                    try await session.command("STARTTLS", stage: "STARTTLS")
                    // In one turn of the event loop: no byte can slip between the check and the handshake.
                    try await channel.channel.eventLoop.submit {
                        let pipeline = channel.channel.pipeline.syncOperations
                        guard !guardHandler.value.injected else {
                            throw SMTPError.tls(
                                "the server sent data after its STARTTLS reply, before TLS began (response injection)")
                        }
                        pipeline.removeHandler(guardHandler.value, promise: nil)
                        try pipeline.addHandler(
                            NIOSSLClientHandler(context: tlsContext, serverHostname: sniName), position: .first)
                    }.get()
                    encrypted = true
                    do {
                        capabilities = try await session.hello(configuration.heloName)
                    } catch let error as SMTPError {
                        throw error
                    } catch {
                        // A refused certificate shows up as the connection closing under the first write.
                        throw SMTPError.tls("the TLS handshake failed: \(error)")
                    }
                } else if configuration.security == .startTLS {
                    throw SMTPError.startTLSUnavailable
                }
            }
            if let user = configuration.user, !user.isEmpty {
                guard encrypted else {
                    throw SMTPError.authenticationUnavailable("the connection is not encrypted")
                }
                try await session.authenticate(
                    user: user, password: configuration.password ?? "", capabilities: capabilities)
            }
            try await session.command("MAIL FROM:<\(from)>", stage: "MAIL FROM")
            try await session.command("RCPT TO:<\(to)>", stage: "RCPT TO")
            try await session.command("DATA", stage: "DATA", accept: 354)
            let data = message.dataSection(date: Date(), messageID: "\(UUID().uuidString)@\(configuration.heloName)")
            try await session.command(data + ".", stage: "message body")
            _ = try? await session.command("QUIT", stage: "QUIT", accept: 221)
        }
    }

    private func makeTLSContext() throws(SMTPError) -> NIOSSLContext? {
        guard configuration.security != .none else { return nil }
        var tls = TLSConfiguration.makeClientConfiguration()
        if let file = configuration.trustRootsFile, !file.isEmpty {
            tls.trustRoots = .file(file)
        }
        do {
            return try NIOSSLContext(configuration: tls)
        } catch {
            throw .tls("cannot set up TLS: \(error)")
        }
    }

    /// The bare address of `Name <address>` or `address`, refused when it could break a command.
    static func envelopeAddress(_ value: String) throws(SMTPError) -> String {
        var address = value.trimmingCharacters(in: .whitespaces)
        if let open = address.lastIndex(of: "<"), let close = address.lastIndex(of: ">"), open < close {
            address = String(address[address.index(after: open)..<close])
        }
        guard !address.isEmpty, address.contains("@"),
            !address.unicodeScalars.contains(where: { $0.value < 0x21 || $0 == "<" || $0 == ">" || $0 == "\u{7f}" }),
            !value.contains("\r"), !value.contains("\n")
        else { throw .invalidAddress(value) }
        return address
    }

    static func isIPAddress(_ host: String) -> Bool {
        (try? SocketAddress(ipAddress: host, port: 0)) != nil
    }
}
