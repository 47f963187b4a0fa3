import Foundation
import NIOPosix
import Testing

@testable import TandemBench
@testable import TandemSDS

/// Short, bounded runs of each scenario against an in-process server, to keep `tandem bench` working.
@Suite("tandem bench smoke runs", .timeLimit(.minutes(1)))
struct BenchSmokeTests {
    let loop = MultiThreadedEventLoopGroup.singleton.next()

    @Test("fanout: every message reaches every other member, with latencies and server figures")
    func fanout() async throws {
        let server = try await TestServer.start()
        var options = FanoutOptions()
        options.rooms = 2
        options.members = 3
        options.ratePerMember = 20
        options.warmupSeconds = 0.2
        options.seconds = 1
        let report = try await Bench.fanout(
            .hone(try #require(BenchURL(server.webSocketURL))), options, serverPID: getpid(), on: loop)
        #expect(report.delivery.expected > 0 && report.delivery.lost == 0 && report.errors == 0)
        #expect(report.delivery.expected == report.delivery.delivered)
        #expect(report.latency.p50 > 0 && report.latency.max >= report.latency.p99)
        #expect(report.server != nil)
        try await server.stop()
    }

    @Test("durable and catchup: acknowledged messages, then a full replay")
    func durableAndCatchup() async throws {
        let server = try await TestServer.start(["rate.messages.per.second": "100000", "rate.burst": "100000"])
        let url = BenchURL(server.webSocketURL)!
        var durable = DurableOptions()
        durable.senders = 2
        durable.window = 8
        durable.warmupSeconds = 0
        durable.seconds = 3
        let acked = try await Bench.durable(.hone(url), durable, serverPID: nil, on: loop)
        #expect(acked.errors == 0, "\(acked.table())")
        #expect((acked.figures["acked_per_second"] ?? 0) > 0 && acked.latency.p50 > 0, "\(acked.table())")
        var catchup = CatchupOptions()
        catchup.messages = 2000
        let replay = try await Bench.catchup(.hone(url), catchup, serverPID: nil, on: loop)
        #expect(replay.delivery.delivered == 2000 && (replay.figures["replayed_per_second"] ?? 0) > 0)
        try await server.stop()
    }

    @Test("sds: binary frames fan out on the SDS endpoint")
    func sds() async throws {
        let sds = try await SDSFixture.start()
        var options = FanoutOptions()
        options.rooms = 2
        options.members = 2
        options.ratePerMember = 20
        options.warmupSeconds = 0.1
        options.seconds = 0.5
        var tokens: [String: String] = [:]
        for room in 0..<options.rooms { tokens["bench-\(room)"] = try await sds.token(.write, store: "bench-\(room)") }
        let url = BenchURL("ws://127.0.0.1:\(sds.server.ports.http)/")!
        let report = try await Bench.fanout(.sds(url, tokens: tokens), options, serverPID: nil, on: loop)
        #expect(report.delivery.expected > 0 && report.delivery.lost == 0)
        try await sds.server.stop()
    }
}
