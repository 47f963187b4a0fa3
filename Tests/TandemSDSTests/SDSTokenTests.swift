import Foundation
import JWTKit
import Testing

@testable import TandemSDS

@Suite("SDS tokens")
struct SDSTokenTests {
    static let secret = "a-test-secret-long-enough-for-hs256-and-for-the-hs384-forgery-64"

    func authority(issuer: String? = nil) async throws -> SDSTokenAuthority {
        try await SDSTokenAuthority(secret: Self.secret, issuer: issuer)
    }

    /// Signs `claims` with `secret` and `algorithm`, as another implementation would.
    func sign(_ claims: SDSClaims, secret: String = secret, algorithm: DigestAlgorithm = .sha256) async throws -> String
    {
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: secret), digestAlgorithm: algorithm)
        return try await keys.sign(claims)
    }

    func claims(scope: SDSScope = .write, expiresIn seconds: Double = 3600, iss: String? = nil) -> SDSClaims {
        SDSClaims(
            sub: "alice", aud: "store-1", scope: scope, exp: ExpirationClaim(value: Date().addingTimeInterval(seconds)),
            iss: iss)
    }

    @Test("a secret shorter than 32 characters is refused")
    func shortSecret() async {
        await #expect(throws: SDSConfigurationError.self) {
            _ = try await SDSTokenAuthority(secret: "short", issuer: nil)
        }
    }

    @Test("an issued token verifies with its subject, store and scope")
    func issueThenVerify() async throws {
        let tokens = try await authority()
        let token = try await tokens.issue(subject: "bob", store: "s", scope: .read, lifetime: .seconds(60))
        let verified = try await tokens.verify(token)
        #expect(verified.sub == "bob" && verified.aud == "s" && verified.scope == .read)
        let expiry = try #require(verified.exp).value.timeIntervalSinceNow
        #expect(expiry > 50 && expiry <= 61)
    }

    @Test("issued tokens carry exp and iat as whole seconds (integer NumericDates)")
    func integerNumericDates() async throws {
        let now = Date(timeIntervalSince1970: 1_796_196_302.02)
        let token = try await authority().issue(
            subject: "alice", store: "store-1", scope: .read, lifetime: .seconds(60), now: now)
        let payload = String(token.split(separator: ".")[1])
        var base64 = payload.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        base64 += String(repeating: "=", count: (4 - base64.count % 4) % 4)
        let json = String(decoding: try #require(Data(base64Encoded: base64)), as: UTF8.self)
        #expect(json.contains(#""exp":1796196362"#) && !json.contains(#""exp":1796196362."#), "\(json)")
        #expect(json.contains(#""iat":1796196302"#) && !json.contains(#""iat":1796196302."#), "\(json)")
    }

    @Test("tokens signed elsewhere with the same secret verify")
    func foreignTokenVerifies() async throws {
        let token = try await sign(claims())
        #expect(try await authority().verify(token).sub == "alice")
    }

    @Test("missing, forged, expired, wrong-algorithm and unsigned tokens are refused")
    func refusals() async throws {
        let tokens = try await authority()
        await #expect(throws: SDSTokenError.missing) { try await tokens.verify(nil) }
        await #expect(throws: SDSTokenError.missing) { try await tokens.verify("") }
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify("not.a.jwt") }
        let forged = try await sign(claims(), secret: "another-secret-that-is-long-enough-xx")
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify(forged) }
        let expired = try await sign(claims(expiresIn: -5))
        await #expect(throws: SDSTokenError.expired) { try await tokens.verify(expired) }
        let hs384 = try await sign(claims(), algorithm: .sha384)
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify(hs384) }
        // alg "none": the header says so and there is no signature.
        let header = Data(#"{"alg":"none","typ":"JWT"}"#.utf8).base64URLEncodedString()
        let payload = Data(#"{"sub":"alice","aud":"store-1","scope":"admin"}"#.utf8).base64URLEncodedString()
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify("\(header).\(payload).") }
    }

    @Test("scope must be read, write or admin, and aud a single string")
    func claimShapes() async throws {
        let tokens = try await authority()
        let keys = JWTKeyCollection()
        await keys.add(hmac: HMACKey(from: Self.secret), digestAlgorithm: .sha256)
        struct Loose: JWTPayload {
            var sub: String
            var aud: [String]
            var scope: String
            func verify(using algorithm: some JWTAlgorithm) async throws {}
        }
        let badScope = try await keys.sign(Loose(sub: "a", aud: ["s"], scope: "owner"))
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify(badScope) }
        let listAudience = try await keys.sign(Loose(sub: "a", aud: ["s", "t"], scope: "read"))
        await #expect(throws: SDSTokenError.invalid) { try await tokens.verify(listAudience) }
    }

    @Test("with an issuer configured, tokens must carry it")
    func issuerChecked() async throws {
        let tokens = try await authority(issuer: "tandem")
        await #expect(throws: SDSTokenError.wrongIssuer) { try await tokens.verify(try await sign(claims())) }
        await #expect(throws: SDSTokenError.wrongIssuer) {
            try await tokens.verify(try await sign(claims(iss: "other")))
        }
        #expect(try await tokens.verify(try await sign(claims(iss: "tandem"))).iss == "tandem")
        let issued = try await tokens.issue(subject: "x", store: "s", scope: .admin, lifetime: .seconds(5))
        #expect(try await tokens.verify(issued).iss == "tandem")
    }

    @Test("lifetimes: 30s, 15m, 1h, 7d; anything else is refused")
    func lifetimes() {
        #expect(SDSTokenLifetime.parse("30s") == .seconds(30))
        #expect(SDSTokenLifetime.parse("15m") == .seconds(900))
        #expect(SDSTokenLifetime.parse("1h") == .seconds(3600))
        #expect(SDSTokenLifetime.parse("7d") == .seconds(7 * 86_400))
        for bad in ["", "h", "1", "1w", "-1h", "1.5h", "+1h", " 1h", "99999999999999999999d", "3651d", "١h"] {
            #expect(SDSTokenLifetime.parse(bad) == nil, "\(bad)")
        }
    }
}

extension Data {
    fileprivate func base64URLEncodedString() -> String {
        base64EncodedString().replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_")
            .replacingOccurrences(of: "=", with: "")
    }
}
