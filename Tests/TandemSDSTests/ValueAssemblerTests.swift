import Testing

@testable import TandemSDS

@Suite("Value reassembly")
struct ValueAssemblerTests {
    let hash = [UInt8](repeating: 1, count: 32)

    func chunk(_ index: UInt32, of total: UInt32, _ bytes: [UInt8], hash: [UInt8]? = nil) -> [UInt8] {
        [0x05] + (hash ?? self.hash) + bigEndian(index) + bigEndian(total) + bytes
    }

    func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
    }

    @Test("chunks in any order make the value in index order")
    func reassemblesOutOfOrder() {
        var assembler = ValueAssembler(maxValueBytes: 100)
        #expect(assembler.add(chunk(2, of: 3, [5, 6]), hash: hash, index: 2, total: 3) == .incomplete)
        #expect(assembler.add(chunk(0, of: 3, [1, 2]), hash: hash, index: 0, total: 3) == .incomplete)
        #expect(assembler.heldBytes == 4)
        #expect(
            assembler.add(chunk(1, of: 3, [3, 4]), hash: hash, index: 1, total: 3)
                == .complete(.init(hash: hash, bytes: [1, 2, 3, 4, 5, 6])))
        #expect(assembler.heldBytes == 0)
    }

    @Test("a repeated chunk replaces the earlier piece")
    func repeatedChunk() {
        var assembler = ValueAssembler(maxValueBytes: 100)
        _ = assembler.add(chunk(0, of: 2, [9, 9, 9]), hash: hash, index: 0, total: 2)
        _ = assembler.add(chunk(0, of: 2, [1]), hash: hash, index: 0, total: 2)
        #expect(assembler.heldBytes == 1)
        #expect(
            assembler.add(chunk(1, of: 2, [2]), hash: hash, index: 1, total: 2)
                == .complete(.init(hash: hash, bytes: [1, 2])))
    }

    @Test("a value over the cap, or with changing totals, is abandoned for good")
    func abandons() {
        var assembler = ValueAssembler(maxValueBytes: 3)
        _ = assembler.add(chunk(0, of: 2, [1, 2]), hash: hash, index: 0, total: 2)
        #expect(assembler.add(chunk(1, of: 2, [3, 4]), hash: hash, index: 1, total: 2) == .abandoned)
        #expect(assembler.add(chunk(0, of: 2, [1]), hash: hash, index: 0, total: 2) == .abandoned)
        #expect(assembler.heldBytes == 0)

        let other = [UInt8](repeating: 2, count: 32)
        _ = assembler.add(chunk(0, of: 2, [1], hash: other), hash: other, index: 0, total: 2)
        #expect(assembler.add(chunk(1, of: 3, [1], hash: other), hash: other, index: 1, total: 3) == .abandoned)
    }

    @Test("at most maxOpenValues sequences are held; the oldest gives way")
    func boundedOpenValues() {
        var assembler = ValueAssembler(maxValueBytes: 100, maxOpenValues: 2)
        let hashes = (1...3).map { [UInt8](repeating: $0, count: 32) }
        for hash in hashes { _ = assembler.add(chunk(0, of: 2, [7], hash: hash), hash: hash, index: 0, total: 2) }
        #expect(assembler.heldBytes == 2)
        // The first sequence was dropped: its second chunk starts it again instead of finishing it.
        #expect(
            assembler.add(chunk(1, of: 2, [8], hash: hashes[0]), hash: hashes[0], index: 1, total: 2) == .incomplete)
        #expect(
            assembler.add(chunk(1, of: 2, [8], hash: hashes[2]), hash: hashes[2], index: 1, total: 2)
                == .complete(.init(hash: hashes[2], bytes: [7, 8])))
    }
}
