import Foundation
import NIOSSL
import Synchronization

/// The certificate chain and key the HTTP and WebSocket ports terminate TLS with (`tls.cert`,
/// `tls.key`). `reload()` reads the files again (on SIGHUP): new connections use the new pair,
/// open ones keep theirs, and a pair that does not load leaves the old one in place.
package final class TLSCertificates: Sendable {
    let settings: TLSSettings
    private let context: Mutex<NIOSSLContext>

    /// Loads the pair; throws `TLSError` naming what is wrong.
    init(_ settings: TLSSettings) throws(TLSError) {
        self.settings = settings
        self.context = Mutex(try Self.load(settings))
    }

    /// The context new connections use.
    var current: NIOSSLContext { context.withLock { $0 } }

    /// Reads the files again and uses them for new connections.
    package func reload() throws(TLSError) {
        let loaded = try Self.load(settings)
        context.withLock { $0 = loaded }
    }

    private static func load(_ settings: TLSSettings) throws(TLSError) -> NIOSSLContext {
        let (certificatePath, keyPath) = (settings.certificatePath, settings.keyPath)
        let chain: [NIOSSLCertificate]
        do {
            chain = try NIOSSLCertificate.fromPEMFile(certificatePath)
        } catch {
            throw TLSError(description: "tls.cert \(certificatePath): not a readable PEM certificate chain (\(error))")
        }
        guard let leaf = chain.first else {
            throw TLSError(description: "tls.cert \(certificatePath): no certificate in the file")
        }
        let now = time(nil)
        guard leaf.notValidAfter > now else {
            throw TLSError(description: "tls.cert \(certificatePath): the certificate has expired")
        }
        guard leaf.notValidBefore <= now else {
            throw TLSError(description: "tls.cert \(certificatePath): the certificate is not valid yet")
        }
        let key: NIOSSLPrivateKey
        do {
            key = try NIOSSLPrivateKey(file: keyPath, format: .pem)
        } catch {
            throw TLSError(description: "tls.key \(keyPath): not a readable PEM private key (\(error))")
        }
        var configuration = TLSConfiguration.makeServerConfiguration(
            certificateChain: chain.map { .certificate($0) }, privateKey: .privateKey(key))
        configuration.minimumTLSVersion = settings.minimumVersion == .v1_3 ? .tlsv13 : .tlsv12
        configuration.applicationProtocols = ["http/1.1"]
        do {
            return try NIOSSLContext(configuration: configuration)
        } catch {
            throw TLSError(description: "tls.key \(keyPath) does not belong to tls.cert \(certificatePath) (\(error))")
        }
    }
}

/// A certificate or key that cannot be used, and why.
package struct TLSError: Error, CustomStringConvertible {
    package let description: String
}
