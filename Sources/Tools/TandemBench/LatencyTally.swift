package import Histogram

/// Counts and latencies of one run. Latencies in microseconds.
package struct LatencyTally: Sendable {
    package private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000)
    package private(set) var count: UInt64 = 0

    package init() {}

    package mutating func record(micros: UInt64) {
        _ = histogram.record(min(micros, 600_000_000))
        count += 1
    }

    /// The latency at `percentile` (0...100) in milliseconds, 0 when nothing was recorded.
    package func milliseconds(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    package var maxMilliseconds: Double { count == 0 ? 0 : Double(histogram.maxRecorded) / 1000 }

    package var summary: LatencySummary {
        LatencySummary(
            p50: milliseconds(atPercentile: 50), p90: milliseconds(atPercentile: 90),
            p99: milliseconds(atPercentile: 99), p999: milliseconds(atPercentile: 99.9), max: maxMilliseconds)
    }
}

/// Latency percentiles in milliseconds.
package struct LatencySummary: Codable, Sendable, Equatable {
    package var p50: Double
    package var p90: Double
    package var p99: Double
    package var p999: Double
    package var max: Double
}

/// Expected against delivered, for loss.
package struct DeliveryCount: Codable, Sendable, Equatable {
    package var expected: UInt64
    package var delivered: UInt64

    /// Deliveries missing; deliveries beyond the expected count (duplicates) are not loss.
    package var lost: UInt64 { expected > delivered ? expected - delivered : 0 }
    package var duplicated: UInt64 { delivered > expected ? delivered - expected : 0 }
}
