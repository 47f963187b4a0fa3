import ServiceLifecycle
import TandemTinyHost

/// The TinyBase stores' part of graceful shutdown: every TinyBase socket is closed with 1001 and
/// every open store is written before the ports close.
struct TinyBaseService: Service {
    let hub: TinyBaseSyncHub

    func run() async throws {
        try? await gracefulShutdown()
        await hub.shutDown()
    }
}
