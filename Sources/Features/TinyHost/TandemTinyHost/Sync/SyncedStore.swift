import Foundation
import Logging
import TandemConnection
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
    /// Content a client's diff answers left out (they hold at most `maxSendBytes`), to be pushed
    /// to it as ContentDiffs.
    private var owed: [Int: MergeableChanges] = [:]
    /// Running pushes of owed content, one per client.
    private var pushes: [Int: Task<Void, Never>] = [:]
    /// Clients that have announced their hashes: their start-up pull is over, so they merge a
    /// ContentDiff (TinyBase before v9.3 drops one that arrives while it is still loading).
    private var announced: Set<Int> = []
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
        owed[client] = nil
        announced.remove(client)
        pushes.removeValue(forKey: client)?.cancel()
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
            announced.insert(client)
            // What the client's own pull was not sent goes first: the pull's requests then find
            // only what the client has and the server lacks.
            let push = pushOwed(to: client)
            guard (tables, values) != store.contentHashes else { return }
            let transaction = id ?? SyncIDs.transaction()
            Task {
                await push?.value
                await self.pull(from: client, theirs: (tables, values), transaction: transaction)
            }
        case .contentDiff(let changes):
            apply(changes, from: client)
        case .getTableDiff(let hashes):
            let (newTables, differing) = store.tableDiff(hashes)
            // Table hashes the answer has no room for: those tables are owed whole instead.
            let (kept, rest) = HashTreeSize.fitting(differing, maxBytes: settings.maxSendBytes / 4)
            var owing = MergeableChanges()
            for tableID in rest { owing.tables[tableID] = store.tables[tableID]?.changes }
            answer(newTables, hashes: WireCodec.json(kept), id: id, to: client, owing: owing)
        case .getRowDiff(let hashes):
            let (newRows, differing) = store.rowDiff(hashes)
            let (kept, rest) = HashTreeSize.fitting(differing, maxBytes: settings.maxSendBytes / 4)
            var owing = MergeableChanges()
            for (tableID, rowID) in rest {
                guard let table = store.tables[tableID], let row = table.rows[rowID] else { continue }
                owing.tables[tableID, default: TableChanges(hlc: table.hlc)].rows[rowID] = row.changes
            }
            answer(newRows, hashes: WireCodec.json(kept), id: id, to: client, owing: owing)
        case .getCellDiff(let hashes):
            answer(store.cellDiff(hashes), hashes: nil, id: id, to: client)
        case .getValueDiff(let hashes):
            answer(store.valueDiff(hashes), hashes: nil, id: id, to: client, values: true)
        }
    }

    // MARK: Large answers

    /// Answers a diff request with the part of `changes` that fits in `maxSendBytes` (with
    /// `hashes` beside it for GetTableDiff and GetRowDiff); the rest, and `owing`, is owed to the
    /// client and pushed as ContentDiffs. Every cell and value merges on its own, so the client
    /// ends with the same content either way.
    private func answer(
        _ changes: MergeableChanges, hashes: JSONValue?, id: String?, to client: Int,
        owing: MergeableChanges = MergeableChanges(), values: Bool = false
    ) {
        var fixed = Self.frameOverhead(requestID: id)
        if let hashes { fixed += JavaScriptJSON.stringify(hashes).utf8.count + 3 }
        let (first, rest) = changes.split(firstMaxBytes: max(1, settings.maxSendBytes - fixed))
        let stamp = values ? WireCodec.valuesJSON(first) : WireCodec.tablesJSON(first)
        send(.response(hashes.map { .array([stamp, $0]) } ?? stamp), id: id, to: client)
        var left = rest
        left.add(owing)
        guard !left.isEmpty else { return }
        owed[client, default: MergeableChanges()].add(left)
        if announced.contains(client) {
            pushOwed(to: client)
        } else {
            // A client that never announces (it loads without syncing) still gets it, later.
            let delay = settings.requestTimeout * 2
            Task {
                try? await Task.sleep(for: delay)
                self.pushOwed(to: client)
            }
        }
    }

    /// Starts (or joins) pushing what is owed to a client; nil when nothing is.
    @discardableResult
    private func pushOwed(to client: Int) -> Task<Void, Never>? {
        if let running = pushes[client] { return running }
        guard owed[client] != nil, clients[client] != nil else { return nil }
        let task = Task { await self.drainOwed(to: client) }
        pushes[client] = task
        return task
    }

    /// Sends owed content as ContentDiffs of at most `maxSendBytes`, waiting while the client's
    /// queue holds more than two of them, so a large store neither fills the server's memory
    /// nor delays the client's other messages long.
    private func drainOwed(to client: Int) async {
        defer { pushes[client] = nil }
        let budget = settings.maxSendBytes
        while let changes = owed.removeValue(forKey: client) {
            for piece in changes.pieces(maxBytes: max(1, budget - Self.frameOverhead(requestID: nil))) {
                guard let queue = clients[client], !queue.isClosed, !Task.isCancelled else { return }
                send(.contentDiff(piece), id: SyncIDs.transaction(), to: client)
                await queue.drained(below: 2 * budget)
            }
        }
    }

    /// `S\n[<request id>,0,` … `]`: what a frame adds around its body (11-character transaction
    /// ids when `requestID` is nil).
    static func frameOverhead(requestID: String?) -> Int {
        JavaScriptJSON.string(requestID ?? SyncIDs.transaction()).utf8.count + 8
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
        let others = clients.filter { $0.key != source }
        if !others.isEmpty {
            let budget = settings.maxSendBytes - Self.frameOverhead(requestID: nil)
            for piece in applied.pieces(maxBytes: max(1, budget)) {
                let frame = SyncFrame(
                    peer: SyncFrame.serverID, requestID: SyncIDs.transaction(), message: .contentDiff(piece))
                let text = frame.text
                for queue in others.values { Self.send(text, on: queue) }
            }
        }
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
                // Large hash lists go in several requests: whole tables per GetRowDiff, whole
                // rows per GetCellDiff, so that each answer is exact.
                let budget = settings.maxSendBytes - Self.frameOverhead(requestID: transaction + ".xxxx")
                var differingRows: MergeableStore.RowHashes = [:]
                let rowHashes = store.rowHashes(differingFrom: differingTables)
                for group in HashTreeSize.groups(rowHashes, maxBytes: budget) {
                    guard let rowAnswer = await request(.getRowDiff(group), to: client, in: transaction),
                        let (newRows, differing) = Self.diffAnswer(rowAnswer, WireCodec.rowHashes)
                    else { return }
                    changes.add(newRows)
                    differingRows.merge(differing) { $0.merging($1) { _, new in new } }
                }
                if !differingRows.isEmpty {
                    let cellHashes = store.cellHashes(differingFrom: differingRows)
                    for group in HashTreeSize.groups(cellHashes, maxBytes: budget) {
                        guard let cellAnswer = await request(.getCellDiff(group), to: client, in: transaction),
                            let newCells = try? WireCodec.tablesStamp(cellAnswer)
                        else { return }
                        changes.add(newCells)
                    }
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
        guard let queue = clients[client] else { return }
        Self.send(SyncFrame(peer: SyncFrame.serverID, requestID: id, message: message).text, on: queue)
    }

    /// Queues a frame, unless TinyBase v9.3+ would refuse it (over 16 MiB: only a single cell or
    /// value that large, or a request listing one huge table, makes one): then the socket is
    /// closed with 1009, and the client's manual sync exchanges the whole content instead.
    private static func send(_ text: String, on queue: OutboundQueue) {
        guard text.utf8.count <= TinyBaseSyncSettings.clientFrameLimit else {
            queue.close(TinyBaseSyncEndpoint.Close.tooLarge)
            return
        }
        queue.send(.text(text))
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
