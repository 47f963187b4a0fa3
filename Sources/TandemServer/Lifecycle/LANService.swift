import Logging
import ServiceLifecycle
import TandemLAN

/// The LAN endpoint's part of graceful shutdown: close every phone connection with 1001 and wait (up to 5 s)
/// for them to end, before the LAN listener stops.
struct LANService: Service {
    let endpoint: LANEndpoint
    let logger: Logger

    func run() async throws {
        try? await gracefulShutdown()
        endpoint.drain()
        let clock = ContinuousClock()
        let deadline = clock.now.advanced(by: .seconds(5))
        while endpoint.connectionCount > 0, clock.now < deadline {
            try? await Task.sleep(for: .milliseconds(20))
        }
        logger.debug("LAN connections closed")
    }
}
