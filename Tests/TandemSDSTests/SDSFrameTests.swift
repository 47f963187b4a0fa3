import Testing

@testable import TandemSDS

@Suite("SDS frames")
struct SDSFrameTests {
    let hash = [UInt8](repeating: 7, count: 32)

    @Test("every frame type parses with its header fields")
    func parsesEveryType() {
        #expect(SDSFrame.parse([0x01, 9, 9]) == .success(.patch))
        #expect(SDSFrame.parse([0x02] + hash + [1, 2]) == .success(.value(hash: hash)))
        #expect(SDSFrame.parse([0x03] + hash) == .success(.requestValue(hash: hash)))
        #expect(SDSFrame.parse([0x04] + Array(#"{"PeerId":"p1"}"#.utf8)) == .success(.presence))
        #expect(
            SDSFrame.parse([0x05] + hash + [0, 0, 0, 1, 0, 0, 0, 2] + [5])
                == .success(.valueChunk(hash: hash, index: 1, total: 2)))
        #expect(SDSFrame.parse([0x06]) == .success(.syncRequest))
    }

    @Test("empty, unknown and truncated frames are refused with the reason")
    func refusesBadFrames() {
        #expect(SDSFrame.parse([]) == .failure(.empty))
        #expect(SDSFrame.parse([0x07, 1]) == .failure(.unknownType(7)))
        #expect(SDSFrame.parse([0x02] + hash.prefix(31)) == .failure(.truncated(.value, minimum: 33)))
        #expect(SDSFrame.parse([0x03]) == .failure(.truncated(.requestValue, minimum: 2)))
        #expect(SDSFrame.parse([0x05] + hash + [0, 0, 0]) == .failure(.truncated(.valueChunk, minimum: 41)))
        #expect(
            SDSFrame.parse([0x05] + hash + [0, 0, 0, 2, 0, 0, 0, 2]) == .failure(.badChunkHeader(index: 2, total: 2)))
        #expect(
            SDSFrame.parse([0x05] + hash + [0, 0, 0, 0, 0, 0, 0, 0]) == .failure(.badChunkHeader(index: 0, total: 0)))
    }

    @Test("a REQ_VALUE hash shorter than 32 bytes is padded with zeros; a longer one is cut to 32")
    func requestValueHashLengths() {
        let label = Array("fnv1a-1234".utf8)
        #expect(
            SDSFrame.parse([0x03] + label)
                == .success(.requestValue(hash: label + [UInt8](repeating: 0, count: 32 - label.count))))
        #expect(SDSFrame.parse([0x03] + hash + [1, 2]) == .success(.requestValue(hash: hash)))
    }

    @Test("a value is cut into chunks of the given size, each naming its index and the count")
    func chunking() {
        let value = Array(0..<10) as [UInt8]
        let chunks = Array(SDSFrame.chunkBytes(hash: hash, value: value, chunkSize: 4))
        #expect(chunks.count == 3)
        for (index, chunk) in chunks.enumerated() {
            #expect(SDSFrame.parse(chunk) == .success(.valueChunk(hash: hash, index: UInt32(index), total: 3)))
        }
        #expect(chunks.flatMap { $0[SDSFrame.chunkHeaderLength...] } == value)
    }

    @Test("presence must be a JSON object naming a string PeerId")
    func presenceNeedsPeerID() {
        #expect(SDSFrame.parse([0x04] + Array(#"{"UserName":"a"}"#.utf8)) == .failure(.presenceWithoutPeerID))
        #expect(SDSFrame.parse([0x04] + Array(#"{"PeerId":5}"#.utf8)) == .failure(.presenceWithoutPeerID))
        #expect(SDSFrame.parse([0x04] + Array("not json".utf8)) == .failure(.presenceWithoutPeerID))
    }

    @Test("write frames are PATCH, VALUE and VALUE_CHUNK only")
    func writeKinds() {
        let writes = [SDSFrame.Kind.patch, .value, .requestValue, .presence, .valueChunk, .syncRequest].filter(\.writes)
        #expect(writes == [.patch, .value, .valueChunk])
    }
}
