import HTTPTypes
import Hummingbird
import HummingbirdWebSocket
import NIOCore
import TandemConnection

/// The conformance mode's echo (`conformance.echo=true`, loopback hosts only): on every WebSocket
/// listener, a connection to `path` gets each of its data messages back, through the same
/// transport, frame bound, UTF-8 check, pings and connection limit as the wire protocols. The
/// Autobahn suite (scripts/autobahn.sh) tests the listeners through it; every other path is
/// served as usual.
package final class ConformanceEcho: Sendable {
    package static let path = "/conformance/echo"

    /// Echo connections, closed with 1001 at shutdown like every endpoint's.
    let runner = ConnectionRunner()
    /// Most bytes queued to one echo connection; past this its socket is not read until the queue
    /// drains (a fast sender is slowed, never cut).
    let maxQueuedBytes: Int

    init(maxQueuedBytes: Int) {
        self.maxQueuedBytes = maxQueuedBytes
    }

    /// Echoes `inbound` (messages of at most `maxFrameBytes`) on `connection` until either ends.
    func serve(inbound: WebSocketInboundStream, maxFrameBytes: Int, connection: some WireConnection) async throws {
        try await inbound.wireFrames(maxSize: maxFrameBytes) { frames in
            // A message is queued only once at most `maxQueuedBytes` wait, so the queue never passes its bound.
            let queue = OutboundQueue(maxBytes: maxQueuedBytes + maxFrameBytes)
            var iterator = frames.makeAsyncIterator()
            var session = Session(queue: queue, maxQueuedBytes: maxQueuedBytes)
            await runner.run(connection, queue: queue, reading: &iterator, session: &session)
        }
    }

    /// The upgrade of a listener that serves any path: `echo` at `path` when it is on, else `otherwise`.
    static func upgrade(
        _ echo: ConformanceEcho?, _ request: HTTPRequest, channel: any Channel, maxFrameBytes: Int,
        otherwise: @escaping @Sendable (WebSocketInboundStream, WebSocketOutboundWriter) async throws -> Void
    ) -> ShouldUpgradeResult<WebSocketDataHandler<HTTP1WebSocketUpgradeChannel.Context>> {
        guard let echo, request.path?.split(separator: "?").first.map(String.init) == path else {
            return .upgrade([:]) { inbound, outbound, _ in try await otherwise(inbound, outbound) }
        }
        return .upgrade([:]) { inbound, outbound, _ in
            try await echo.serve(
                inbound: inbound, maxFrameBytes: maxFrameBytes,
                connection: WebSocketWireConnection(outbound: outbound, channel: channel))
        }
    }

    /// Adds the echo's route to the HTTP port's router.
    func add(to router: Router<RelayRequestContext>, maxFrameBytes: Int) {
        router.ws(RouterPath(Self.path)) { inbound, outbound, context in
            try await self.serve(
                inbound: inbound, maxFrameBytes: maxFrameBytes,
                connection: WebSocketWireConnection(outbound: outbound, channel: context.requestContext.channel))
        }
    }

    private struct Session: ConnectionSession {
        let queue: OutboundQueue
        let maxQueuedBytes: Int

        mutating func receive(_ frame: WireFrame) async {
            // Wait (not reading the socket meanwhile) until the echo fits.
            await queue.drained(below: maxQueuedBytes)
            queue.send(frame)
        }

        mutating func ended() async {}
    }
}
