import NIOCore

/// One client rejoining with lastSeq=0 on a room holding many messages: replayed messages per second.
public struct CatchupOptions: Sendable, Equatable {
    public var messages = 100_000
    public var payloadBytes = 64

    public init() {}
}

extension Bench {
    public static func catchup(
        _ target: BenchTarget, _ options: CatchupOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> BenchReport {
        guard case .hone = target else { throw BenchError.protocolError("the catchup scenario needs a Hone target") }
        let room = "catchup-\(Stamps.now())"
        // Fill the room: one writer with a window of acknowledged messages.
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
        let seconds = Double(finished - started) / 1_000_000
        let count = UInt64(options.messages)
        var report = BenchReport(
            scenario: "catchup", target: target.name,
            parameters: ["messages": "\(options.messages)", "payload": "\(options.payloadBytes)"],
            durationSeconds: seconds, offeredPerSecond: Double(count) / seconds,
            deliveredPerSecond: Double(count) / seconds, delivery: DeliveryCount(expected: count, delivered: count),
            latency: LatencyTally().summary, errors: 0,
            server: before.flatMap { before in after.map { ServerUsage(before: before, after: $0, delivered: count) } })
        report.figures["replayed_per_second"] = Double(count) / seconds
        return report
    }
}
