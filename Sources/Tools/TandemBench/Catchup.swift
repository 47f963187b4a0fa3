package import NIOCore
import NIOPosix

/// One client rejoining with lastSeq=0 on a room holding many messages: replayed messages per second.
/// With `liveRooms` above 0, a fan-out in other rooms runs once alone and once while the replay
/// happens, so the replay's effect on live delivery shows as the ratio of the two p99s.
package struct CatchupOptions: Sendable, Equatable {
    package var messages = 100_000
    package var payloadBytes = 64
    /// Rooms of the live fan-out beside the replay (0: none).
    package var liveRooms = 0
    package var liveMembers = 10
    package var liveRatePerMember = 10.0

    package init() {}

    var live: FanoutOptions {
        var live = FanoutOptions()
        live.rooms = liveRooms
        live.members = liveMembers
        live.ratePerMember = liveRatePerMember
        live.payloadBytes = payloadBytes
        live.warmupSeconds = 1
        live.seconds = 4
        return live
    }
}

extension Bench {
    package static func catchup(
        _ target: BenchTarget, _ options: CatchupOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> BenchReport {
        guard case .hone = target else { throw BenchError.protocolError("the catchup scenario needs a Hone target") }
        let room = "catchup-\(Stamps.now())"
        try await fill(room: room, target, options, on: loop)

        var liveAlone: BenchReport?
        var liveDuring: BenchReport?
        let replay: (seconds: Double, before: ProcessSample?, after: ProcessSample?)
        if options.liveRooms > 0 {
            liveAlone = try await fanout(target, options.live, serverPID: nil, on: loop)
            // The replay starts about a second into the live run's measured seconds (after its connects
            // and warm-up), on its own loop.
            let replayLoop = MultiThreadedEventLoopGroup.singleton.next()
            async let during = fanout(target, options.live, serverPID: nil, on: loop)
            try await replayLoop.scheduleTask(in: .seconds(3)) {}.futureResult.get()
            replay = try await replayRoom(room, target, options, serverPID: serverPID, on: replayLoop)
            liveDuring = try await during
        } else {
            replay = try await replayRoom(room, target, options, serverPID: serverPID, on: loop)
        }

        let count = UInt64(options.messages)
        var parameters = ["messages": "\(options.messages)", "payload": "\(options.payloadBytes)"]
        if options.liveRooms > 0 {
            parameters["live"] =
                "\(options.liveRooms) rooms x \(options.liveMembers) members at \(options.liveRatePerMember)/s"
        }
        var report = BenchReport(
            scenario: "catchup", target: target.name, parameters: parameters,
            durationSeconds: replay.seconds, offeredPerSecond: Double(count) / replay.seconds,
            deliveredPerSecond: Double(count) / replay.seconds,
            delivery: DeliveryCount(expected: count, delivered: count),
            latency: liveDuring?.latency ?? LatencyTally().summary, errors: liveDuring?.errors ?? 0,
            server: replay.before.flatMap { before in
                replay.after.map { ServerUsage(before: before, after: $0, delivered: count) }
            })
        report.figures["replayed_per_second"] = Double(count) / replay.seconds
        if let liveAlone, let liveDuring {
            report.figures["live_p99_alone_ms"] = liveAlone.latency.p99
            report.figures["live_p99_during_replay_ms"] = liveDuring.latency.p99
            report.figures["live_p99_ratio"] =
                liveAlone.latency.p99 > 0 ? liveDuring.latency.p99 / liveAlone.latency.p99 : 0
            report.figures["live_lost_during_replay"] = Double(liveDuring.delivery.lost)
        }
        return report
    }

    /// Fills `room` with acknowledged messages: one writer with a window of 256 in flight.
    private static func fill(room: String, _ target: BenchTarget, _ options: CatchupOptions, on loop: any EventLoop)
        async throws
    {
        let writer = LoadGroup(target: target, loop: loop)
        try await writer.connect([(room: room, name: "writer")], timeout: .seconds(30)).get()
        let filled = loop.makePromise(of: Void.self)
        let filling = AckedSending(group: writer, window: 256, payloadBytes: options.payloadBytes)
        try await loop.submit {
            filling.onAck = { _ in
                if filling.acks >= UInt64(options.messages) {
                    filling.stop()
                    filled.succeed()
                }
            }
        }.get()
        try await filling.start(measuredAfter: .max, stopAfter: .max).get()
        try await filled.futureResult.get()
        try await writer.closeAll().get()
    }

    /// Joins `room` with lastSeq 0 and waits for every stored message.
    private static func replayRoom(
        _ room: String, _ target: BenchTarget, _ options: CatchupOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> (seconds: Double, before: ProcessSample?, after: ProcessSample?) {
        let reader = LoadGroup(target: target, loop: loop)
        let before = serverPID.flatMap(ProcessSample.read)
        let done = loop.makePromise(of: UInt64.self)
        let started = Stamps.now()
        try await loop.submit {
            reader.onMessage = { bytes, _ in
                Stamps.scan(bytes.readableBytesView, measured: { _ in }, warmup: { _ in reader.warmupDeliveries += 1 })
                if reader.warmupDeliveries >= UInt64(options.messages) { done.succeed(Stamps.now()) }
            }
        }.get()
        try await reader.connect([(room: room, name: "reader")], lastSeq: 0, timeout: .seconds(60)).get()
        let timeout = loop.scheduleTask(in: .seconds(120)) { done.fail(BenchError.timeout("replay incomplete")) }
        let finished = try await done.futureResult.get()
        timeout.cancel()
        let after = serverPID.flatMap(ProcessSample.read)
        try await reader.closeAll().get()
        return (Double(finished - started) / 1_000_000, before, after)
    }
}
