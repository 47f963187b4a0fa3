package import NIOCore

/// Raises the offered fan-out load step by step until p99 passes a bound or anything is lost.
package struct RampOptions: Sendable, Equatable {
    package var fanout = FanoutOptions()
    /// Each step multiplies the per-member rate by this.
    package var factor = 1.5
    package var maxSteps = 12
    /// A step is clean when its p99 stays at or under this and nothing is lost.
    package var p99BoundMilliseconds = 50.0

    package init() {
        fanout.warmupSeconds = 1
        fanout.seconds = 4
    }
}

extension Bench {
    /// Returns every step's report; the last has `highest_clean_delivered_per_second`.
    package static func ramp(
        _ target: BenchTarget, _ options: RampOptions, serverPID: Int32?, on loop: any EventLoop,
        progress: (BenchReport) -> Void = { _ in }
    ) async throws -> [BenchReport] {
        var reports: [BenchReport] = []
        var step = options.fanout
        var best = 0.0
        for _ in 0..<options.maxSteps {
            var report = try await fanout(target, step, serverPID: serverPID, on: loop)
            let clean =
                report.delivery.lost == 0 && report.errors == 0
                && report.latency.p99 <= options.p99BoundMilliseconds
            report.figures["clean"] = clean ? 1 : 0
            progress(report)
            reports.append(report)
            guard clean else { break }
            best = max(best, report.deliveredPerSecond)
            step.ratePerMember *= options.factor
        }
        if !reports.isEmpty { reports[reports.count - 1].figures["highest_clean_delivered_per_second"] = best }
        return reports
    }
}
