import TandemConnection

/// One phone's socket as the LAN endpoint's runner drives it: the key exchange and handshake,
/// then the phone's messages to the endpoint.
struct PhoneConnection: ConnectionSession {
    let endpoint: LANEndpoint
    let queue: OutboundQueue
    /// Closes the socket if the handshake does not finish in time.
    let handshakeDeadline: Task<Void, any Error>
    private var session: LANSession
    private var peer: LANPeer?
    private let nonces = NonceLedger()

    init(endpoint: LANEndpoint, queue: OutboundQueue, handshakeDeadline: Task<Void, any Error>) {
        self.endpoint = endpoint
        self.queue = queue
        self.handshakeDeadline = handshakeDeadline
        self.session = LANSession(secret: endpoint.secret, nonces: nonces)
    }

    mutating func receive(_ frame: WireFrame) async {
        switch session.receive(frame) {
        case .keyExchange(let publicKey):
            queue.send(.text(LANEndpoint.plaintext(.keyExchange(publicKey: publicKey))))
        case .paired(let device, let box):
            handshakeDeadline.cancel()
            let paired = LANPeer(
                device: device, box: box, nonces: nonces, queue: queue, logger: endpoint.logger.with(device: device))
            peer = paired
            await endpoint.accept(paired)
        case .message(let message):
            guard let peer else { return }
            await endpoint.handle(message, from: peer)
        case .close(let reason):
            endpoint.logger.info(
                "closing LAN connection", metadata: ["code": "\(reason.code)", "why": "\(reason.reason)"])
            queue.close(reason)
        }
    }

    func ended() async {
        handshakeDeadline.cancel()
        if let peer { await endpoint.coordinator.peerClosed(peer) }
        endpoint.connections.closed(peer)
    }
}
