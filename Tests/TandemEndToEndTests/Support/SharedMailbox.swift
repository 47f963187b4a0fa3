import Synchronization

/// One SMTP sink shared by every accounts test, so the suite starts one Python process instead of
/// one per test. Tests use distinct addresses; mail is handed out by recipient.
final class SharedMailbox: Sendable {
    /// Started on first use; lives as long as the test process.
    static let shared = Task { try await SharedMailbox(sink: SMTPSink.start()) }

    let sink: SMTPSink
    private let byRecipient = Mutex<[String: Mailbox<SMTPSink.Received>]>([:])

    private init(sink: SMTPSink) {
        self.sink = sink
        Task { [self] in
            while let mail = try? await sink.next(timeout: .seconds(3600)) {
                for recipient in mail.to { box(recipient).put(mail) }
            }
        }
    }

    private func box(_ recipient: String) -> Mailbox<SMTPSink.Received> {
        byRecipient.withLock { boxes in
            if let box = boxes[recipient] { return box }
            let box = Mailbox<SMTPSink.Received>()
            boxes[recipient] = box
            return box
        }
    }

    /// The next message to `recipient`.
    func next(to recipient: String, timeout: Duration = .seconds(10)) async throws -> SMTPSink.Received {
        guard let mail = try await box(recipient).next(timeout: timeout) else {
            throw Timeout(description: "no mail for \(recipient)")
        }
        return mail
    }

    /// Whether no message to `recipient` arrives within `window`.
    func expectNothing(to recipient: String, for window: Duration = .milliseconds(300)) async throws -> Bool {
        do {
            _ = try await box(recipient).next(timeout: window)
            return false
        } catch is Timeout {
            return true
        }
    }
}
