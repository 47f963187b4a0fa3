import Foundation
import Testing

@testable import TandemTinyHost

@Suite("Argon2id passwords and session tokens")
struct PasswordHasherTests {
    @Test("a hash verifies its password and no other, and is libsodium's argon2id string")
    func roundTrip() async throws {
        let hasher = PasswordHasher(strength: .minimum)
        let hash = try await hasher.hash("correct horse")
        #expect(hash.hasPrefix("$argon2id$v=19$m=8,t=1,p=1$"))
        #expect(!hash.contains("correct horse"))
        #expect(try await hasher.verify("correct horse", against: hash))
        #expect(!(try await hasher.verify("correct horsf", against: hash)))
        #expect(!(try await hasher.verify("", against: hash)))
        #expect(!(try await hasher.verify("correct horse", against: "not a hash")))
        #expect(try await hasher.hash("correct horse") != hash, "every hash has its own salt")
    }

    @Test("passwords with NUL bytes and non-ASCII text are hashed whole")
    func wholePassword() async throws {
        let hasher = PasswordHasher(strength: .minimum)
        let hash = try await hasher.hash("pass\u{0}word-ü")
        #expect(try await hasher.verify("pass\u{0}word-ü", against: hash))
        #expect(!(try await hasher.verify("pass", against: hash)))
    }

    @Test("a hash made at another strength needs rehashing")
    func rehash() async throws {
        let weak = try await PasswordHasher(strength: .minimum).hash("pw")
        let stronger = PasswordHasher(strength: PasswordStrength(operations: 2, memoryKiB: 16))
        #expect(stronger.needsRehash(weak))
        #expect(!stronger.needsRehash(try await stronger.hash("pw")))
        #expect(try await stronger.verify("pw", against: weak), "old hashes keep working")
    }

    @Test("the gate runs at most its limit at once and refuses beyond its queue")
    func gate() async throws {
        let gate = HashingGate(limit: 1, maxWaiting: 1)
        #expect(await gate.enter())
        let waiter = Task { await gate.enter() }
        while gate.waiting == 0 { await Task.yield() }
        #expect(!(await gate.enter()), "the queue is full")
        gate.leave()
        #expect(await waiter.value, "the slot goes to the waiter")
        gate.leave()
        #expect(await gate.enter())
        gate.leave()
    }

    @Test("session UUIDs are random v4 UUIDs; only their SHA-256 is kept")
    func sessionTokens() {
        let a = SessionToken.generate()
        let b = SessionToken.generate()
        #expect(a != b)
        #expect(a.count == 36 && a == a.lowercased())
        #expect(Array(a)[14] == "4")
        #expect(SessionToken.normalize(a.uppercased()) == a)
        #expect(SessionToken.normalize("not-a-uuid") == nil)
        let hash = SessionToken.hash(a)
        #expect(hash.count == 64 && hash.allSatisfy(\.isHexDigit) && !hash.contains(a))
        #expect(SessionToken.hash(a) == hash)
    }

    @Test("times are ISO-8601 UTC with milliseconds and Z")
    func isoTimes() {
        #expect(TinyHostTime.string(TinyHostTime.date(millis: 1_735_732_800_123)) == "2025-01-01T12:00:00.123Z")
        #expect(TinyHostTime.string(Date(timeIntervalSince1970: 0)) == "1970-01-01T00:00:00.000Z")
        #expect(TinyHostTime.string(millis: 1_735_732_800_009) == "2025-01-01T12:00:00.009Z")
        #expect(TinyHostTime.string(millis: -1) == "1969-12-31T23:59:59.999Z")
    }
}
