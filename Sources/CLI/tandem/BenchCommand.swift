import ArgumentParser
import Foundation
import NIOPosix
import TandemBench
import TandemSDS

struct BenchCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench",
        abstract: "Drive a running server over loopback and report throughput, loss, latency and server cost.",
        discussion: "docs/benchmarks.md describes the scenarios, the targets and how to compare with nats-server.")

    enum Scenario: String, ExpressibleByArgument, CaseIterable {
        case fanout, ramp, idle, durable, catchup, sds
    }

    enum Target: String, ExpressibleByArgument, CaseIterable {
        case hone, nats
    }

    @Argument(help: "fanout, ramp, idle, durable, catchup or sds.")
    var scenario: Scenario

    @Option(
        help: "Server URL: a Hone relay (ws://127.0.0.1:8444/), nats-server's WebSocket port, or for sds the HTTP port."
    )
    var url = "ws://127.0.0.1:8444/"

    @Option(help: "Wire protocol of --url: hone or nats (sds picks its own).")
    var target: Target = .hone

    @Option(help: "The server's pid, for its CPU time and peak memory from /proc.")
    var serverPID: Int32?

    @Option(help: "sds: the server's sds.jwt.secret, to sign a write token per store.")
    var sdsSecret: String?

    @Option(help: "fanout/ramp/sds: rooms.") var rooms = 50
    @Option(help: "fanout/ramp/sds/idle: members per room.") var members = 10
    @Option(help: "fanout/ramp/sds: messages per second per member (ramp: the first step).") var rate = 10.0
    @Option(help: "Payload bytes.") var payload = 64
    @Option(help: "Measured seconds (ramp: per step).") var seconds: Double?
    @Option(help: "Warm-up seconds before measuring.") var warmup: Double?
    @Option(help: "ramp: the p99 bound in milliseconds.") var p99Bound = 50.0
    @Option(help: "ramp: rate factor per step.") var factor = 1.5
    @Option(help: "idle: connections.") var connections = 10_000
    @Option(help: "durable: senders.") var senders = 4
    @Option(help: "durable: messages in flight per sender.") var window = 64
    @Option(help: "catchup: messages in the room.") var messages = 100_000
    @Option(help: "catchup: rooms of a live fan-out (--members, --rate) measured alone and during the replay.")
    var liveRooms = 0
    @Flag(help: "Print only the JSON report.") var json = false

    func run() async throws {
        guard let base = BenchURL(url) else { throw ValidationError("--url must look like ws://host:port/path") }
        let loop = MultiThreadedEventLoopGroup.singleton.next()
        var fanout = FanoutOptions()
        fanout.rooms = rooms
        fanout.members = members
        fanout.ratePerMember = rate
        fanout.payloadBytes = payload
        if let seconds { fanout.seconds = seconds }
        if let warmup { fanout.warmupSeconds = warmup }
        let hone: BenchTarget = target == .nats ? .nats(base) : .hone(base)

        var reports: [BenchReport] = []
        switch scenario {
        case .fanout:
            reports = [try await Bench.fanout(hone, fanout, serverPID: serverPID, on: loop)]
        case .sds:
            guard let sdsSecret else { throw ValidationError("sds needs --sds-secret (the server's sds.jwt.secret)") }
            let authority = try await SDSTokenAuthority(secret: sdsSecret, issuer: nil)
            var tokens: [String: String] = [:]
            for room in 0..<rooms {
                tokens["bench-\(room)"] = try await authority.issue(
                    subject: "bench", store: "bench-\(room)", scope: .write, lifetime: .seconds(3600))
            }
            reports = [try await Bench.fanout(.sds(base, tokens: tokens), fanout, serverPID: serverPID, on: loop)]
        case .ramp:
            var options = RampOptions()
            options.fanout.rooms = rooms
            options.fanout.members = members
            options.fanout.ratePerMember = rate
            options.fanout.payloadBytes = payload
            if let seconds { options.fanout.seconds = seconds }
            if let warmup { options.fanout.warmupSeconds = warmup }
            options.p99BoundMilliseconds = p99Bound
            options.factor = factor
            reports = try await Bench.ramp(hone, options, serverPID: serverPID, on: loop) { step in
                if !json { print(step.table() + "\n") }
            }
        case .idle:
            var options = IdleOptions()
            options.connections = connections
            options.membersPerRoom = members
            reports = [try await Bench.idle(hone, options, serverPID: serverPID, on: loop)]
        case .durable:
            var options = DurableOptions()
            options.senders = senders
            options.window = window
            options.payloadBytes = payload
            if let seconds { options.seconds = seconds }
            if let warmup { options.warmupSeconds = warmup }
            reports = [try await Bench.durable(hone, options, serverPID: serverPID, on: loop)]
        case .catchup:
            var options = CatchupOptions()
            options.messages = messages
            options.payloadBytes = payload
            options.liveRooms = liveRooms
            options.liveMembers = members
            options.liveRatePerMember = rate
            reports = [try await Bench.catchup(hone, options, serverPID: serverPID, on: loop)]
        }
        for report in reports where !json && scenario != .ramp { print(report.table() + "\n") }
        // A ramp prints every step's JSON line; the last one carries the highest clean rate.
        if scenario == .ramp && json {
            for step in reports.dropLast() { print(step.json()) }
        }
        if let last = reports.last { print(last.json()) }
    }
}
