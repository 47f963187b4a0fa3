import Foundation
import GRDB
import Synchronization
import TandemConnection
import TandemSQLite
import TandemTestSupport
import TandemTinyHost
import TandemTinyHostSQLite
import Testing

/// A clock tests move by hand.
final class ManualClock: Sendable {
    private let millis = Mutex<Int64>(1_800_000_000_000)
    var clock: WallClock { WallClock { [self] in millis.withLock { $0 } } }
    func advance(seconds: Int64) { millis.withLock { $0 += seconds * 1000 } }
}

/// `TinyHostAccounts` over a fresh SQLite file, a manual clock and libsodium's minimum strength.
struct TinyHostFixture {
    let accounts: TinyHostAccounts
    let pool: DatabasePool
    let clock: ManualClock

    init(_ configure: (inout TinyHostSettings) throws -> Void = { _ in }) throws {
        let directory = TestFiles.directory("tandem-tinyhost")
        pool = try SQLiteDatabase.open(
            path: directory.appendingPathComponent("tinyhost.db").path, migrations: TinyHostSchema.migrations)
        var settings = TinyHostSettings()
        settings.password.strength = .minimum
        try configure(&settings)
        clock = ManualClock()
        accounts = TinyHostAccounts(
            store: SQLiteTinyHostAccountStore(pool: pool), settings: settings, clock: clock.clock)
    }
}

/// Runs `body` and returns the `TinyHostError` it threw, or nil.
func refusal(_ body: () async throws -> Void) async -> TinyHostError? {
    do {
        try await body()
        return nil
    } catch let error as TinyHostError {
        return error
    } catch {
        Issue.record("not a TinyHostError: \(error)")
        return nil
    }
}
