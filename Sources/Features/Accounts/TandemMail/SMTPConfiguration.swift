/// Where and how to deliver mail.
package struct SMTPConfiguration: Sendable, Equatable {
    /// How the connection is protected.
    package enum Security: String, Sendable, CaseIterable {
        /// Upgrade with STARTTLS when the server offers it (the usual port 587 set-up).
        case startTLSIfOffered = "auto"
        /// Upgrade with STARTTLS, and fail if the server does not offer it.
        case startTLS = "starttls"
        /// TLS from the first byte (port 465).
        case tls
        /// Never encrypt (a relay on the same machine).
        case none = "off"
    }

    package var host: String
    package var port: Int
    /// Set to authenticate (AUTH PLAIN or LOGIN); only ever sent over TLS.
    package var user: String?
    package var password: String?
    package var security: Security
    /// A PEM file of certificates to trust instead of the system's roots (a private CA, tests).
    package var trustRootsFile: String?
    /// Longest wait for a connection or for any one reply.
    package var timeout: Duration
    /// The name this client gives in EHLO.
    package var heloName: String

    package init(
        host: String, port: Int = 587, user: String? = nil, password: String? = nil,
        security: Security = .startTLSIfOffered, trustRootsFile: String? = nil, timeout: Duration = .seconds(30),
        heloName: String = "localhost"
    ) {
        self.host = host
        self.port = port
        self.user = user
        self.password = password
        self.security = security
        self.trustRootsFile = trustRootsFile
        self.timeout = timeout
        self.heloName = heloName
    }

    var timeoutNanoseconds: Int64 {
        let parts = timeout.components
        return parts.seconds * 1_000_000_000 + parts.attoseconds / 1_000_000_000
    }
}
