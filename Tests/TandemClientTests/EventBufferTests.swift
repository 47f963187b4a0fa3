import Foundation
import Testing

@testable import TandemClient

@Suite("Client SDK: the bounded events buffer")
struct EventBufferTests {
    private func peer(_ number: Int) -> RelayEvent { .peerJoined(device: "d\(number)") }

    private func number(_ event: RelayEvent?) -> Int? {
        guard case .peerJoined(let device) = event else { return nil }
        return Int(device.dropFirst())
    }

    @Test("a producer waits while the buffer is full; the reader gets everything in order")
    func backpressure() async throws {
        let buffer = EventBuffer(limit: 4)
        let stream = RelayEventStream(buffer: buffer)
        let producer = Task {
            for index in 1...100 { #expect(await buffer.put(peer(index))) }
            buffer.close(with: .stopped(nil))
        }
        try await Task.sleep(for: .milliseconds(50))
        // Nobody has read yet: the producer is stuck after filling the buffer.
        #expect(buffer.count == 4)
        var received: [Int] = []
        for await event in stream {
            if let number = number(event) { received.append(number) }
            if received.count % 10 == 0 { try await Task.sleep(for: .milliseconds(1)) }
            // The closing event may go over the limit by one.
            #expect(buffer.count <= 4 + 1)
        }
        await producer.value
        #expect(received == Array(1...100))
        #expect(buffer.peak <= 4)
    }

    @Test("closing hands over what is buffered, then the last event, then the end; waiting producers give up")
    func close() async {
        let buffer = EventBuffer(limit: 2)
        #expect(await buffer.put(peer(1)))
        #expect(await buffer.put(peer(2)))
        let blocked = Task { await buffer.put(peer(3)) }
        while buffer.count < 2 { await Task.yield() }
        try? await Task.sleep(for: .milliseconds(20))
        buffer.close(with: .stopped(nil))
        #expect(await blocked.value == false)
        #expect(await buffer.put(peer(4)) == false)
        var iterator = RelayEventStream(buffer: buffer).makeAsyncIterator()
        #expect(number(await iterator.next()) == 1)
        #expect(number(await iterator.next()) == 2)
        if case .stopped(nil) = await iterator.next() {} else { Issue.record("expected .stopped last") }
        #expect(await iterator.next() == nil)
    }

    @Test("a reader that goes away releases a waiting producer; later events are refused")
    func readerGoesAway() async {
        let buffer = EventBuffer(limit: 1)
        let stream = RelayEventStream(buffer: buffer)
        #expect(await buffer.put(peer(1)))
        let blocked = Task { await buffer.put(peer(2)) }
        try? await Task.sleep(for: .milliseconds(20))
        do {
            var iterator = stream.makeAsyncIterator()
            #expect(number(await iterator.next()) == 1)
        }
        // The iterator is gone: the buffer is terminated whether or not peer 2 got in first.
        _ = await blocked.value
        #expect(await buffer.put(peer(3)) == false)
        #expect(buffer.count == 0)
    }

    @Test("cancelling the reading task ends the stream")
    func cancellation() async {
        let buffer = EventBuffer(limit: 8)
        let stream = RelayEventStream(buffer: buffer)
        let reader = Task {
            var count = 0
            for await _ in stream { count += 1 }
            return count
        }
        try? await Task.sleep(for: .milliseconds(20))
        reader.cancel()
        #expect(await reader.value == 0)
        #expect(await buffer.put(peer(1)) == false)
    }
}
