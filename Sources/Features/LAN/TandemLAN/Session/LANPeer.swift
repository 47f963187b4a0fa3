package import Foundation
import Logging
package import TandemConnection

/// The sending half of one paired connection: encrypts each message under the connection's key with a fresh
/// nonce and queues it for the connection's writer. Safe to use from any task.
package final class LANPeer: Sendable {
    /// Identifies the connection (a device may reconnect while an old connection lingers).
    package let id = UUID()
    package let device: String
    private let box: SecretBox
    private let nonces: NonceLedger
    private let queue: OutboundQueue
    private let logger: Logger

    init(device: String, box: SecretBox, nonces: NonceLedger, queue: OutboundQueue, logger: Logger) {
        self.device = device
        self.box = box
        self.nonces = nonces
        self.queue = queue
        self.logger = logger
    }

    /// Encrypts and queues `message`; dropped if the connection is closing.
    func send(_ message: LANOutbound) {
        do {
            let plaintext = try JSONEncoder().encode(message)
            var sealed = box.seal(Array(plaintext))
            // A repeat among random 24-byte nonces is practically impossible; recording it keeps the ledger
            // complete so the phone's frames can never reuse one of ours.
            while !nonces.insert(sealed.nonce) { sealed = box.seal(Array(plaintext)) }
            let envelope = LANEnvelope(
                enc: true, n: Data(sealed.nonce).base64EncodedString(), d: Data(sealed.ciphertext).base64EncodedString()
            )
            queue.send(.text(String(decoding: try JSONEncoder().encode(envelope), as: UTF8.self)))
            logger.trace("sent", metadata: ["type": "\(message.type)"])
        } catch {
            logger.error("could not encode a message", metadata: ["type": "\(message.type)", "error": "\(error)"])
        }
    }

    /// Closes the connection with `reason` after what is queued.
    package func close(_ reason: CloseReason) {
        queue.close(reason)
    }
}
