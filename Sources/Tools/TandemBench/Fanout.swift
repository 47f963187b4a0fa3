package import NIOCore

/// Rooms of members that all broadcast at a steady rate; every message should reach every other
/// member of its room.
package struct FanoutOptions: Sendable, Equatable {
    package var rooms = 50
    package var members = 10
    /// Messages per second sent by each member.
    package var ratePerMember = 10.0
    package var payloadBytes = 64
    package var warmupSeconds = 2.0
    package var seconds = 10.0
    /// Longest wait for stragglers after the last send.
    package var drainSeconds = 3.0

    package init() {}

    var offeredPerSecond: Double { ratePerMember * Double(rooms * members) }

    var parameters: [String: String] {
        [
            "rooms": "\(rooms)", "members": "\(members)", "rate": "\(ratePerMember)", "payload": "\(payloadBytes)",
            "seconds": "\(seconds)", "warmup": "\(warmupSeconds)",
        ]
    }
}

extension Bench {
    /// Runs the fan-out scenario once.
    package static func fanout(
        _ target: BenchTarget, _ options: FanoutOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> BenchReport {
        let group = LoadGroup(target: target, loop: loop)
        let members = (0..<options.rooms).flatMap { room in
            (0..<options.members).map { (room: "bench-\(room)", name: "m\(room)-\($0)") }
        }
        try await group.connect(members, timeout: .seconds(60)).get()
        let run = FanoutRun(group: group, options: options, serverPID: serverPID)
        let report = try await run.start().get()
        try await group.closeAll().get()
        return report
    }
}

/// The sending clock of one fan-out run; lives on the group's loop.
private final class FanoutRun: @unchecked Sendable {
    let group: LoadGroup
    let options: FanoutOptions
    let serverPID: Int32?
    private var measuredSent: [Int]
    private var startedAt: UInt64 = 0
    private var before: ProcessSample?
    private var measuring = false

    init(group: LoadGroup, options: FanoutOptions, serverPID: Int32?) {
        self.group = group
        self.options = options
        self.serverPID = serverPID
        self.measuredSent = Array(repeating: 0, count: group.members.count)
    }

    func start() -> EventLoopFuture<BenchReport> {
        let loop = group.loop
        return loop.flatSubmit {
            let done = loop.makePromise(of: BenchReport.self)
            self.startedAt = Stamps.now()
            let sendMicros = UInt64((self.options.warmupSeconds + self.options.seconds) * 1_000_000)
            let task = loop.scheduleRepeatedTask(initialDelay: .zero, delay: .milliseconds(1)) { task in
                let elapsed = Stamps.now() - self.startedAt
                self.send(upTo: min(elapsed, sendMicros))
                if elapsed >= sendMicros {
                    task.cancel()
                    self.drain(until: Stamps.now() + UInt64(self.options.drainSeconds * 1_000_000), done)
                }
            }
            done.futureResult.whenComplete { _ in task.cancel() }
            return done.futureResult
        }
    }

    private func send(upTo elapsed: UInt64) {
        let measured = elapsed >= UInt64(options.warmupSeconds * 1_000_000)
        if measured && !measuring {
            measuring = true
            before = serverPID.flatMap(ProcessSample.read)
        }
        let periods = options.ratePerMember * Double(elapsed) / 1_000_000
        let count = Double(group.members.count)
        for index in group.members.indices {
            // Each member is offset by its share of one period, so the members' sends are spread
            // evenly instead of all falling due in the same tick (a burst that would be measured
            // as latency).
            let due = Int(periods + Double(index) / count)
            guard group.members[index].sent < due else { continue }
            for _ in group.members[index].sent..<due {
                group.publish(
                    index, payload: Stamps.payload(micros: Stamps.now(), measured: measured, size: options.payloadBytes)
                )
                if measured { measuredSent[index] += 1 }
            }
        }
    }

    private var expected: UInt64 { UInt64(measuredSent.reduce(0, +) * (options.members - 1)) }

    private func drain(until deadline: UInt64, _ done: EventLoopPromise<BenchReport>) {
        if group.measuredDeliveries >= expected || Stamps.now() >= deadline {
            done.succeed(report())
            return
        }
        group.loop.scheduleTask(in: .milliseconds(20)) { self.drain(until: deadline, done) }
    }

    private func report() -> BenchReport {
        let after = serverPID.flatMap(ProcessSample.read)
        let delivered = group.measuredDeliveries
        return BenchReport(
            scenario: "fanout", target: group.target.name, parameters: options.parameters,
            durationSeconds: options.seconds,
            offeredPerSecond: Double(measuredSent.reduce(0, +)) / options.seconds,
            deliveredPerSecond: Double(delivered) / options.seconds,
            delivery: DeliveryCount(expected: expected, delivered: delivered), latency: group.tally.summary,
            errors: group.errors + UInt64(max(0, group.closedEarly)),
            server: before.flatMap { before in
                after.map { ServerUsage(before: before, after: $0, delivered: delivered) }
            })
    }
}

/// The benchmark scenarios.
package enum Bench {}
