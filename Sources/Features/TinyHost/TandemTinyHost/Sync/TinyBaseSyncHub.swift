package import Foundation
package import Logging
import TandemConnection
package import TandemTinyBase

/// The open TinyBase stores: each user's store is loaded when its first client connects (or a
/// manual sync arrives), shared by all that user's sockets, and saved and dropped from memory when
/// the last one leaves.
package actor TinyBaseSyncHub {
    package nonisolated let settings: TinyBaseSyncSettings
    private let storage: any TinyBaseStoreStorage
    private let logger: Logger
    private let now: @Sendable () -> Date
    private var open: [String: Entry] = [:]
    private var nextClient = 0

    private struct Entry {
        let loading: Task<SyncedStore, any Error>
        var users = 0
    }

    package init(
        storage: any TinyBaseStoreStorage, settings: TinyBaseSyncSettings = TinyBaseSyncSettings(),
        logger: Logger, now: @escaping @Sendable () -> Date = Date.init
    ) {
        self.storage = storage
        self.settings = settings
        self.logger = logger
        self.now = now
    }

    /// Stores currently in memory.
    package var openStoreCount: Int { open.count }

    /// Runs `body` with the named store open, loading it first if needed.
    nonisolated func withStore<T: Sendable>(_ name: String, _ body: @Sendable (SyncedStore) async throws -> T)
        async throws -> T
    {
        let store = try await acquire(name)
        do {
            let result = try await body(store)
            await release(name)
            return result
        } catch {
            await release(name)
            throw error
        }
    }

    func newClientID() -> Int {
        nextClient += 1
        return nextClient
    }

    /// The named store, loaded if needed; each `acquire` is paired with a `release`.
    func acquire(_ name: String) async throws -> SyncedStore {
        if open[name] == nil {
            let storage = self.storage
            let (settings, now, logger) = (self.settings, self.now, self.logger)
            open[name] = Entry(
                loading: Task {
                    let content = try await storage.loadStore(named: name)
                    return SyncedStore(
                        name: name, content: content, storage: storage, settings: settings, now: now, logger: logger)
                })
        }
        open[name]!.users += 1
        do {
            return try await open[name]!.loading.value
        } catch {
            await release(name)
            throw error
        }
    }

    /// Gives up one use of a store; the last one saves it and drops it from memory.
    func release(_ name: String) async {
        guard var entry = open[name] else { return }
        entry.users -= 1
        guard entry.users == 0 else {
            open[name] = entry
            return
        }
        open[name] = nil
        if let store = try? await entry.loading.value { await store.close() }
    }

    /// Merges a client's whole content into the user's store (manual sync) and returns the
    /// content after the merge, as `getMergeableContent()` shows it.
    package func manualSync(store name: String, content: MergeableChanges) async throws -> JSONValue {
        try await withStore(name) { try await $0.mergeContent(content).contentJSON }
    }

    /// Content hashes of a store (loading it if it is not open).
    package func contentHashes(store name: String) async throws -> (tables: UInt32, values: UInt32) {
        try await withStore(name) { await $0.contentHashes }
    }

    /// Server shutdown, once the endpoint's sockets are closed: waits up to `timeout` for their
    /// stores to be released, then saves every store still open.
    package func shutDown(waiting timeout: Duration = .seconds(5)) async {
        let deadline = ContinuousClock.now + timeout
        while !open.isEmpty, ContinuousClock.now < deadline { try? await Task.sleep(for: .milliseconds(20)) }
        for entry in open.values {
            if let store = try? await entry.loading.value { await store.save() }
        }
    }
}

/// Why a TinyBase sync request was refused.
package enum TinyBaseSyncError: Error, Sendable, Equatable {
    /// Content carries a stamp more than five minutes ahead of the server's clock.
    case futureStamp
}
