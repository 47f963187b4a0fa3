import Logging
import ServiceLifecycle
import TandemConnection
import TandemRelay

/// Runs the relay's background work (the log writer, buffer expiry, retention) and performs its
/// part of graceful shutdown: close every connection with 1001, then commit everything pending.
///
/// Registered after the servers, so the service group shuts it down first.
struct RelayService: Service {
    let relay: Relay
    let retentionDays: Int
    let logger: Logger
    /// How long shutdown waits for connections to close before committing anyway.
    let drainTimeout: Duration = .seconds(5)

    func run() async throws {
        let writer = Task { await relay.runWriter() }
        let janitor = Task { await housekeeping() }
        try? await gracefulShutdown()
        janitor.cancel()
        logger.info("shutting down: closing connections", metadata: ["connections": "\(relay.connections)"])
        relay.drain(.goingAway)
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: drainTimeout)
        // Until every socket has ended, not just left its room: a connection leaves as soon as it is
        // closed, but its 1001 close frame is still on the way, and the HTTP servers' own shutdown
        // (next) would overtake it with theirs.
        while relay.openConnections > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        relay.stopWriter()
        await writer.value
        await janitor.value
        logger.info("storage flushed")
    }

    /// Expires offline buffers every second and applies retention every hour.
    private func housekeeping() async {
        var lastRetention = ContinuousClock.now - .seconds(3600)
        while !Task.isCancelled {
            relay.sweep()
            if retentionDays > 0, ContinuousClock.now - lastRetention >= .seconds(3600) {
                lastRetention = .now
                let cutoff = relay.clock.now() - Int64(retentionDays) * 86_400_000
                do {
                    let rooms = try await relay.applyRetention(createdBefore: cutoff)
                    if rooms > 0 { logger.info("retention pruned old messages", metadata: ["rooms": "\(rooms)"]) }
                } catch {
                    logger.error("retention failed", metadata: ["error": "\(error)"])
                }
            }
            try? await Task.sleep(for: .seconds(1))
        }
    }
}
