import Foundation
import Logging
import TandemCore
import TandemTinyBase

/// One user's TinyBase store on the server, a full peer (id `S`) in the sync protocol: it answers
/// every request, pulls from clients that announce their hashes, merges by HLC, relays what changed
/// to the user's other clients, sets the heartbeat and writes changes in batches.
actor SyncedStore {
    /// The unique id the server's HLC client id is made from.
    static let serverUniqueID = "tandem-server"

    let name: String
    private var store: MergeableStore
    private var clock = HLCClock(uniqueID: serverUniqueID)
    private var clients: [Int: OutboundQueue] = [:]
    private var requests = ServerRequests()
    private var unsaved: MergeableChanges?
    private var saveTask: Task<Void, Never>?
    private var heartbeatTask: Task<Void, Never>?
    private let storage: any TinyBaseStoreStorage
    private let settings: TinyBaseSyncSettings
    private let now: @Sendable () -> Date
    private let logger: Logger

    init(
        name: String, content: MergeableChanges, storage: any TinyBaseStoreStorage, settings: TinyBaseSyncSettings,
        now: @escaping @Sendable () -> Date, logger: Logger
    ) {
        self.name = name
        var store = MergeableStore()
        store.merge(content)
        self.store = store
        self.storage = storage
        self.settings = settings
        self.now = now
        self.logger = logger
        clock.seen(content.latestHLC, now: Self.milliseconds(now()))
    }

    var contentHashes: (tables: UInt32, values: UInt32) { store.contentHashes }

    // MARK: Clients

    /// Adds a client and, as TinyBase's reconnecting clients need, asks for its hashes (to pull
    /// its offline changes) and announces the server's (so it pulls what it missed).
    func attach(_ client: Int, queue: OutboundQueue) -> Bool {
        guard clients.count < settings.maxClientsPerStore else { return false }
        clients[client] = queue
        if heartbeatTask == nil { startHeartbeat() }
        let transaction = SyncIDs.transaction()
        send(.contentHashes(tables: store.tablesHash, values: store.valuesHash), id: transaction, to: client)
        Task { await self.pullAfterAskingHashes(from: client, transaction: SyncIDs.transaction()) }
        return true
    }

    /// Removes a client; returns how many remain.
    func detach(_ client: Int) -> Int {
        clients[client] = nil
        requests.dropAll(client: client)
        if clients.isEmpty {
            heartbeatTask?.cancel()
            heartbeatTask = nil
        }
        return clients.count
    }

    /// Handles one message from a client.
    func receive(_ decoded: PayloadDecoder.Decoded, from client: Int) {
        // Clients never learn each other's ids, so only "" (everyone) and "S" reach the server.
        guard decoded.peer.isEmpty || decoded.peer == SyncFrame.serverID else { return }
        let id = decoded.requestID
        switch decoded.message {
        case .response(let body):
            if let id { requests.resolve(id: id, from: client, body: body) }
        case .getContentHashes:
            let hashes = SyncMessage.contentHashes(tables: store.tablesHash, values: store.valuesHash)
            send(.response(hashes.body), id: id, to: client)
        case .contentHashes(let tables, let values):
            guard (tables, values) != store.contentHashes else { return }
            let transaction = id ?? SyncIDs.transaction()
            Task { await self.pull(from: client, theirs: (tables, values), transaction: transaction) }
        case .contentDiff(let changes):
            apply(changes, from: client)
        case .getTableDiff(let hashes):
            let (newTables, differing) = store.tableDiff(hashes)
            send(.response(.array([WireCodec.tablesJSON(newTables), WireCodec.json(differing)])), id: id, to: client)
        case .getRowDiff(let hashes):
            let (newRows, differing) = store.rowDiff(hashes)
            send(.response(.array([WireCodec.tablesJSON(newRows), WireCodec.json(differing)])), id: id, to: client)
        case .getCellDiff(let hashes):
            send(.response(WireCodec.tablesJSON(store.cellDiff(hashes))), id: id, to: client)
        case .getValueDiff(let hashes):
            send(.response(WireCodec.valuesJSON(store.valueDiff(hashes))), id: id, to: client)
        }
    }

    /// Merges a client's whole content (manual sync) and returns the store's content after it.
    func mergeContent(_ changes: MergeableChanges) throws(TinyBaseSyncError) -> MergeableStore {
        try merge(changes, from: nil)
        return store
    }

    // MARK: Merging

    /// Merges changes from a client frame or the server's own writes; changes with a stamp more
    /// than five minutes ahead are dropped whole, as TinyBase v9.3+ peers drop them.
    private func apply(_ changes: MergeableChanges, from source: Int?) {
        do {
            try merge(changes, from: source)
        } catch {
            logger.debug("changes with a stamp over five minutes ahead dropped", metadata: ["store": "\(name)"])
        }
    }

    /// Merges changes; what won is sent to every other client and queued for saving.
    private func merge(_ changes: MergeableChanges, from source: Int?) throws(TinyBaseSyncError) {
        let latest = changes.latestHLC
        let nowMillis = Self.milliseconds(now())
        guard HLC.isAcceptable(latest, maxTime: nowMillis + HLC.maxFutureMilliseconds) else { throw .futureStamp }
        let applied = store.merge(changes)
        clock.seen(latest, now: nowMillis)
        guard !applied.isEmpty else { return }
        let frame = SyncFrame(
            peer: SyncFrame.serverID, requestID: SyncIDs.transaction(), message: .contentDiff(applied))
        let text = WireFrame.text(frame.text)
        for (client, queue) in clients where client != source { queue.send(text) }
        queueSave(applied)
    }

    /// Pulls a client's differing content, the way a TinyBase peer pulls from an announcer.
    private func pull(from client: Int, theirs: (tables: UInt32, values: UInt32), transaction: String) async {
        var changes = MergeableChanges()
        if theirs.tables != store.tablesHash {
            guard let tableAnswer = await request(.getTableDiff(store.tableHashes), to: client, in: transaction),
                let (newTables, differingTables) = Self.diffAnswer(tableAnswer, WireCodec.hashes)
            else { return }
            changes.add(newTables)
            if !differingTables.isEmpty {
                let rowHashes = store.rowHashes(differingFrom: differingTables)
                guard let rowAnswer = await request(.getRowDiff(rowHashes), to: client, in: transaction),
                    let (newRows, differingRows) = Self.diffAnswer(rowAnswer, WireCodec.rowHashes)
                else { return }
                changes.add(newRows)
                if !differingRows.isEmpty {
                    let cellHashes = store.cellHashes(differingFrom: differingRows)
                    guard let cellAnswer = await request(.getCellDiff(cellHashes), to: client, in: transaction),
                        let newCells = try? WireCodec.tablesStamp(cellAnswer)
                    else { return }
                    changes.add(newCells)
                }
            }
        }
        if theirs.values != store.valuesHash {
            guard let valueAnswer = await request(.getValueDiff(store.valueHashes), to: client, in: transaction),
                let (values, valuesHLC) = try? WireCodec.leaves(valueAnswer)
            else { return }
            var valueChanges = MergeableChanges()
            valueChanges.values = values
            valueChanges.valuesHLC = valuesHLC
            changes.add(valueChanges)
        }
        apply(changes, from: client)
        // The client lacks something the server has (its own start-up pull may have timed out on a
        // busy server): announcing makes it pull, as it pulls from any announcer.
        if store.contentHashes != theirs {
            send(
                .contentHashes(tables: store.tablesHash, values: store.valuesHash), id: SyncIDs.transaction(),
                to: client)
        }
    }

    private func pullAfterAskingHashes(from client: Int, transaction: String) async {
        guard let answer = await request(.getContentHashes, to: client, in: transaction),
            let hashes = try? WireCodec.contentHashes(answer), hashes != store.contentHashes
        else { return }
        await pull(from: client, theirs: hashes, transaction: transaction)
    }

    /// `[TablesStamp, hashes]`, the answer to GetTableDiff and GetRowDiff.
    private static func diffAnswer<Hashes>(
        _ answer: JSONValue, _ readHashes: (JSONValue) throws(WireCodec.Malformed) -> Hashes
    ) -> (MergeableChanges, Hashes)? {
        guard let parts = answer.arrayValue, parts.count == 2, let tables = try? WireCodec.tablesStamp(parts[0]),
            let hashes = try? readHashes(parts[1])
        else { return nil }
        return (tables, hashes)
    }

    /// Sends a request to one client; nil when it does not answer in time or leaves.
    private func request(_ message: SyncMessage, to client: Int, in transaction: String) async -> JSONValue? {
        guard clients[client] != nil else { return nil }
        let id = SyncIDs.request(in: transaction)
        let timeout = settings.requestTimeout
        let expiry = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { expiry.cancel() }
        return await withCheckedContinuation { continuation in
            requests.add(id: id, client: client, continuation: continuation)
            send(message, id: id, to: client)
        }
    }

    private func expire(_ id: String) {
        requests.expire(id: id)
    }

    // MARK: Sending

    private func send(_ message: SyncMessage, id: String?, to client: Int) {
        let frame = SyncFrame(peer: SyncFrame.serverID, requestID: id, message: message)
        clients[client]?.send(.text(frame.text))
    }

    // MARK: Heartbeat

    private func startHeartbeat() {
        let interval = settings.heartbeatInterval
        guard interval > .zero else { return }
        heartbeatTask = Task {
            while !Task.isCancelled {
                try? await Task.sleep(for: interval)
                guard !Task.isCancelled else { return }
                self.beat()
            }
        }
    }

    /// Sets `heartbeat` to the current time (ISO 8601, UTC, milliseconds) with a fresh stamp.
    func beat() {
        let date = now()
        var changes = MergeableChanges()
        changes.values["heartbeat"] = LeafStamp(
            .string(TinyHostTime.string(date)), hlc: clock.next(now: Self.milliseconds(date)))
        apply(changes, from: nil)
    }

    // MARK: Saving

    private func queueSave(_ applied: MergeableChanges) {
        if unsaved == nil { unsaved = MergeableChanges() }
        unsaved?.add(applied)
        guard saveTask == nil else { return }
        let delay = settings.saveDelay
        saveTask = Task {
            try? await Task.sleep(for: delay)
            await self.save()
        }
    }

    /// Writes what changed since the last save; on failure keeps it for the next attempt.
    func save() async {
        saveTask = nil
        guard let changes = unsaved else { return }
        unsaved = nil
        do {
            try await storage.save([name: changes])
        } catch {
            logger.error(
                "saving a TinyBase store failed; will retry", metadata: ["store": "\(name)", "error": "\(error)"])
            var merged = changes
            if let newer = unsaved { merged.add(newer) }
            unsaved = merged
            if saveTask == nil {
                saveTask = Task {
                    try? await Task.sleep(for: .seconds(1))
                    await self.save()
                }
            }
        }
    }

    /// Closes every client's socket (server shutdown).
    func closeClients(_ reason: CloseReason) {
        for queue in clients.values { queue.close(reason) }
    }

    /// Saves now and stops the heartbeat (the store is being closed).
    func close() async {
        heartbeatTask?.cancel()
        heartbeatTask = nil
        saveTask?.cancel()
        await save()
    }

    static func milliseconds(_ date: Date) -> Int64 {
        Int64((date.timeIntervalSince1970 * 1000).rounded(.down))
    }
}
