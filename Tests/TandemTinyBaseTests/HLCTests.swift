import Testing

@testable import TandemTinyBase

@Suite struct HLCTests {
    @Test func fnv1aVectors() {
        #expect(FNV1a.hash("") == 0x811C_9DC5)
        #expect(FNV1a.hash("a") == 0xE40C_292C)
        #expect(FNV1a.hash("foobar") == 0xBF9C_F968)
    }

    @Test func clientIDFromUniqueID() {
        #expect(HLC.clientID(uniqueID: "server-uid") == "xXm-p")
    }

    @Test func encodeAndDecode() throws {
        #expect(HLC.encode(time: 1_795_616_167_331, counter: 0, clientID: "xXm-p") == "P7I34LY----xXm-p")
        #expect(HLC.encode(time: 0, counter: 0, clientID: "xXm-p") == "-----------xXm-p")
        #expect(HLC.encode(time: 0, counter: 1, clientID: "xXm-p") == "----------0xXm-p")
        let decoded = try #require(HLC.decode("P7I34LY---2xXm-p"))
        #expect(decoded.time == 1_795_616_167_331 && decoded.counter == 3 && decoded.clientID == "xXm-p")
        #expect(HLC.decode("P7I34LY---2xXm-") == nil)
        #expect(HLC.decode("P7I34LY---2xXm-!") == nil)
    }

    @Test func nextCountsWithinAMillisecondAndFollowsTheWallClock() {
        var clock = HLCClock(uniqueID: "server-uid")
        #expect(clock.next(now: 1_795_616_167_331) == "P7I34LY----xXm-p")
        #expect(clock.next(now: 1_795_616_167_331) == "P7I34LY---0xXm-p")
        #expect(clock.next(now: 1_795_616_167_330) == "P7I34LY---1xXm-p")
        #expect(clock.next(now: 1_795_616_168_331) == "P7I34aA----xXm-p")
    }

    @Test func seenMovesPastRemoteStampsButNotFarFutureOnes() throws {
        var clock = HLCClock(uniqueID: "server-uid")
        let now: Int64 = 1_795_616_167_331
        let remote = HLC.encode(time: now + 1000, counter: 7, clientID: "abcde")
        clock.seen(remote, now: now)
        #expect(clock.lastTime == now + 1000 && clock.lastCounter == 7)
        let next = try #require(HLC.decode(clock.next(now: now)))
        #expect(next.time == now + 1000 && next.counter == 8)
        let farFuture = HLC.encode(time: now + HLC.maxFutureMilliseconds + 1, counter: 0, clientID: "abcde")
        clock.seen(farFuture, now: now)
        #expect(clock.lastTime == now + 1000)
        #expect(!HLC.isAcceptable(farFuture, maxTime: now + HLC.maxFutureMilliseconds))
        #expect(HLC.isAcceptable("", maxTime: 0))
    }

    @Test func counterOverflowMovesTimeOn() throws {
        var clock = HLCClock(uniqueID: "server-uid")
        clock.seen(HLC.encode(time: 10, counter: HLC.counterLimit - 1, clientID: "abcde"), now: 10)
        let next = try #require(HLC.decode(clock.next(now: 10)))
        #expect(next.time == 11 && next.counter == 0)
    }
}
