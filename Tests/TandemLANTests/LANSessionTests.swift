import CSodium
import Foundation
import TandemConnection
import TandemMerge
import Testing

@testable import TandemLAN

/// The session state machine driven frame by frame, with the phone's side done in libsodium directly.
@Suite("LAN session")
struct LANSessionTests {
    static let secret = PairingSecret("s3cret")

    /// A session past key exchange, and the phone's shared key.
    static func exchanged() throws -> (LANSession, [UInt8]) {
        var session = LANSession(secret: secret, nonces: NonceLedger())
        _ = sodium_init()
        var publicKey = [UInt8](repeating: 0, count: 32)
        var secretKey = [UInt8](repeating: 0, count: 32)
        crypto_box_keypair(&publicKey, &secretKey)
        let step = session.receive(
            .text(#"{"type":"key_init","publicKey":"\#(Data(publicKey).base64EncodedString())"}"#))
        guard case .keyExchange(let serverKey) = step else {
            Issue.record("expected key exchange, got \(step)")
            throw CancellationError()
        }
        var key = [UInt8](repeating: 0, count: 32)
        #expect(crypto_box_beforenm(&key, serverKey, secretKey) == 0)
        return (session, key)
    }

    static func seal(_ json: String, key: [UInt8], nonce: [UInt8]? = nil) -> WireFrame {
        var nonce = nonce ?? []
        if nonce.isEmpty {
            nonce = [UInt8](repeating: 0, count: 24)
            randombytes_buf(&nonce, 24)
        }
        let message = Array(json.utf8)
        var box = [UInt8](repeating: 0, count: message.count + 16)
        crypto_secretbox_easy(&box, message, UInt64(message.count), nonce, key)
        return .text(
            #"{"enc":true,"n":"\#(Data(nonce).base64EncodedString())","d":"\#(Data(box).base64EncodedString())"}"#)
    }

    static func handshake(_ secret: String) -> String {
        #"{"type":"handshake","deviceId":"phone","lastSyncTimestamp":0,"pairingSecret":"\#(secret)"}"#
    }

    static func closeCode(_ step: LANSession.Step) -> UInt16? {
        if case .close(let reason) = step { return reason.code }
        return nil
    }

    @Test("both sides derive the same key: the phone's sealed handshake opens and pairs")
    func keyAgreement() throws {
        var (session, key) = try Self.exchanged()
        let step = session.receive(Self.seal(Self.handshake("s3cret"), key: key))
        guard case .paired(let device, _) = step else {
            Issue.record("expected paired, got \(step)")
            return
        }
        #expect(device == "phone")
    }

    @Test("the first frame must be a plaintext key_init with a 32-byte key")
    func keyInitFirst() {
        var session = LANSession(secret: Self.secret, nonces: NonceLedger())
        #expect(Self.closeCode(session.receive(.text(Self.handshake("s3cret")))) == 4002)
        var short = LANSession(secret: Self.secret, nonces: NonceLedger())
        let key = Data(count: 31).base64EncodedString()
        #expect(Self.closeCode(short.receive(.text(#"{"type":"key_init","publicKey":"\#(key)"}"#))) == 4002)
        var binary = LANSession(secret: Self.secret, nonces: NonceLedger())
        #expect(Self.closeCode(binary.receive(.binary([1, 2, 3]))) == 4002)
    }

    @Test("wrong secret 4001, plaintext 4003, another key 4004, a nonce used twice 4005")
    func refusals() throws {
        var (wrong, key) = try Self.exchanged()
        #expect(Self.closeCode(wrong.receive(Self.seal(Self.handshake("S3cret"), key: key))) == 4001)

        var (plain, _) = try Self.exchanged()
        #expect(Self.closeCode(plain.receive(.text(Self.handshake("s3cret")))) == 4003)

        var (other, _) = try Self.exchanged()
        let foreignKey = [UInt8](repeating: 9, count: 32)
        #expect(Self.closeCode(other.receive(Self.seal(Self.handshake("s3cret"), key: foreignKey))) == 4004)

        var (replay, replayKey) = try Self.exchanged()
        let nonce = [UInt8](repeating: 1, count: 24)
        _ = replay.receive(Self.seal(Self.handshake("s3cret"), key: replayKey, nonce: nonce))
        #expect(
            Self.closeCode(replay.receive(Self.seal(#"{"type":"heartbeat"}"#, key: replayKey, nonce: nonce))) == 4005)
    }

    @Test("after a close the session refuses everything")
    func closedStaysClosed() throws {
        var (session, key) = try Self.exchanged()
        _ = session.receive(.text("not json"))
        #expect(Self.closeCode(session.receive(Self.seal(Self.handshake("s3cret"), key: key))) == 4002)
    }
}

@Suite("LAN decisions")
struct LANDecisionPolicyTests {
    static let tripped = MergeResult(
        state: SyncState(), conflicts: [],
        largeChange: LargeChangeCheck(ancestorItemCount: 5, phoneMissingCount: 5, desktopMissingCount: 0))
    static let conflicted = MergeResult(
        state: SyncState(),
        conflicts: [
            MergeConflict(
                subject: .item(group: .lists, slot: 2, id: "x", field: .done), phone: .done(true), desktop: .done(false)
            )
        ],
        largeChange: LargeChangeCheck(ancestorItemCount: 0, phoneMissingCount: 0, desktopMissingCount: 0))

    @Test("policies: ask holds everything; a side policy answers the gate with that side's data")
    func policies() {
        #expect(DecisionPolicy.ask.decision(for: Self.tripped) == nil)
        #expect(DecisionPolicy.desktopWins.decision(for: Self.tripped) == .useDesktop)
        #expect(DecisionPolicy.phoneWins.decision(for: Self.tripped) == .usePhone)
        #expect(DecisionPolicy.phoneWins.decision(for: Self.conflicted) == .merge(.all(.phone)))
    }

    @Test("a pending report names conflicts by stable keys and shows plain values")
    func report() throws {
        let report = PendingSyncReport(id: "p", deviceId: "d", createdAt: 1, expiresAt: 2, result: Self.conflicted)
        #expect(report.conflicts.map(\.key) == ["lists/2/x/done"])
        let json = String(decoding: try JSONEncoder().encode(report.conflicts[0]), as: UTF8.self)
        #expect(json.contains(#""phone":true"#))
        #expect(ConflictSubject.slot(kind: .scratchpad, slot: 4).key == "scratchpad/4")
        let gate = PendingSyncReport(id: "p", deviceId: "d", createdAt: 1, expiresAt: 2, result: Self.tripped)
        #expect(gate.largeChange?.trippedBy == [.phone])
    }
}
