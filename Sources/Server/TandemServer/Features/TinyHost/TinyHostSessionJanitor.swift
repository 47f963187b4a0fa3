import Logging
import ServiceLifecycle
import TandemTinyHost

/// Makes the dummy password hash at start, then deletes expired TinyHost sessions every hour
/// (lookups also refuse and delete them at once).
struct TinyHostSessionJanitor: Service {
    let accounts: TinyHostAccounts
    let logger: Logger

    func run() async throws {
        do {
            try await accounts.prepare()
        } catch {
            logger.warning("tinyhost dummy password hash failed", metadata: ["error": "\(error)"])
        }
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
