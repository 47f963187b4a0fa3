import Foundation
import Synchronization
import TandemClient

/// The "nothing lost" proof: clients send with ids while connections are cut at random and the
/// server is killed with SIGKILL and restarted on the same database; afterwards every
/// acknowledged message must have reached every other client exactly once, in seq order.
package struct ChaosScenario: Sendable {
    package struct Options: Sendable {
        /// Path of the `tandem` executable to run as the server.
        package var executable: String
        package var clients = 3
        package var messagesPerClient = 60
        /// Messages each client keeps in flight at once.
        package var window = 4
        /// Pause between chaos events, in milliseconds.
        package var chaosInterval: ClosedRange<Int> = 100...400
        /// Pause after each acknowledged message, per in-flight slot, so the run spans many chaos events.
        package var pacing: Duration = .milliseconds(20)
        /// Probability that a chaos event kills the server rather than cutting one client.
        package var killProbability = 0.3
        /// How long to wait for everything to arrive after the last acknowledgement.
        package var settleTimeout: Duration = .seconds(60)

        package init(executable: String) {
            self.executable = executable
        }
    }

    package struct Report: Sendable, CustomStringConvertible {
        package var sent = 0
        package var acknowledged = 0
        package var failedSends = 0
        package var serverKills = 0
        package var connectionCuts = 0
        package var deliveries = 0
        package var expectedDeliveries = 0
        package var missing = 0
        package var duplicates = 0
        package var seqMismatches = 0
        package var outOfOrder = 0
        package var unexpected = 0
        package var ignoredByClients = 0
        package var seconds = 0.0

        /// True when nothing was lost, duplicated, reordered or left unacknowledged.
        package var passed: Bool {
            failedSends == 0 && acknowledged == sent && missing == 0 && duplicates == 0 && seqMismatches == 0
                && outOfOrder == 0 && unexpected == 0 && ignoredByClients == 0
        }

        package var description: String {
            """
            chaos: \(passed ? "PASSED" : "FAILED") in \(String(format: "%.1f", seconds)) s
              sent \(sent), acknowledged \(acknowledged), failed sends \(failedSends)
              server kills (SIGKILL) \(serverKills), client connection cuts \(connectionCuts)
              deliveries \(deliveries) of \(expectedDeliveries) expected: missing \(missing), duplicated \(duplicates), \
            wrong seq \(seqMismatches), out of order \(outOfOrder), never acknowledged \(unexpected), \
            duplicates ignored by clients \(ignoredByClients)
            """
        }
    }

    package let options: Options

    package init(options: Options) {
        self.options = options
    }

    /// Runs the scenario; `progress` receives one line per chaos event.
    package func run(progress: @escaping @Sendable (String) -> Void = { _ in }) async throws -> Report {
        let started = ContinuousClock.now
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "tandem-chaos-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let server = ServerProcess(
            executable: options.executable, httpPort: try LoopbackPort.free(),
            webSocketPort: try LoopbackPort.free(), databasePath: directory.appendingPathComponent("chaos.db").path
        )
        try await server.start()
        do {
            return try await exercise(server, started: started, progress: progress)
        } catch {
            await server.stop()
            throw error
        }
    }

    private func exercise(
        _ server: ServerProcess, started: ContinuousClock.Instant, progress: @escaping @Sendable (String) -> Void
    ) async throws -> Report {
        let devices = (0..<options.clients).map { "client-\($0)" }
        let clients = devices.map { device in
            RelayClient(
                configuration: .init(
                    url: server.url, room: "chaos", device: device,
                    backoff: Backoff(initial: .milliseconds(50), maximum: .milliseconds(500))))
        }
        let received = devices.map { _ in Inbox() }
        let tally = Tally()
        var report = Report()

        var listeners: [Task<Void, Never>] = []
        for (index, client) in clients.enumerated() {
            let inbox = received[index]
            listeners.append(
                Task {
                    for await event in client.events {
                        if case .message(let message) = event { inbox.messages.withLock { $0.append(message) } }
                    }
                })
            await client.start()
        }

        let senders = Task {
            await withTaskGroup(of: Void.self) { group in
                for (index, client) in clients.enumerated() {
                    group.addTask {
                        await send(from: client, device: devices[index], tally: tally)
                    }
                }
            }
        }

        // Chaos until every message is acknowledged.
        var generator = SystemRandomNumberGenerator()
        while !senders.isCancelled {
            let done = tally.acks.withLock { $0.count } + tally.failures.load(ordering: .relaxed)
            if done >= options.clients * options.messagesPerClient { break }
            try await Task.sleep(for: .milliseconds(Int.random(in: options.chaosInterval, using: &generator)))
            if Double.random(in: 0..<1, using: &generator) < options.killProbability {
                await server.kill()
                report.serverKills += 1
                progress("killed the server (SIGKILL); \(tally.acks.withLock { $0.count }) acknowledged so far")
                try await Task.sleep(for: .milliseconds(Int.random(in: 50...300, using: &generator)))
                try await server.start()
            } else {
                let victim = Int.random(in: 0..<clients.count, using: &generator)
                await clients[victim].reconnect()
                report.connectionCuts += 1
                progress("cut \(devices[victim])'s connection")
            }
        }
        await senders.value

        // Every client should now receive every acknowledged message of the others.
        let acknowledged = tally.acks.withLock { $0 }
        let deadline = ContinuousClock.now + options.settleTimeout
        for index in clients.indices {
            let expected = acknowledged.filter { !$0.key.hasPrefix(devices[index] + "/") }.count
            while received[index].messages.withLock({ $0.count }) < expected, ContinuousClock.now < deadline {
                try await Task.sleep(for: .milliseconds(50))
            }
        }

        report.sent = options.clients * options.messagesPerClient
        report.acknowledged = acknowledged.count
        report.failedSends = tally.failures.load(ordering: .relaxed)
        for (index, client) in clients.enumerated() {
            report.ignoredByClients += await client.duplicatesIgnored
            let messages = received[index].messages.withLock { $0 }
            report.deliveries += messages.count
            var seen: Set<String> = []
            var previous: UInt64 = 0
            for message in messages {
                if message.seq <= previous { report.outOfOrder += 1 }
                previous = message.seq
                guard let id = message.id, let ackedSeq = acknowledged[id] else {
                    report.unexpected += 1
                    continue
                }
                if !seen.insert(id).inserted { report.duplicates += 1 }
                if ackedSeq != message.seq { report.seqMismatches += 1 }
            }
            let expected = acknowledged.keys.filter { !$0.hasPrefix(devices[index] + "/") }
            report.expectedDeliveries += expected.count
            report.missing += expected.filter { !seen.contains($0) }.count
        }
        for client in clients { await client.stop() }
        for listener in listeners { await listener.value }
        await server.stop()
        let elapsed = ContinuousClock.now - started
        report.seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return report
    }

    /// Sends this client's messages, `window` at a time, each with a stable id, recording acks.
    private func send(from client: RelayClient, device: String, tally: Tally) async {
        await withTaskGroup(of: Void.self) { group in
            var next = 0
            func launch() {
                let index = next
                next += 1
                let id = "\(device)/\(index)"
                group.addTask {
                    do {
                        let seq = try await client.send(payloadJSON: "{\"n\":\(index)}", id: id)
                        tally.acks.withLock { $0[id] = seq }
                        try? await Task.sleep(for: options.pacing)
                    } catch {
                        tally.failures.add(1, ordering: .relaxed)
                    }
                }
            }
            while next < min(options.window, options.messagesPerClient) { launch() }
            while await group.next() != nil {
                if next < options.messagesPerClient { launch() }
            }
        }
    }
}

/// Messages one client received.
private final class Inbox: Sendable {
    let messages = Mutex<[RelayMessage]>([])
}

/// Acknowledged seqs by message id, and sends that failed.
private final class Tally: Sendable {
    let acks = Mutex<[String: UInt64]>([:])
    let failures = Atomic<Int>(0)
}
