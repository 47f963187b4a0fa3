import Foundation
import Synchronization
import TandemAuth
import TandemAuthSQLite
import TandemConnection
import TandemRelay
import TandemSQLite
import TandemTestSupport

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let millis = Mutex<Int64>(1_800_000_000_000)
    var clock: WallClock { WallClock { [self] in millis.withLock { $0 } } }
    func advance(seconds: Int64) { millis.withLock { $0 += seconds * 1000 } }
}

/// Keeps the links the service sends, in order. Stands in for the mail transport, which the
/// end-to-end tests exercise against a real SMTP server.
final class MailOutbox: LoginMailer {
    private let sent = Mutex<[(email: String, link: String)]>([])

    func sendLoginLink(to email: String, link: String, expiresAt: Int64) async throws {
        sent.withLock { $0.append((email, link)) }
    }

    /// The token of the last link sent to `email`.
    func lastToken(for email: String) -> String? {
        sent.withLock { $0.last { $0.email == email } }.map { String($0.link.split(separator: "=").last ?? "") }
    }

    var count: Int { sent.withLock { $0.count } }
}

/// The devices the service reported as removed.
final class RemovedDevices: Sendable {
    let ids = Mutex<[Int]>([])
}

/// An `AccountService` over a fresh SQLite file, a manual clock and a mail outbox.
struct AccountFixture {
    let service: AccountService
    let store: SQLiteAccountStore
    let clock: ManualClock
    let outbox: MailOutbox
    let removed: RemovedDevices

    init(_ configure: (inout AccountSettings) -> Void = { _ in }) throws {
        let directory = TestFiles.directory("tandem-auth")
        let pool = try SQLiteDatabase.open(
            path: directory.appendingPathComponent("accounts.db").path, migrations: AccountsSchema.migrations)
        var settings = AccountSettings()
        settings.publicURL = "https://auth.example.test"
        configure(&settings)
        let clock = ManualClock()
        let outbox = MailOutbox()
        let store = SQLiteAccountStore(pool: pool)
        self.store = store
        self.clock = clock
        self.outbox = outbox
        let removed = RemovedDevices()
        self.removed = removed
        self.service = AccountService(
            store: store, signer: DeviceTokenSigner(secret: "unit-test-secret-0123456789"), settings: settings,
            mailer: outbox, clock: clock.clock,
            onDeviceRemoved: { device in removed.ids.withLock { $0.append(device.id) } })
    }

    /// Logs in by email and verifies the link as a client would; returns the issued device.
    func signIn(_ email: String, device: String = "laptop", client: String = "10.0.0.1") async throws -> IssuedDevice {
        _ = try await service.startLogin(email: email, device: nil, client: client)
        guard
            case .issued(let issued) = try await service.verify(
                token: outbox.lastToken(for: email.lowercased()), deviceName: device, platform: "linux",
                approveOnly: false)
        else { throw AccountError.linkUnknown }
        return issued
    }
}
