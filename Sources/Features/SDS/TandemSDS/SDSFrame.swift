import Foundation

/// One binary frame of the SDS sync protocol: a type byte, then the type's payload.
///
/// Parsing checks only the framing the server relies on (lengths, chunk header, presence JSON);
/// CRDT payloads stay opaque bytes, relayed and stored exactly as received.
package enum SDSFrame: Equatable, Sendable {
    /// 0x01: CRDT patch bytes.
    case patch
    /// 0x02: a value blob, a 32-byte hash then the value's bytes.
    case value(hash: [UInt8])
    /// 0x03: a request for the value blob with this hash. SDS's own engine names blobs with a
    /// shorter text label whose bytes it sends here; such a hash is padded with zero bytes to 32,
    /// which is how the same engine lays it out in its VALUE_CHUNK headers.
    case requestValue(hash: [UInt8])
    /// 0x04: UTF-8 JSON presence state naming its `PeerId`.
    case presence
    /// 0x05: one piece of a value too large for one frame.
    case valueChunk(hash: [UInt8], index: UInt32, total: UInt32)
    /// 0x06: a sync request carrying the sender's opaque CRDT cursor.
    case syncRequest

    package static let hashLength = 32
    /// Where a VALUE frame's value starts.
    package static let valueOffset = 1 + hashLength
    /// Type byte, hash, chunk index and chunk count.
    package static let chunkHeaderLength = 1 + hashLength + 8

    package enum Kind: UInt8, Sendable {
        case patch = 0x01
        case value = 0x02
        case requestValue = 0x03
        case presence = 0x04
        case valueChunk = 0x05
        case syncRequest = 0x06

        /// Whether only write and admin scopes may send it.
        package var writes: Bool { self == .patch || self == .value || self == .valueChunk }
    }

    /// Why a frame was not accepted; the frame is dropped and never relayed or stored.
    package enum Malformed: Error, Equatable, Sendable {
        case empty
        case unknownType(UInt8)
        case truncated(Kind, minimum: Int)
        case badChunkHeader(index: UInt32, total: UInt32)
        case presenceWithoutPeerID
    }

    package var kind: Kind {
        switch self {
        case .patch: .patch
        case .value: .value
        case .requestValue: .requestValue
        case .presence: .presence
        case .valueChunk: .valueChunk
        case .syncRequest: .syncRequest
        }
    }

    /// Reads the header of `bytes`, a whole binary WebSocket message.
    package static func parse(_ bytes: [UInt8]) -> Result<SDSFrame, Malformed> {
        guard let typeByte = bytes.first else { return .failure(.empty) }
        guard let kind = Kind(rawValue: typeByte) else { return .failure(.unknownType(typeByte)) }
        switch kind {
        case .patch:
            return .success(.patch)
        case .syncRequest:
            return .success(.syncRequest)
        case .value:
            guard bytes.count >= valueOffset else { return .failure(.truncated(kind, minimum: valueOffset)) }
            return .success(.value(hash: Array(bytes[1..<valueOffset])))
        case .requestValue:
            guard bytes.count >= 2 else { return .failure(.truncated(kind, minimum: 2)) }
            var hash = Array(bytes[1..<min(bytes.count, valueOffset)])
            hash += repeatElement(0, count: hashLength - hash.count)
            return .success(.requestValue(hash: hash))
        case .valueChunk:
            guard bytes.count >= chunkHeaderLength else {
                return .failure(.truncated(kind, minimum: chunkHeaderLength))
            }
            let index = bigEndian(bytes, at: 1 + hashLength)
            let total = bigEndian(bytes, at: 5 + hashLength)
            guard total > 0, index < total else { return .failure(.badChunkHeader(index: index, total: total)) }
            return .success(.valueChunk(hash: Array(bytes[1...hashLength]), index: index, total: total))
        case .presence:
            let json = Data(bytes.dropFirst())
            guard let object = try? JSONSerialization.jsonObject(with: json) as? [String: Any],
                object["PeerId"] is String
            else { return .failure(.presenceWithoutPeerID) }
            return .success(.presence)
        }
    }

    private static func bigEndian(_ bytes: [UInt8], at offset: Int) -> UInt32 {
        bytes[offset..<offset + 4].reduce(0) { $0 << 8 | UInt32($1) }
    }
}

extension SDSFrame {
    /// A VALUE frame carrying `value` under `hash`.
    package static func valueBytes(hash: [UInt8], value: some Sequence<UInt8>) -> [UInt8] {
        var frame: [UInt8] = [Kind.value.rawValue]
        frame += hash
        frame += value
        return frame
    }

    /// VALUE_CHUNK frames carrying `value` under `hash` in pieces of `chunkSize`, in order, each
    /// made when it is reached (a large value is not copied whole a second time).
    package static func chunkBytes(hash: [UInt8], value: [UInt8], chunkSize: Int) -> some Sequence<[UInt8]> {
        let total = (value.count + chunkSize - 1) / chunkSize
        return (0..<total).lazy.map { index in
            var frame: [UInt8] = [Kind.valueChunk.rawValue]
            frame.reserveCapacity(chunkHeaderLength + chunkSize)
            frame += hash
            for number in [UInt32(index), UInt32(total)] {
                frame += [
                    UInt8(number >> 24), UInt8(number >> 16 & 0xff), UInt8(number >> 8 & 0xff), UInt8(number & 0xff),
                ]
            }
            frame += value[index * chunkSize..<min(value.count, (index + 1) * chunkSize)]
            return frame
        }
    }
}
