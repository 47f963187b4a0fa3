import TandemConnection
public import TandemRelay

/// Builds every frame the Hone adapter sends, except relayed messages (stored pre-rendered).
@_spi(Benchmarks) public enum HoneFrames {
    struct Joined: Encodable {
        let type = "joined"
        let room: String
        let device: String
        let host: String?
        let isHost: Bool
        let peers: [String]
        let roomSeq: UInt64
        let epoch: String
        let bufferOverflowed: Bool?
        let resync: Bool?
    }

    struct HostChanged: Encodable {
        let type = "host"
        let room: String
        let host: String?
    }

    struct Peer: Encodable {
        let type: String
        let room: String
        let device: String
    }

    struct ErrorFrame: Encodable {
        let type = "error"
        let error: String
        let code: String
        let limit: Int?
        /// The refused message's `id`, when it had one.
        let id: String?
    }

    static func joined(_ join: HoneJoin, _ admission: Admission, resync: Bool) -> String {
        HoneJSON.encode(
            Joined(
                room: join.room.rawValue, device: join.device.rawValue, host: admission.host?.rawValue,
                isHost: admission.host == join.device, peers: admission.peers.map(\.rawValue),
                roomSeq: admission.roomSeq, epoch: admission.epoch,
                bufferOverflowed: admission.bufferOverflowed ? true : nil, resync: resync ? true : nil))
    }

    /// `{"id":…,"seq":…,"type":"ack"}`: one per message, so assembled directly (the encoder's bytes).
    public static func ack(id: String, seq: UInt64) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(id.utf8.count + 48)
        bytes.append(contentsOf: #"{"id":"#.utf8)
        HoneJSON.appendString(id, to: &bytes)
        bytes.append(contentsOf: #","seq":"#.utf8)
        bytes.append(contentsOf: String(seq).utf8)
        bytes.append(contentsOf: #","type":"ack"}"#.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    /// `{"deltas":[{"createdAt":…,"deviceId":…,"payload":…,"seq":…},…],"room":…,"type":"deltas"}`,
    /// the bytes `HoneJSON.encode` writes for that shape (the tests compare), assembled directly: a
    /// catch-up page holds up to `HoneEndpoint.deltasPageSize` messages and the encoder cost most of
    /// the replay's time.
    public static func deltas(room: RoomID, _ messages: some Collection<RoomMessage>) -> String {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(64 + messages.reduce(0) { $0 + $1.body.byteCount * 5 / 4 + 96 })
        bytes.append(contentsOf: #"{"deltas":["#.utf8)
        for (index, message) in messages.enumerated() {
            if index > 0 { bytes.append(UInt8(ascii: ",")) }
            bytes.append(contentsOf: #"{"createdAt":"#.utf8)
            bytes.append(contentsOf: String(message.createdAt).utf8)
            bytes.append(contentsOf: #","deviceId":"#.utf8)
            HoneJSON.appendString(message.sender.rawValue, to: &bytes)
            bytes.append(contentsOf: #","payload":"#.utf8)
            switch message.body {
            case .text(let text): HoneJSON.appendString(text, to: &bytes)
            case .binary(let data): HoneJSON.appendString(String(decoding: data, as: UTF8.self), to: &bytes)
            }
            bytes.append(contentsOf: #","seq":"#.utf8)
            bytes.append(contentsOf: String(message.seq).utf8)
            bytes.append(UInt8(ascii: "}"))
        }
        bytes.append(contentsOf: #"],"room":"#.utf8)
        HoneJSON.appendString(room.rawValue, to: &bytes)
        bytes.append(contentsOf: #","type":"deltas"}"#.utf8)
        return String(decoding: bytes, as: UTF8.self)
    }

    static func error(_ error: HoneError, id: String? = nil) -> String {
        HoneJSON.encode(ErrorFrame(error: error.text, code: error.code, limit: error.limit, id: id))
    }

    /// The frame a member receives for a room event.
    static func event(_ event: RoomEvent) -> WireFrame {
        switch event {
        case .message(let message):
            message.body
        case .hostChanged(let room, let host):
            .text(HoneJSON.encode(HostChanged(room: room.rawValue, host: host?.rawValue)))
        case .peerJoined(let room, let device):
            .text(HoneJSON.encode(Peer(type: "peer-joined", room: room.rawValue, device: device.rawValue)))
        case .peerLeft(let room, let device):
            .text(HoneJSON.encode(Peer(type: "peer-left", room: room.rawValue, device: device.rawValue)))
        case .transient(_, _, let frame):
            frame
        }
    }
}
