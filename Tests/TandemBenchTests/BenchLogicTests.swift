import Foundation
import Testing

@testable import TandemBench

@Suite("Benchmark logic")
struct BenchLogicTests {
    @Test("stamps are found wherever they appear, measured and warm-up apart")
    func stampScanning() {
        let text =
            #"{"payload":"t=1234;xxxx","seq":5}{"payload":"w=77;x"}MSG room.a 1 9\r\nt=42;xxxx\r\n t=;x t=12 w=9;"#
        var measured: [UInt64] = []
        var warmup: [UInt64] = []
        Stamps.scan(Array(text.utf8), measured: { measured.append($0) }, warmup: { warmup.append($0) })
        #expect(measured == [1234, 42])
        #expect(warmup == [77, 9])
    }

    @Test("payloads carry their stamp and are padded to the requested size")
    func payloads() {
        let payload = Stamps.payload(micros: 99, measured: true, size: 64)
        #expect(payload.count == 64 && payload.hasPrefix("t=99;"))
        #expect(Stamps.payload(micros: 123_456, measured: false, size: 4) == "w=123456;")
        var found: [UInt64] = []
        Stamps.scan(Array(payload.utf8), measured: { found.append($0) })
        #expect(found == [99])
    }

    @Test("percentiles come from the histogram, in milliseconds")
    func latencyMaths() {
        var tally = LatencyTally()
        #expect(tally.summary == LatencySummary(p50: 0, p90: 0, p99: 0, p999: 0, max: 0))
        for micros in 1...1000 { tally.record(micros: UInt64(micros)) }
        let summary = tally.summary
        #expect(abs(summary.p50 - 0.5) < 0.01)
        #expect(abs(summary.p90 - 0.9) < 0.01)
        #expect(abs(summary.p99 - 0.99) < 0.01)
        #expect(abs(summary.max - 1.0) < 0.01)
        #expect(tally.count == 1000)
    }

    @Test("loss counts missing deliveries; extra ones are duplicates, not negative loss")
    func lossCounting() {
        #expect(DeliveryCount(expected: 90, delivered: 87).lost == 3)
        #expect(DeliveryCount(expected: 90, delivered: 95).lost == 0)
        #expect(DeliveryCount(expected: 90, delivered: 95).duplicated == 5)
    }

    @Test("/proc/PID/stat and status parse into CPU seconds and memory")
    func procParsing() throws {
        // The command name holds a space and a parenthesis, as real ones may.
        let stat = "4242 (tandem (x) y) S 1 4242 4242 0 -1 4194560 2000 0 0 0 250 50 0 0 20 0 9 0 1234 567 89"
        let status = "Name:\ttandem\nVmHWM:\t   51200 kB\nVmRSS:\t40960 kB\nThreads:\t9\n"
        let sample = try #require(ProcessSample.parse(stat: stat, status: status, ticksPerSecond: 100))
        #expect(sample.cpuSeconds == 3.0)
        #expect(sample.residentBytes == 40960 * 1024)
        #expect(sample.peakResidentBytes == 51200 * 1024)
        #expect(ProcessSample.parse(stat: "garbage", status: status, ticksPerSecond: 100) == nil)
        #expect(ProcessSample.parse(stat: stat, status: "Name:\tx\n", ticksPerSecond: 100) == nil)
        let own = try #require(ProcessSample.read(pid: getpid()))
        #expect(own.residentBytes > 0 && own.peakResidentBytes >= own.residentBytes)
    }

    @Test("server usage is CPU per million delivered and peak memory")
    func serverUsage() {
        let before = ProcessSample(cpuSeconds: 10, residentBytes: 0, peakResidentBytes: 0)
        let after = ProcessSample(cpuSeconds: 12, residentBytes: 0, peakResidentBytes: 64 << 20)
        let usage = ServerUsage(before: before, after: after, delivered: 500_000)
        #expect(usage.cpuSecondsPerMillionDelivered == 4)
        #expect(usage.peakResidentMiB == 64)
    }

    @Test("reports render as a table and as one JSON object")
    func rendering() throws {
        var report = BenchReport(
            scenario: "fanout", target: "hone", parameters: ["rooms": "2"], durationSeconds: 1,
            offeredPerSecond: 100, deliveredPerSecond: 900, delivery: DeliveryCount(expected: 900, delivered: 900),
            latency: LatencySummary(p50: 0.5, p90: 0.9, p99: 1.5, p999: 2, max: 3), errors: 0, server: nil)
        report.figures["acked_per_second"] = 12
        let table = report.table()
        #expect(table.contains("fanout (hone)") && table.contains("p99 1.500") && table.contains("0 of 900 expected"))
        #expect(table.contains("acked_per_second"))
        let decoded = try JSONDecoder().decode(BenchReport.self, from: Data(report.json().utf8))
        #expect(decoded == report)
        #expect(!report.json().contains("\n"))
    }

    @Test("ws URLs split into host, port and target")
    func urls() {
        #expect(BenchURL("ws://127.0.0.1:8444/") == BenchURL("ws://127.0.0.1:8444"))
        let url = BenchURL("ws://localhost:80/ws/x?token=t")
        #expect(url?.host == "localhost" && url?.port == 80 && url?.target == "/ws/x?token=t")
        for bad in ["http://a:1/", "ws://a/", "ws://:5/", "ws://a:0/", "ws://a:x/"] {
            #expect(BenchURL(bad) == nil, "\(bad)")
        }
    }
}
