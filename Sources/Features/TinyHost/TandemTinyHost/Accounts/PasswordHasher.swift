import CSodium
import Dispatch
import TandemSodium

/// Argon2id password hashes through libsodium (`crypto_pwhash_str_alg`), in the string format
/// that embeds the algorithm, its parameters and the salt.
///
/// One hash takes `strength.memoryKiB` of memory and, at the interactive strength, about a tenth
/// of a second of one core. The work runs on a Dispatch queue, never on Swift's cooperative pool,
/// and `HashingGate` lets at most `parallelHashes` run at once.
package final class PasswordHasher: Sendable {
    package let strength: PasswordStrength
    private let gate: HashingGate
    private let queue = DispatchQueue(label: "tandem.tinyhost.argon2id", attributes: .concurrent)

    package init(strength: PasswordStrength, parallelHashes: Int = 2, maxWaiting: Int = 64) {
        self.strength = strength
        self.gate = HashingGate(limit: max(1, parallelHashes), maxWaiting: max(0, maxWaiting))
    }

    /// A new Argon2id hash of `password` with a fresh random salt.
    /// - Throws: `busy` when too many hashes wait; `internalError` when libsodium fails (out of memory).
    package func hash(_ password: String) async throws(TinyHostError) -> String {
        let strength = self.strength
        let result = try await run { Self.hashNow(password, strength: strength) }
        guard let result else { throw .internalError }
        return result
    }

    /// Whether `password` matches `hash` (any Argon2 string; its own parameters are used).
    package func verify(_ password: String, against hash: String) async throws(TinyHostError) -> Bool {
        try await run { Self.verifyNow(password, against: hash) }
    }

    /// Whether `hash` was made with parameters other than `strength`.
    package func needsRehash(_ hash: String) -> Bool {
        guard Sodium.isReady else { return false }
        return hash.withCString { pointer in
            crypto_pwhash_str_needs_rehash(
                pointer, UInt64(strength.operations), strength.memoryKiB * 1024)
        } != 0
    }

    static func hashNow(_ password: String, strength: PasswordStrength) -> String? {
        guard Sodium.isReady else { return nil }
        var out = [CChar](repeating: 0, count: crypto_pwhash_strbytes())
        let status = password.withCString { pointer in
            crypto_pwhash_str_alg(
                &out, pointer, UInt64(password.utf8.count), UInt64(strength.operations),
                strength.memoryKiB * 1024, crypto_pwhash_alg_argon2id13())
        }
        guard status == 0 else { return nil }
        return String(decoding: out.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }

    static func verifyNow(_ password: String, against hash: String) -> Bool {
        guard Sodium.isReady, hash.utf8.count < crypto_pwhash_strbytes() else { return false }
        return hash.withCString { stored in
            password.withCString { pointer in
                crypto_pwhash_str_verify(stored, pointer, UInt64(password.utf8.count))
            }
        } == 0
    }

    private func run<T: Sendable>(_ work: @escaping @Sendable () -> T) async throws(TinyHostError) -> T {
        guard await gate.enter() else { throw .busy }
        defer { gate.leave() }
        let queue = self.queue
        return await withCheckedContinuation { continuation in
            queue.async { continuation.resume(returning: work()) }
        }
    }
}
