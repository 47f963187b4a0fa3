import NIOCore
import NIOPosix

/// A set of benchmark connections on one event loop, with their counters.
///
/// Everything mutable is touched only on `loop` (entry points hop there); that confinement is
/// what makes the `@unchecked Sendable` sound.
final class LoadGroup: BenchSocketDelegate, @unchecked Sendable {
    struct Member {
        let room: String
        let name: String
        var sent = 0
    }

    let target: BenchTarget
    let loop: any EventLoop
    private(set) var members: [Member] = []
    private(set) var sockets: [BenchSocket?] = []
    private var ready: [Bool] = []
    private var readyCount = 0
    private var allReady: EventLoopPromise<Void>?
    private var nextToOpen = 0
    private var lastSeq: Int?
    /// Called (on the loop) for every message once the connection is ready.
    var onMessage: ((ByteBuffer, Int) -> Void)?

    var tally = LatencyTally()
    var measuredDeliveries: UInt64 = 0
    var warmupDeliveries: UInt64 = 0
    var errors: UInt64 = 0
    var closedEarly = 0

    init(target: BenchTarget, loop: any EventLoop) {
        self.target = target
        self.loop = loop
    }

    /// Opens one connection per member (at most `parallel` handshakes at a time) and waits until
    /// each is ready (joined, subscribed).
    func connect(
        _ members: [(room: String, name: String)], lastSeq: Int? = nil, parallel: Int = 64, timeout: TimeAmount
    ) -> EventLoopFuture<Void> {
        loop.flatSubmit {
            let base = self.members.count
            self.members += members.map { Member(room: $0.room, name: $0.name) }
            self.sockets += Array(repeating: nil, count: members.count)
            self.ready += Array(repeating: false, count: members.count)
            let promise = self.loop.makePromise(of: Void.self)
            self.allReady = promise
            let deadline = self.loop.scheduleTask(in: timeout) {
                promise.fail(BenchError.timeout("\(self.readyCount) of \(self.members.count) connections ready"))
            }
            promise.futureResult.whenComplete { _ in deadline.cancel() }
            self.nextToOpen = base
            self.lastSeq = lastSeq
            for _ in 0..<min(parallel, members.count) { self.openNext(promise) }
            if members.isEmpty { promise.succeed() }
            return promise.futureResult
        }
    }

    /// Opens the next member's connection; each success opens another, so `parallel` stay in flight.
    private func openNext(_ promise: EventLoopPromise<Void>) {
        guard nextToOpen < members.count else { return }
        let index = nextToOpen
        nextToOpen += 1
        let member = members[index]
        BenchSocket.connect(to: target.url(room: member.room), index: index, on: loop).whenComplete { result in
            switch result {
            case .success(let socket):
                socket.delegate = self
                self.sockets[index] = socket
                for frame in self.target.hello(room: member.room, member: member.name, lastSeq: self.lastSeq) {
                    self.target.isBinary ? socket.send(binary: frame) : socket.send(text: frame)
                }
                if self.target.readyOnOpen { self.markReady(index) }
                self.openNext(promise)
            case .failure(let error):
                promise.fail(error)
            }
        }
    }

    private func markReady(_ index: Int) {
        guard !ready[index] else { return }
        ready[index] = true
        readyCount += 1
        if readyCount == members.count { allReady?.succeed() }
    }

    /// Sends a broadcast from member `index`.
    func publish(_ index: Int, payload: String, id: String? = nil) {
        guard let socket = sockets[index] else { return }
        let member = members[index]
        let frame = target.publish(room: member.room, member: member.name, payload: payload, id: id)
        target.isBinary ? socket.send(binary: frame) : socket.send(text: frame)
        members[index].sent += 1
    }

    func received(_ bytes: ByteBuffer, on socket: BenchSocket) {
        if let reply = target.keepAliveReply(to: bytes) { socket.send(text: reply) }
        guard ready[socket.index] else {
            if target.isReady(bytes) { markReady(socket.index) }
            return
        }
        if let onMessage {
            onMessage(bytes, socket.index)
            return
        }
        let now = Stamps.now()
        Stamps.scan(bytes.readableBytesView) { sent in
            self.measuredDeliveries += 1
            self.tally.record(micros: now >= sent ? now - sent : 0)
        } warmup: { _ in
            self.warmupDeliveries += 1
        }
        if bytes.contains(Needles.error)
            || bytes.readableBytesView.starts(with: Needles.natsError)
        {
            errors += 1
        }
    }

    func closed(_ socket: BenchSocket) {
        sockets[socket.index] = nil
        closedEarly += 1
    }

    /// Closes every connection.
    func closeAll() -> EventLoopFuture<Void> {
        loop.submit {
            let open = self.sockets.compactMap { $0 }
            self.closedEarly -= open.count
            for socket in open { socket.close() }
        }
    }

    /// Runs `body` on the loop and returns its value.
    func onLoop<T: Sendable>(_ body: @escaping @Sendable () -> T) async throws -> T {
        try await loop.submit(body).get()
    }
}
