import Foundation
import Hummingbird
import TandemRelay
import TandemTinyHost

/// The routes every port serves: `GET /health` and `GET /`.
struct CommonRoutes: Sendable {
    let relay: Relay
    let startedAt: ContinuousClock.Instant

    func add<Context: RequestContext>(to router: Router<Context>) {
        let relay = self.relay
        let startedAt = self.startedAt
        router.get("/health") { _, _ in
            let uptime = ContinuousClock.now - startedAt
            return HealthReport(
                status: "ok",
                uptime: uptime.components.seconds * 1000 + uptime.components.attoseconds / 1_000_000_000_000_000,
                rooms: relay.roomCount, connections: relay.connections, version: TandemServer.version,
                timestamp: TinyHostTime.string(Date()))
        }
        router.get("/") { _, _ in "Tandem relay \(TandemServer.version)\n" }
    }
}
