package import Foundation
package import JWTKit

/// What an SDS token lets its holder do in its store.
package enum SDSScope: String, Codable, Sendable, CaseIterable {
    case read, write, admin

    /// Whether PATCH, VALUE and VALUE_CHUNK frames from this scope are accepted.
    package var mayWrite: Bool { self != .read }
}

/// The claims of an SDS token: who (`sub`), which store (`aud`), what (`scope`), until when.
package struct SDSClaims: JWTPayload, Equatable {
    package var sub: String
    /// The one store the token is for. A list of audiences is not accepted.
    package var aud: String
    package var scope: SDSScope
    package var exp: ExpirationClaim?
    package var iat: IssuedAtClaim?
    package var iss: String?

    package init(
        sub: String, aud: String, scope: SDSScope, exp: ExpirationClaim?, iat: IssuedAtClaim? = nil,
        iss: String? = nil
    ) {
        self.sub = sub
        self.aud = aud
        self.scope = scope
        self.exp = exp
        self.iat = iat
        self.iss = iss
    }

    /// Expiry and issuer are checked by `SDSTokenAuthority`, against its clock and settings.
    package func verify(using algorithm: some JWTAlgorithm) async throws {}
}

/// Why a token was refused. Every case closes an SDS socket with 4001 "Unauthorized" (or answers
/// 401 on the token API); the case is only logged.
package enum SDSTokenError: Error, Equatable, Sendable {
    case missing
    /// Malformed, forged, or using an algorithm other than HS256.
    case invalid
    case expired
    case wrongIssuer
}

/// A configuration the SDS endpoints cannot run with.
package struct SDSConfigurationError: Error, Equatable, Sendable, CustomStringConvertible {
    package let description: String
}

/// Verifies and issues the HS256 JWTs of the SDS protocol with one shared secret.
package struct SDSTokenAuthority: Sendable {
    /// Shorter secrets are refused at start-up: HS256 needs real entropy.
    package static let minimumSecretLength = 32

    private let keys: JWTKeyCollection
    /// When set, tokens must carry this `iss`, and issued tokens carry it.
    package let issuer: String?

    package init(secret: String, issuer: String?) async throws(SDSConfigurationError) {
        guard secret.count >= Self.minimumSecretLength else {
            throw SDSConfigurationError(
                description:
                    "sds.jwt.secret must be at least \(Self.minimumSecretLength) characters (it has \(secret.count))")
        }
        keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: .sha256)
        self.issuer = issuer.flatMap { $0.isEmpty ? nil : $0 }
    }

    /// Checks signature, algorithm, expiry and issuer, and returns the claims.
    package func verify(_ token: String?, now: Date = Date()) async throws(SDSTokenError) -> SDSClaims {
        guard let token, !token.isEmpty else { throw .missing }
        guard let claims = await signedClaims(token) else { throw .invalid }
        if let exp = claims.exp, exp.value <= now { throw .expired }
        if let issuer, claims.iss != issuer { throw .wrongIssuer }
        return claims
    }

    /// The claims of a well-formed HS256 token signed with the secret; nil for anything else.
    private func signedClaims(_ token: String) async -> SDSClaims? {
        // The key would check any HMAC header alike; only HS256 is the protocol's.
        guard let header = try? DefaultJWTParser().parse(Array(token.utf8), as: SDSClaims.self).header,
            header.alg == "HS256"
        else { return nil }
        return try? await keys.verify(token, as: SDSClaims.self)
    }

    /// Signs a token for `store` valid for `lifetime` from `now`.
    package func issue(
        subject: String, store: String, scope: SDSScope, lifetime: Duration, now: Date = Date()
    ) async throws -> String {
        // Whole seconds (NumericDate as SDS's server and most JWT libraries write it): some clients
        // read `exp` as an integer.
        let issuedAt = Date(timeIntervalSince1970: now.timeIntervalSince1970.rounded(.down))
        let expiresAt = issuedAt.addingTimeInterval(Double(lifetime.components.seconds))
        let claims = SDSClaims(
            sub: subject, aud: store, scope: scope, exp: ExpirationClaim(value: expiresAt),
            iat: IssuedAtClaim(value: issuedAt), iss: issuer)
        return try await keys.sign(claims)
    }
}

/// Token lifetimes as the SDS token API writes them: a count and one of s, m, h, d.
package enum SDSTokenLifetime {
    /// The lifetime when a request names none.
    package static let standard: Duration = .seconds(24 * 3600)
    /// The longest lifetime issued: ten years.
    package static let maximum: Duration = .seconds(3650 * 24 * 3600)

    /// Parses "30s", "15m", "1h" or "7d"; nil for anything else or past `maximum`.
    package static func parse(_ text: String) -> Duration? {
        guard let unit = text.last, let count = Int64(text.dropLast()), count >= 0,
            text.dropLast().allSatisfy(\.isASCII), text.dropLast().allSatisfy(\.isNumber)
        else { return nil }
        let multiplier: Int64
        switch unit {
        case "s": multiplier = 1
        case "m": multiplier = 60
        case "h": multiplier = 3600
        case "d": multiplier = 86_400
        default: return nil
        }
        let (seconds, overflow) = count.multipliedReportingOverflow(by: multiplier)
        guard !overflow, seconds <= maximum.components.seconds else { return nil }
        return .seconds(seconds)
    }
}
