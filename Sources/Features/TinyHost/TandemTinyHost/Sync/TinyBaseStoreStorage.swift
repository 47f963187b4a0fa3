package import TandemTinyBase

/// Where the server's TinyBase stores live between sessions. A store is saved as its stamped
/// leaves and container stamps; hashes are recomputed on load, so a reloaded store has the same
/// content hashes.
package protocol TinyBaseStoreStorage: Sendable {
    /// Everything kept for the store named `name` (empty changes for a new store).
    func loadStore(named name: String) async throws -> MergeableChanges
    /// Writes the leaves and stamps that changed, for several stores, in one transaction.
    func save(_ changes: [String: MergeableChanges]) async throws
}
