package import NIOCore

/// Many joined connections held open: the server's memory per connection.
package struct IdleOptions: Sendable, Equatable {
    package var connections = 10_000
    package var membersPerRoom = 10
    package var holdSeconds = 2.0

    package init() {}
}

extension Bench {
    package static func idle(
        _ target: BenchTarget, _ options: IdleOptions, serverPID: Int32?, on loop: any EventLoop
    ) async throws -> BenchReport {
        let group = LoadGroup(target: target, loop: loop)
        let before = serverPID.flatMap(ProcessSample.read)
        let members = (0..<options.connections).map {
            (room: "idle-\($0 / options.membersPerRoom)", name: "idle-\($0)")
        }
        let started = Stamps.now()
        try await group.connect(members, timeout: .seconds(300)).get()
        let connectSeconds = Double(Stamps.now() - started) / 1_000_000
        try await loop.scheduleTask(in: .milliseconds(Int64(options.holdSeconds * 1000))) {}.futureResult.get()
        let after = serverPID.flatMap(ProcessSample.read)
        try await group.closeAll().get()
        var report = BenchReport(
            scenario: "idle", target: target.name,
            parameters: ["connections": "\(options.connections)", "members": "\(options.membersPerRoom)"],
            durationSeconds: connectSeconds, offeredPerSecond: 0, deliveredPerSecond: 0,
            delivery: DeliveryCount(expected: 0, delivered: 0), latency: LatencyTally().summary, errors: 0,
            server: before.flatMap { before in after.map { ServerUsage(before: before, after: $0, delivered: 0) } })
        report.figures["connections_per_second"] = Double(options.connections) / max(connectSeconds, 0.001)
        if let before, let after {
            let grown = after.residentBytes > before.residentBytes ? after.residentBytes - before.residentBytes : 0
            report.figures["server_kib_per_connection"] = Double(grown) / 1024 / Double(max(options.connections, 1))
        }
        return report
    }
}
