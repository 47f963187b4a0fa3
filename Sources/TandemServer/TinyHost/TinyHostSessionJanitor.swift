import Logging
import ServiceLifecycle
import TandemTinyHost

/// Deletes expired TinyHost sessions every hour (lookups also refuse and delete them at once).
struct TinyHostSessionJanitor: Service {
    let accounts: TinyHostAccounts
    let logger: Logger

    func run() async throws {
        while !Task.isShuttingDownGracefully, !Task.isCancelled {
            do {
                let purged = try await accounts.purgeExpiredSessions()
                if purged > 0 { logger.info("expired tinyhost sessions deleted", metadata: ["count": "\(purged)"]) }
            } catch {
                logger.error("purging expired tinyhost sessions failed", metadata: ["error": "\(error)"])
            }
            try? await cancelWhenGracefulShutdown { try await Task.sleep(for: .seconds(3600)) }
        }
    }
}
