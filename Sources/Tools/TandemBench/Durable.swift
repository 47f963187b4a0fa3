package import NIOCore

/// Senders that each keep a window of messages with ids in flight and send the next one as each
/// acknowledgement arrives (Hone protocol): acknowledged messages per second and ack latency.
package struct DurableOptions: Sendable, Equatable {
    package var senders = 4
    package var window = 64
    package var payloadBytes = 64
    package var warmupSeconds = 1.0
    package var seconds = 10.0

    package init() {}
}

extension Bench {
    package static func durable(
        _ target: BenchTarget, _ options: DurableOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> BenchReport {
        guard case .hone = target else { throw BenchError.protocolError("the durable scenario needs a Hone target") }
        let group = LoadGroup(target: target, loop: loop)
        let room = "durable-\(Stamps.now())"
        try await group.connect(
            (0..<options.senders).map { (room: "\(room)-\($0)", name: "sender-\($0)") }, timeout: .seconds(30)
        ).get()
        let run = AckedSending(group: group, window: options.window, payloadBytes: options.payloadBytes)
        try await group.onLoop { run.serverPID = serverPID }
        let warmup = UInt64(options.warmupSeconds * 1_000_000)
        let total = UInt64((options.warmupSeconds + options.seconds) * 1_000_000)
        try await run.start(measuredAfter: warmup, stopAfter: total).get()
        try await loop.scheduleTask(in: .microseconds(Int64(total))) {}.futureResult.get()
        // The sample taken when measuring began (after the warm-up) is read at the end, once it exists.
        let (acked, tally, errors, before) = try await group.onLoop {
            () -> (UInt64, LatencyTally, UInt64, ProcessSample?) in
            run.stop()
            return (run.measuredAcks, group.tally, group.errors, run.before)
        }
        let after = serverPID.flatMap(ProcessSample.read)
        try await group.closeAll().get()
        var report = BenchReport(
            scenario: "durable", target: target.name,
            parameters: [
                "senders": "\(options.senders)", "window": "\(options.window)", "payload": "\(options.payloadBytes)",
                "seconds": "\(options.seconds)",
            ],
            durationSeconds: options.seconds, offeredPerSecond: Double(acked) / options.seconds,
            deliveredPerSecond: Double(acked) / options.seconds,
            delivery: DeliveryCount(expected: acked, delivered: acked), latency: tally.summary, errors: errors,
            server: before.flatMap { before in after.map { ServerUsage(before: before, after: $0, delivered: acked) } })
        report.figures["acked_per_second"] = Double(acked) / options.seconds
        return report
    }
}

/// Keeps `window` messages with ids in flight per connection of a group; lives on its loop.
final class AckedSending: @unchecked Sendable {
    let group: LoadGroup
    let window: Int
    let payloadBytes: Int
    private var start: UInt64 = 0
    private var measuredAfter: UInt64 = 0
    private var stopAfter: UInt64 = .max
    private var stopped = false
    private(set) var measuredAcks: UInt64 = 0
    private(set) var acks: UInt64 = 0
    private(set) var before: ProcessSample?
    var serverPID: Int32?
    /// Called after each acknowledgement.
    var onAck: ((Int) -> Void)?

    init(group: LoadGroup, window: Int, payloadBytes: Int) {
        self.group = group
        self.window = window
        self.payloadBytes = payloadBytes
    }

    func start(measuredAfter: UInt64, stopAfter: UInt64) -> EventLoopFuture<Void> {
        group.loop.submit {
            self.start = Stamps.now()
            self.measuredAfter = measuredAfter
            self.stopAfter = stopAfter
            self.group.onMessage = { bytes, index in self.received(bytes, from: index) }
            for index in self.group.members.indices {
                for _ in 0..<self.window { self.sendNext(index) }
            }
        }
    }

    func stop() { stopped = true }

    private func sendNext(_ index: Int) {
        let now = Stamps.now()
        guard !stopped, now - start < stopAfter else { return }
        let measured = now - start >= measuredAfter
        if measured && before == nil { before = serverPID.flatMap(ProcessSample.read) }
        let stamp = (measured ? "t=" : "w=") + "\(now);\(group.members[index].sent)"
        group.publish(index, payload: Stamps.payload(micros: now, measured: false, size: payloadBytes), id: stamp)
    }

    private func received(_ bytes: ByteBuffer, from index: Int) {
        let view = bytes.readableBytesView
        if bytes.contains(Needles.ack) {
            let now = Stamps.now()
            acks += 1
            Stamps.scan(view) { sent in
                self.measuredAcks += 1
                self.group.tally.record(micros: now >= sent ? now - sent : 0)
            }
            onAck?(index)
            sendNext(index)
        } else if bytes.contains(Needles.error) {
            group.errors += 1
            sendNext(index)
        }
    }
}
