/// Durable storage of an SDS store's value blobs: large entry values that clients upload with VALUE or
/// VALUE_CHUNK frames and reference from their CRDT by hash. Implemented by the storage engines.
///
/// A blob is kept while its store exists: the server cannot see inside the CRDT, so it cannot tell
/// when no entry references a blob any more.
package protocol SDSBlobStore: Sendable {
    /// Stores `bytes` under `hash` in `store` (replacing what that hash held), unless the store's
    /// blobs would then exceed `maxStoreBytes` in all: then throws `SDSBlobError.storeFull`.
    func put(store: String, hash: [UInt8], bytes: [UInt8], maxStoreBytes: Int) async throws

    /// The blob stored under `hash` in `store`, or nil.
    func blob(store: String, hash: [UInt8]) async throws -> [UInt8]?
}

/// Why a blob was not stored.
package enum SDSBlobError: Error, Equatable, Sendable {
    /// The store's blobs would pass `sds.max.store.bytes`.
    case storeFull(limit: Int)
}
