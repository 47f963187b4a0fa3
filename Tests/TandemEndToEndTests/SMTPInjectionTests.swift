import NIOCore
import NIOPosix
import Synchronization
import TandemMail
import Testing

/// An SMTP server that lies: it answers STARTTLS and, in the same write, a reply meant to be read
/// as the first answer over TLS (response injection). Records every line the client sends.
private final class InjectingServer: ChannelInboundHandler, Sendable {
    typealias InboundIn = ByteBuffer
    typealias OutboundOut = ByteBuffer

    let received = Mutex<[String]>([])
    /// Whether the client went on to a TLS handshake (a record starting 0x16) after STARTTLS.
    let handshakeSeen = Mutex(false)
    let splitInjection: Bool

    init(splitInjection: Bool) { self.splitInjection = splitInjection }

    func channelActive(context: ChannelHandlerContext) {
        write("220 mx.example.test ESMTP\r\n", context)
    }

    func channelRead(context: ChannelHandlerContext, data: NIOAny) {
        let buffer = unwrapInboundIn(data)
        if buffer.readableBytesView.first == 0x16 {
            handshakeSeen.withLock { $0 = true }
            return context.close(promise: nil)
        }
        for line in String(buffer: buffer).split(separator: "\r\n") {
            received.withLock { $0.append(String(line)) }
            switch line.uppercased() {
            case let text where text.hasPrefix("EHLO"):
                write("250-mx.example.test\r\n250-AUTH PLAIN\r\n250 STARTTLS\r\n", context)
            case "STARTTLS" where splitInjection:
                write("220 Go ahead\r\n", context)
                let loop = context.eventLoop
                let channel = context.channel
                loop.scheduleTask(in: .milliseconds(1)) {
                    channel.writeAndFlush(ByteBuffer(string: "250-mx.example.test\r\n250 AUTH PLAIN\r\n"), promise: nil)
                }
            case "STARTTLS":
                write("220 Go ahead\r\n250-mx.example.test\r\n250 AUTH PLAIN\r\n", context)
            default:
                write("250 OK\r\n", context)
            }
        }
    }

    private func write(_ text: String, _ context: ChannelHandlerContext) {
        context.writeAndFlush(wrapOutboundOut(ByteBuffer(string: text)), promise: nil)
    }
}

@Suite("SMTP client against a server that injects replies after STARTTLS", .timeLimit(.minutes(1)))
struct SMTPInjectionTests {
    @Test(
        "replies sent after STARTTLS's, before the handshake, stop the client: no AUTH, no mail",
        arguments: [false, true])
    func injectedReplies(split: Bool) async throws {
        let server = InjectingServer(splitInjection: split)
        let channel = try await ServerBootstrap(group: MultiThreadedEventLoopGroup.singleton)
            .childChannelInitializer { channel in
                channel.eventLoop.makeCompletedFuture { try channel.pipeline.syncOperations.addHandler(server) }
            }
            .bind(host: "127.0.0.1", port: 0).get()
        defer { channel.close(promise: nil) }
        let configuration = SMTPConfiguration(
            host: "127.0.0.1", port: channel.localAddress?.port ?? 0, user: "mailer", password: "s3cret",
            security: .startTLS, timeout: .seconds(5))
        let message = MailMessage(from: "tandem@example.test", to: "ada@example.test", subject: "Hi", body: "x")
        do {
            try await SMTPClient(configuration: configuration).send(message)
            Issue.record("the client sent mail after an injected reply")
        } catch {
            guard case .tls(let why) = error else {
                Issue.record("expected a TLS error, got \(error)")
                return
            }
            // Sent with the STARTTLS reply, the injection is caught before any handshake; sent a moment
            // later it may reach the TLS handler instead, whose handshake then fails.
            if !split { #expect(why.contains("response injection"), "\(why)") }
        }
        let lines = server.received.withLock { $0 }
        #expect(lines.count == 2 && lines.last == "STARTTLS", "\(lines)")
        #expect(!lines.contains { $0.uppercased().hasPrefix("AUTH") || $0.uppercased().hasPrefix("MAIL") })
        if !split { #expect(!server.handshakeSeen.withLock { $0 }, "the client stopped before the handshake") }
    }
}
