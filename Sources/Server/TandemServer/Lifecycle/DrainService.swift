import ServiceLifecycle
import TandemConnection

/// The features' part of graceful shutdown: every connection of every endpoint is closed with
/// 1001 and waited for (up to 5 s, so close frames go out before the ports close), then
/// `afterwards` runs (say, saving the stores the connections used).
///
/// Registered last, so the service group shuts it down first.
struct DrainService: Service {
    let runners: [ConnectionRunner]
    var timeout: Duration = .seconds(5)
    var afterwards: @Sendable () async -> Void = {}

    func run() async throws {
        try? await gracefulShutdown()
        for runner in runners { runner.drain(.goingAway) }
        // One deadline for all of them: shutdown waits `timeout` at most, however many endpoints.
        let deadline = ContinuousClock.now.advanced(by: timeout)
        for runner in runners { await runner.closed(before: deadline) }
        await afterwards()
    }
}
