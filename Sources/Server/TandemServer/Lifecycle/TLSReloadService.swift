import Logging
import ServiceLifecycle
import UnixSignals

/// Reloads the TLS certificate and key on SIGHUP, without closing a connection. A pair that does
/// not load is logged and the previous one stays in use.
struct TLSReloadService: Service {
    let certificates: TLSCertificates
    let logger: Logger

    func run() async throws {
        let signals = await UnixSignalsSequence(trapping: .sighup)
        for await _ in signals.cancelOnGracefulShutdown() {
            do throws(TLSError) {
                try certificates.reload()
                logger.info(
                    "TLS certificate reloaded", metadata: ["tls.cert": "\(certificates.settings.certificatePath)"])
            } catch {
                logger.error(
                    "TLS reload failed; the previous certificate stays in use", metadata: ["error": "\(error)"])
            }
        }
    }
}
