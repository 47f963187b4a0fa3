import Synchronization
import Testing

@testable import TandemConnection

@Suite("Rate limits and outbound queues")
struct LimitTests {
    @Test("a token bucket allows the burst, then the rate")
    func tokenBucket() {
        var bucket = TokenBucket(ratePerSecond: 10, capacity: 3, now: 0)
        var take = false
        for _ in 0..<3 {
            take = bucket.take(now: 0)
            #expect(take)
        }
        take = bucket.take(now: 0)
        #expect(!take)
        take = bucket.take(now: 50)
        #expect(!take)
        take = bucket.take(now: 100)
        #expect(take)
        take = bucket.take(now: 100)
        #expect(!take)
        for _ in 0..<3 {
            take = bucket.take(now: 10_000)
            #expect(take)
        }
        take = bucket.take(now: 10_000)
        #expect(!take)
    }

    @Test("a bucket's delay is 0 when it takes a token, else the milliseconds until the next one")
    func tokenBucketDelay() {
        var bucket = TokenBucket(ratePerSecond: 10, capacity: 2, now: 0)
        #expect(bucket.delay(now: 0) == 0)
        #expect(bucket.delay(now: 0) == 0)
        #expect(bucket.delay(now: 0) == 100)
        #expect(bucket.delay(now: 40) == 60)
        #expect(bucket.delay(now: 100) == 0)
        #expect(bucket.delay(now: 100) == 100)
    }

    @Test("drained(below:) waits until the writer took enough, and returns at once on a closed queue")
    func drainedBelow() async {
        let queue = OutboundQueue(maxBytes: 1000)
        queue.send(.text("0123456789"))
        queue.send(.text("0123456789"))
        let waiter = Task { await queue.drained(below: 10) }
        try? await Task.sleep(for: .milliseconds(20))
        _ = queue.takeReady(maxBytes: 1)
        await waiter.value
        #expect(queue.queuedBytes == 10)
        queue.send(.text("0123456789"))
        let closing = Task { await queue.drained(below: 0) }
        queue.close(CloseReason(code: 4000, reason: "done"))
        await closing.value
    }

    @Test("an outbound queue past its byte bound closes itself as a slow consumer")
    func slowConsumer() async {
        let queue = OutboundQueue(maxBytes: 10)
        queue.send(.text("12345"))
        queue.send(.text("12345"))
        #expect(!queue.isClosed)
        queue.send(.text("x"))
        #expect(queue.isClosed)
        var items: [OutboundQueue.Item] = []
        for await item in queue { items.append(item) }
        #expect(items == [.close(.slowConsumer)])
    }

    @Test("items come out in order and close ends the sequence after what was queued")
    func ordering() async {
        let queue = OutboundQueue(maxBytes: 1000)
        let reader = Task {
            var items: [OutboundQueue.Item] = []
            for await item in queue { items.append(item) }
            return items
        }
        queue.send(.text("a"))
        queue.send(.text("b"))
        queue.close(CloseReason(code: 4000, reason: "done"))
        queue.send(.text("ignored"))
        #expect(
            await reader.value == [
                .frame(.text("a")), .frame(.text("b")), .close(CloseReason(code: 4000, reason: "done")),
            ])
    }

    @Test("a transport's ready handler fires once per wait, and takeReady hands out what is queued in order")
    func readyHandler() {
        let queue = OutboundQueue(maxBytes: 1000)
        let wakes = Mutex(0)
        #expect(queue.takeReady(maxBytes: 100) == [])
        queue.whenReady { wakes.withLock { $0 += 1 } }
        #expect(wakes.withLock { $0 } == 0)
        queue.send(.text("a"))
        queue.send(.text("b"))
        #expect(wakes.withLock { $0 } == 1)
        #expect(queue.takeReady(maxBytes: 100) == [.frame(.text("a")), .frame(.text("b"))])
        // Items already waiting: the handler runs at once.
        queue.send(.text("c"))
        queue.whenReady { wakes.withLock { $0 += 1 } }
        #expect(wakes.withLock { $0 } == 2)
        queue.close(CloseReason(code: 4000, reason: "done"))
        #expect(
            queue.takeReady(maxBytes: 100) == [.frame(.text("c")), .close(CloseReason(code: 4000, reason: "done"))])
    }

    @Test("takeReady stops at its byte bound but always takes one item; finishing wakes the transport and ends it")
    func takeReadyBoundsAndFinish() {
        let queue = OutboundQueue(maxBytes: 1000)
        queue.send(.text("123456"))
        queue.send(.text("12"))
        queue.send(.text("3"))
        #expect(queue.takeReady(maxBytes: 4) == [.frame(.text("123456"))])
        #expect(queue.takeReady(maxBytes: 4) == [.frame(.text("12")), .frame(.text("3"))])
        let woken = Mutex(false)
        queue.whenReady { woken.withLock { $0 = true } }
        queue.finish()
        #expect(woken.withLock { $0 })
        #expect(queue.takeReady(maxBytes: 4) == nil)
    }
}
