import Foundation

/// One scenario's results, as a table row set and as JSON.
package struct BenchReport: Codable, Sendable, Equatable {
    package var scenario: String
    package var target: String
    /// The scenario's parameters, as given.
    package var parameters: [String: String]
    package var durationSeconds: Double
    package var offeredPerSecond: Double
    package var deliveredPerSecond: Double
    package var delivery: DeliveryCount
    package var latency: LatencySummary
    package var errors: UInt64
    package var server: ServerUsage?
    /// Scenario-specific figures (acked/s, replayed/s, highest clean rate, ...).
    package var figures: [String: Double] = [:]

    /// The report as aligned `name  value` lines.
    package func table() -> String {
        var rows: [(String, String)] = [
            ("scenario", "\(scenario) (\(target))"),
            (
                "parameters",
                parameters.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: " ")
            ),
            ("duration", String(format: "%.1f s", durationSeconds)),
            ("offered", String(format: "%.0f msg/s", offeredPerSecond)),
            ("delivered", String(format: "%.0f msg/s", deliveredPerSecond)),
            ("loss", "\(delivery.lost) of \(delivery.expected) expected (\(delivery.delivered) delivered)"),
            (
                "latency ms",
                String(
                    format: "p50 %.3f  p90 %.3f  p99 %.3f  p99.9 %.3f  max %.3f", latency.p50, latency.p90, latency.p99,
                    latency.p999, latency.max)
            ),
            ("errors", "\(errors)"),
        ]
        for (name, value) in figures.sorted(by: { $0.key < $1.key }) {
            rows.append((name, String(format: "%.2f", value)))
        }
        if let server {
            rows.append(
                ("server cpu", String(format: "%.2f s per million delivered", server.cpuSecondsPerMillionDelivered)))
            rows.append(("server peak rss", String(format: "%.1f MiB", server.peakResidentMiB)))
        }
        let width = rows.map(\.0.count).max() ?? 0
        return rows.map { $0.0.padding(toLength: width, withPad: " ", startingAt: 0) + "  " + $0.1 }
            .joined(separator: "\n")
    }

    /// The report as one line of JSON with sorted keys.
    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return (try? encoder.encode(self)).map { String(decoding: $0, as: UTF8.self) } ?? "{}"
    }
}

/// What the server under test spent, from /proc samples before and after the measured phase.
package struct ServerUsage: Codable, Sendable, Equatable {
    package var cpuSecondsPerMillionDelivered: Double
    package var peakResidentMiB: Double

    package init(before: ProcessSample, after: ProcessSample, delivered: UInt64) {
        let cpu = max(0, after.cpuSeconds - before.cpuSeconds)
        cpuSecondsPerMillionDelivered = delivered == 0 ? 0 : cpu / Double(delivered) * 1_000_000
        peakResidentMiB = Double(after.peakResidentBytes) / Double(1 << 20)
    }
}
