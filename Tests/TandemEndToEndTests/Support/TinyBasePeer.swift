import Foundation
import TandemTinyBase

/// A TinyBase client for tests, speaking the sync protocol the way TinyBase's WsSynchronizer does:
/// `startSync` pulls from whoever answers first and announces its hashes; local writes go out as
/// ContentDiff broadcasts; it answers GetContentHashes and diff requests and pulls from announcers.
actor TinyBasePeer {
    let socket: TestSocket
    private(set) var store = MergeableStore()
    private var clock: HLCClock
    private let requestTimeout: Duration = .seconds(10)
    private var pending: [String: CheckedContinuation<(String, JSONValue)?, Never>] = [:]
    private var syncing = false
    private var reader: Task<Void, Never>?
    /// Whether `startSync`'s GetContentHashes got an answer (TinyBase's load step).
    private(set) var answeredOnStart = false
    /// Every frame received, in order.
    private(set) var received: [String] = []

    init(socket: TestSocket, store: MergeableStore = MergeableStore(), uniqueID: String = UUID().uuidString) {
        self.socket = socket
        self.store = store
        clock = HLCClock(uniqueID: uniqueID)
    }

    /// Connects with `store` as the client's content (`setMergeableContent` before syncing).
    static func connect(_ url: String, store: MergeableStore = MergeableStore()) async throws -> TinyBasePeer {
        let peer = TinyBasePeer(socket: try await TestSocket.connect(url), store: store)
        await peer.startReading()
        return peer
    }

    private func startReading() {
        let socket = self.socket
        reader = Task { [weak self] in
            while let text = try? await socket.nextText(timeout: .seconds(3600)) {
                await self?.handle(text)
            }
        }
    }

    var contentHashes: (tables: UInt32, values: UInt32) { store.contentHashes }

    func cell(_ table: String, _ row: String, _ cell: String) -> CellValue? {
        store.tables[table]?.rows[row]?.cells[cell]?.value
    }

    func value(_ id: String) -> CellValue? { store.values[id]?.value }

    /// TinyBase's `startSync()`: pull (load), then announce (save).
    func startSync() async {
        syncing = true
        let transaction = Self.randomID(11)
        if let (from, answer) = await request(to: "", .getContentHashes, transaction: transaction),
            let hashes = try? WireCodec.contentHashes(answer)
        {
            answeredOnStart = true
            await pull(from: from, theirs: hashes, transaction: transaction)
        }
        send(to: "", id: Self.randomID(11), .contentHashes(tables: store.tablesHash, values: store.valuesHash))
    }

    func setCell(_ table: String, _ row: String, _ cell: String, _ value: CellValue?) {
        var changes = MergeableChanges()
        changes.tables[table] = TableChanges(
            rows: [row: RowChanges(cells: [cell: LeafStamp(value, hlc: nextHLC())])])
        store.merge(changes)
        send(to: "", id: Self.randomID(11), .contentDiff(changes))
    }

    func setValue(_ id: String, _ value: CellValue?) {
        var changes = MergeableChanges()
        changes.values[id] = LeafStamp(value, hlc: nextHLC())
        store.merge(changes)
        send(to: "", id: Self.randomID(11), .contentDiff(changes))
    }

    /// Sends a raw frame.
    func sendRaw(_ text: String) { socket.send(text) }

    private func nextHLC() -> String {
        clock.next(now: Int64(Date().timeIntervalSince1970 * 1000))
    }

    private func handle(_ text: String) {
        received.append(text)
        var decoder = PayloadDecoder()
        guard let decoded = try? decoder.decode(text) else { return }
        let from = decoded.peer
        switch decoded.message {
        case .response(let body):
            if let id = decoded.requestID { pending.removeValue(forKey: id)?.resume(returning: (from, body)) }
        case .getContentHashes:
            if syncing {
                send(
                    to: from, id: decoded.requestID,
                    .response(
                        SyncMessage.contentHashes(
                            tables: store.tablesHash, values: store.valuesHash
                        ).body))
            }
        case .contentHashes(let tables, let values):
            // As in TinyBase, the pull runs beside the receiving of further frames (its answers among them).
            if syncing {
                let transaction = decoded.requestID ?? Self.randomID(11)
                Task { await self.pull(from: from, theirs: (tables, values), transaction: transaction) }
            }
        case .contentDiff(let changes):
            if syncing { merge(changes) }
        case .getTableDiff(let hashes):
            let (newTables, differing) = store.tableDiff(hashes)
            send(
                to: from, id: decoded.requestID,
                .response(.array([WireCodec.tablesJSON(newTables), WireCodec.json(differing)])))
        case .getRowDiff(let hashes):
            let (newRows, differing) = store.rowDiff(hashes)
            send(
                to: from, id: decoded.requestID,
                .response(.array([WireCodec.tablesJSON(newRows), WireCodec.json(differing)])))
        case .getCellDiff(let hashes):
            send(to: from, id: decoded.requestID, .response(WireCodec.tablesJSON(store.cellDiff(hashes))))
        case .getValueDiff(let hashes):
            send(to: from, id: decoded.requestID, .response(WireCodec.valuesJSON(store.valueDiff(hashes))))
        }
    }

    private func merge(_ changes: MergeableChanges) {
        store.merge(changes)
        clock.seen(changes.latestHLC, now: Int64(Date().timeIntervalSince1970 * 1000))
    }

    private func pull(from peer: String, theirs: (tables: UInt32, values: UInt32), transaction: String) async {
        var changes = MergeableChanges()
        if theirs.tables != store.tablesHash {
            guard let (_, answer) = await request(to: peer, .getTableDiff(store.tableHashes), transaction: transaction),
                let parts = answer.arrayValue, parts.count == 2, let newTables = try? WireCodec.tablesStamp(parts[0]),
                let differing = try? WireCodec.hashes(parts[1])
            else { return }
            changes.add(newTables)
            if !differing.isEmpty {
                guard
                    let (_, rowAnswer) = await request(
                        to: peer, .getRowDiff(store.rowHashes(differingFrom: differing)), transaction: transaction),
                    let rowParts = rowAnswer.arrayValue, rowParts.count == 2,
                    let newRows = try? WireCodec.tablesStamp(rowParts[0]),
                    let differingRows = try? WireCodec.rowHashes(rowParts[1])
                else { return }
                changes.add(newRows)
                if !differingRows.isEmpty {
                    guard
                        let (_, cellAnswer) = await request(
                            to: peer, .getCellDiff(store.cellHashes(differingFrom: differingRows)),
                            transaction: transaction),
                        let newCells = try? WireCodec.tablesStamp(cellAnswer)
                    else { return }
                    changes.add(newCells)
                }
            }
        }
        if theirs.values != store.valuesHash {
            guard let (_, answer) = await request(to: peer, .getValueDiff(store.valueHashes), transaction: transaction),
                let (values, hlc) = try? WireCodec.leaves(answer)
            else { return }
            var valueChanges = MergeableChanges()
            valueChanges.values = values
            valueChanges.valuesHLC = hlc
            changes.add(valueChanges)
        }
        merge(changes)
    }

    /// Sends a request and waits for the first answer: `requestTimeout`, which TinyBase apps set with
    /// `createWsSynchronizer`'s third argument (default 1 s; 5 s here, for test runs on a loaded machine).
    private func request(to peer: String, _ message: SyncMessage, transaction: String) async -> (String, JSONValue)? {
        let id = transaction + "." + Self.randomID(4)
        let timeout = requestTimeout
        let expiry = Task {
            try? await Task.sleep(for: timeout)
            self.expire(id)
        }
        defer { expiry.cancel() }
        return await withCheckedContinuation { continuation in
            pending[id] = continuation
            send(to: peer, id: id, message)
        }
    }

    private func expire(_ id: String) {
        pending.removeValue(forKey: id)?.resume(returning: nil)
    }

    private func send(to peer: String, id: String?, _ message: SyncMessage) {
        socket.send(SyncFrame(peer: peer, requestID: id, message: message).text)
    }

    /// Waits until the server closes the socket; its close code and reason.
    func closed() async throws -> (code: Int, reason: String?) {
        await reader?.value
        return try await socket.closed()
    }

    func close() async {
        await socket.close()
        reader?.cancel()
        for continuation in pending.values { continuation.resume(returning: nil) }
        pending = [:]
    }

    static func randomID(_ count: Int) -> String {
        String((0..<count).map { _ in Character(UnicodeScalar(HLC.alphabet.randomElement()!)) })
    }
}
