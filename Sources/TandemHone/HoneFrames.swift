import TandemCore

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

    struct Ack: Encodable {
        let type = "ack"
        let id: String
        let seq: UInt64
    }

    struct Deltas: Encodable {
        struct Delta: Encodable {
            let seq: UInt64
            let deviceId: String
            /// The message exactly as it was relayed, as a JSON string (Hone's shape).
            let payload: String
            let createdAt: Int64
        }
        let type = "deltas"
        let room: String
        let deltas: [Delta]
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

    /// `{"id":…,"seq":…,"type":"ack"}`, as the encoder writes it. An id of printable ASCII without
    /// quotes or backslashes needs no escaping, so the frame is assembled without the encoder.
    public static func ack(id: String, seq: UInt64) -> String {
        let plain = id.utf8.allSatisfy {
            $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\")
        }
        guard plain else { return HoneJSON.encode(Ack(id: id, seq: seq)) }
        return "{\"id\":\"" + id + "\",\"seq\":" + String(seq) + ",\"type\":\"ack\"}"
    }

    static func deltas(room: RoomID, _ messages: some Collection<RoomMessage>) -> String {
        HoneJSON.encode(
            Deltas(
                room: room.rawValue,
                deltas: messages.map { message in
                    let payload: String
                    switch message.body {
                    case .text(let text): payload = text
                    case .binary(let bytes): payload = String(decoding: bytes, as: UTF8.self)
                    }
                    return .init(
                        seq: message.seq, deviceId: message.sender.rawValue, payload: payload,
                        createdAt: message.createdAt)
                }))
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
