import Histogram

/// Counts and latencies of one run. Latencies in microseconds.
public struct LatencyTally: Sendable {
    public private(set) var histogram = Histogram<UInt64>(highestTrackableValue: 600_000_000)
    public private(set) var count: UInt64 = 0

    public init() {}

    public mutating func record(micros: UInt64) {
        _ = histogram.record(min(micros, 600_000_000))
        count += 1
    }

    /// The latency at `percentile` (0...100) in milliseconds, 0 when nothing was recorded.
    public func milliseconds(atPercentile percentile: Double) -> Double {
        count == 0 ? 0 : Double(histogram.valueAtPercentile(percentile)) / 1000
    }

    public var maxMilliseconds: Double { count == 0 ? 0 : Double(histogram.maxRecorded) / 1000 }

    public var summary: LatencySummary {
        LatencySummary(
            p50: milliseconds(atPercentile: 50), p90: milliseconds(atPercentile: 90),
            p99: milliseconds(atPercentile: 99), p999: milliseconds(atPercentile: 99.9), max: maxMilliseconds)
    }
}

/// Latency percentiles in milliseconds.
public struct LatencySummary: Codable, Sendable, Equatable {
    public var p50: Double
    public var p90: Double
    public var p99: Double
    public var p999: Double
    public var max: Double
}

/// Expected against delivered, for loss.
public struct DeliveryCount: Codable, Sendable, Equatable {
    public var expected: UInt64
    public var delivered: UInt64

    /// Deliveries missing; deliveries beyond the expected count (duplicates) are not loss.
    public var lost: UInt64 { expected > delivered ? expected - delivered : 0 }
    public var duplicated: UInt64 { delivered > expected ? delivered - expected : 0 }
}
